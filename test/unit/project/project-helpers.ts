import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lintText, ProjectIndex } from '../../../src/engine';
import type { Finding } from '../../../src/engine/types';

/** A throwaway project on disk: `files` maps relative paths to their text. */
export class TempProject {
  readonly root: string;
  readonly index: ProjectIndex;

  constructor(files: Record<string, string>) {
    this.root = mkdtempSync(path.join(tmpdir(), 'dbhealth-project-'));
    for (const [relative, text] of Object.entries(files)) this.write(relative, text);
    this.index = new ProjectIndex({ roots: [this.root] });
  }

  write(relative: string, text: string): void {
    const full = path.join(this.root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }

  path(relative: string): string {
    return path.join(this.root, relative);
  }

  /** Lints one file of the project with the index, as the CLI does. */
  async findings(relative: string, rule?: string): Promise<Finding[]> {
    const { readFileSync } = await import('node:fs');
    const full = this.path(relative);
    const outcome = await lintText(readFileSync(full, 'utf8'), full, {}, { project: this.index });
    assert.equal(outcome.kind, 'linted', JSON.stringify(outcome));
    const findings = outcome.kind === 'linted' ? outcome.findings : [];
    return rule ? findings.filter((f) => f.rule === rule) : [...findings];
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Lines (1-based) of the findings of a rule, for compact assertions. */
export function linesOf(findings: readonly Finding[]): number[] {
  return findings.map((f) => f.start.line);
}

/** Strips the common indentation of a template literal. */
export function code(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = String.raw({ raw: strings }, ...values).replace(/^\n/, '').replace(/\n[ \t]*$/, '\n');
  const lines = raw.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common)).join('\n');
}
