import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isRuleName, isSeverity, type RuleName, type Severity } from '../engine/catalogue';
import { isSupportedFile, lintText, ProjectIndex } from '../engine';
import type { LintConfig } from '../engine/types';
import { choiceOption, parseArgs, UsageError } from './args';
import { collectFiles } from './files';
import { toSarif, type FileReport } from './sarif';
import type { CliIO } from './main';

declare const DBHEALTH_VERSION: string;

const FORMATS = ['text', 'json', 'sarif'] as const;

/** Files larger than this are reported, not parsed: they are generated or vendored, not hand-written. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

function parseRuleOverrides(values: readonly string[]): Partial<Record<RuleName, Severity>> {
  const rules: Partial<Record<RuleName, Severity>> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const name = eq === -1 ? value : value.slice(0, eq);
    const severity = eq === -1 ? '' : value.slice(eq + 1);
    const rule = name.startsWith('dbhealth/') ? name.slice('dbhealth/'.length) : name;
    if (!isRuleName(rule)) throw new UsageError(`--rule: unknown rule "${name}"`);
    if (!isSeverity(severity)) throw new UsageError(`--rule ${name}: severity must be off, info, warning or error`);
    rules[rule] = severity;
  }
  return rules;
}

export async function lintFile(file: string, config: LintConfig, project?: ProjectIndex): Promise<FileReport> {
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_FILE_BYTES) return { file, findings: [], failure: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    return { file, findings: [], failure: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const outcome = await lintText(text, file, config, { project });
  switch (outcome.kind) {
    case 'linted':
      return { file, findings: outcome.findings };
    case 'unsupported':
      return { file, findings: [], failure: 'not a Python, JavaScript or TypeScript file' };
    case 'failed':
      return { file, findings: [], failure: outcome.reason };
  }
}

function formatText(reports: readonly FileReport[], cwd: string): string {
  const lines: string[] = [];
  let count = 0;
  for (const report of reports) {
    const shown = path.relative(cwd, report.file) || report.file;
    if (report.failure) lines.push(`${shown}: not analysed: ${report.failure}`);
    for (const finding of report.findings) {
      count++;
      lines.push(`${shown}:${finding.start.line}:${finding.start.column}: ${finding.severity} ${finding.message} [dbhealth/${finding.rule}]`);
    }
  }
  const failed = reports.filter((r) => r.failure).length;
  lines.push(
    `${count} problem${count === 1 ? '' : 's'} in ${reports.length} file${reports.length === 1 ? '' : 's'}` +
      (failed > 0 ? ` (${failed} not analysed)` : ''),
  );
  return lines.join('\n') + '\n';
}

/** The folders whose modules make up the project: the working directory and every folder named. */
function projectRoots(cwd: string, inputs: readonly string[]): string[] {
  const roots = [cwd];
  for (const input of inputs) {
    const full = path.resolve(cwd, input);
    roots.push(path.extname(full) === '' ? full : path.dirname(full));
  }
  return roots;
}

export async function runLintCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, ['format', 'rule'], ['include-tests']);
  const format = choiceOption(args, 'format', FORMATS, 'text');
  const config: LintConfig = { rules: parseRuleOverrides(args.options.get('rule') ?? []), includeTests: args.flags.has('include-tests') };
  const { files, missing } = await collectFiles(args.positionals, io.cwd, isSupportedFile);
  if (missing.length > 0) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);

  // One index for the run: what each module of the project offers its importers, read once.
  const project = new ProjectIndex({ roots: projectRoots(io.cwd, args.positionals) });
  const reports: FileReport[] = [];
  for (const file of files) reports.push(await lintFile(file, config, project));

  if (format === 'sarif') io.stdout(JSON.stringify(toSarif(reports, io.cwd, DBHEALTH_VERSION), null, 2) + '\n');
  else if (format === 'json') {
    const json = reports.map((r) => ({ file: path.relative(io.cwd, r.file) || r.file, findings: r.findings, failure: r.failure }));
    io.stdout(JSON.stringify({ files: json }, null, 2) + '\n');
  } else io.stdout(formatText(reports, io.cwd));

  if (format !== 'text') {
    for (const report of reports) if (report.failure) io.stderr(`${report.file}: not analysed: ${report.failure}\n`);
  }
  return reports.some((r) => r.findings.length > 0) ? 1 : 0;
}
