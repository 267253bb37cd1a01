import assert from 'node:assert/strict';
import { applyFix } from '../../../src/engine/fixes';
import type { RuleName } from '../../../src/engine/catalogue';
import type { Finding, LintConfig, LintOutcome } from '../../../src/engine/types';
import { lintPython } from '../../../src/python/frontend';
import { loadPythonParser } from '../../../src/python/parser';

/** Strips the common indentation of a template literal so cases read like real files. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = String.raw({ raw: strings }, ...values).replace(/^\n/, '').replace(/\n[ \t]*$/, '\n');
  const lines = raw.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common)).join('\n');
}

export async function lintSource(code: string, config: LintConfig = {}): Promise<LintOutcome> {
  return lintPython(await loadPythonParser(), code, config);
}

export async function findingsOf(code: string, rule?: RuleName): Promise<Finding[]> {
  const outcome = await lintSource(code);
  assert.equal(outcome.kind, 'linted', outcome.kind === 'failed' ? outcome.reason : 'unsupported');
  const findings = outcome.kind === 'linted' ? outcome.findings : [];
  return rule ? findings.filter((f) => f.rule === rule) : [...findings];
}

/** Whether tree-sitter parses `code` without any ERROR or MISSING node. */
export async function parsesCleanly(code: string): Promise<boolean> {
  const parser = await loadPythonParser();
  const tree = parser.parse(code);
  if (!tree) return false;
  const ok = !tree.rootNode.hasError;
  tree.delete();
  return ok;
}

export interface InvalidCase {
  readonly name: string;
  readonly code: string;
  readonly line: number;
  readonly column: number;
  /** A fragment the message must contain. */
  readonly message: string;
  /** The file after the finding's fix, or null when the finding must carry no fix. */
  readonly output?: string | null;
  /** The file after the first suggestion, when one is expected. */
  readonly suggestion?: string;
}

export interface ValidCase {
  readonly name: string;
  readonly code: string;
}

/** Runs a rule's table: each invalid case yields exactly one finding of the rule, each valid none. */
export function ruleTable(
  rule: RuleName,
  cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] },
  define: { test: (name: string, fn: () => Promise<void>) => unknown },
): void {
  for (const valid of cases.valid) {
    define.test(`${rule} valid: ${valid.name}`, async () => {
      assert.deepEqual((await findingsOf(valid.code, rule)).map((f) => `${f.start.line}:${f.start.column} ${f.message}`), []);
    });
  }
  for (const invalid of cases.invalid) {
    define.test(`${rule} invalid: ${invalid.name}`, async () => {
      const findings = await findingsOf(invalid.code, rule);
      assert.equal(findings.length, 1, `expected one finding, got: ${JSON.stringify(findings.map((f) => f.message))}`);
      const [finding] = findings;
      assert.equal(finding.rule, rule);
      assert.deepEqual([finding.start.line, finding.start.column], [invalid.line, invalid.column]);
      assert.ok(finding.message.includes(invalid.message), `message was: ${finding.message}`);
      if (invalid.output !== undefined) {
        if (invalid.output === null) assert.equal(finding.fix, undefined, 'expected no fix');
        else {
          assert.ok(finding.fix, 'expected a fix');
          const fixed = applyFix(invalid.code, finding.fix);
          assert.equal(fixed, invalid.output);
          assert.ok(await parsesCleanly(fixed), 'the fixed file must still parse');
          assert.deepEqual(await findingsOf(fixed, rule), [], 'the fix must remove the finding');
        }
      }
      if (invalid.suggestion !== undefined) {
        assert.ok(finding.suggestions && finding.suggestions.length > 0, 'expected a suggestion');
        const suggested = applyFix(invalid.code, finding.suggestions[0]);
        assert.equal(suggested, invalid.suggestion);
        assert.ok(await parsesCleanly(suggested), 'the suggested file must still parse');
        assert.deepEqual(await findingsOf(suggested, rule), [], 'the suggestion must remove the finding');
      }
    });
  }
}
