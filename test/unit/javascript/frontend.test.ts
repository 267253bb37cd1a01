import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJavaScriptFrontEnd } from '../../../src/javascript/frontend';
import { applyFix, applyFixesUntilStable } from '../../../src/engine/fixes';
import type { Finding, LintConfig, LintOutcome } from '../../../src/engine/types';

const frontEnd = createJavaScriptFrontEnd();

async function lint(text: string, file = 'repo.ts', config: LintConfig = {}): Promise<LintOutcome> {
  return (await frontEnd).lint(text, file, config);
}

async function findings(text: string, file = 'repo.ts', config: LintConfig = {}): Promise<readonly Finding[]> {
  const outcome = await lint(text, file, config);
  assert.equal(outcome.kind, 'linted', JSON.stringify(outcome));
  return outcome.kind === 'linted' ? outcome.findings : [];
}

const LEAKY = `import { Pool } from 'pg';
const pool = new Pool({ connectionTimeoutMillis: 5000, statement_timeout: 10000 });
export async function total() {
  const client = await pool.connect();
  const result = await client.query('SELECT sum(x) FROM t');
  client.release();
  return result.rows[0];
}
`;

test('a release skipped on error is reported at the acquisition with 1-based positions, the catalogue severity and the release as related location', async () => {
  const [finding, ...rest] = await findings(LEAKY);
  assert.equal(rest.length, 0);
  assert.equal(finding.rule, 'no-leaked-connection');
  assert.equal(finding.severity, 'error');
  assert.deepEqual(finding.start, { line: 4, column: 24 });
  assert.deepEqual(finding.end, { line: 4, column: 38 });
  assert.match(finding.message, /finally/);
  assert.equal(finding.suggestions?.length, 1);
  assert.deepEqual(finding.related?.map((r) => [r.start, r.end]), [[{ line: 6, column: 3 }, { line: 6, column: 20 }]]);
  assert.match(finding.related![0].message, /skipped/);
});

test('severity overrides apply, and `off` stops the rule', async () => {
  assert.equal((await findings(LEAKY, 'repo.ts', { rules: { 'no-leaked-connection': 'info' } }))[0].severity, 'info');
  assert.equal((await findings(LEAKY, 'repo.ts', { rules: { 'no-leaked-connection': 'off' } })).length, 0);
});

test('// dbhealth-ignore-next-line and eslint-disable comments silence the named rule only', async () => {
  const acquisition = '  const client = await pool.connect();';
  const ignored = LEAKY.replace(acquisition, `  // dbhealth-ignore-next-line no-leaked-connection -- released by the caller\n${acquisition}`);
  assert.equal((await findings(ignored)).length, 0);
  const otherRule = LEAKY.replace(acquisition, `  // dbhealth-ignore-next-line require-acquire-timeout\n${acquisition}`);
  assert.equal((await findings(otherRule)).length, 1);
  const eslintDisabled = LEAKY.replace(acquisition, `${acquisition} // eslint-disable-line dbhealth/no-leaked-connection`);
  assert.equal((await findings(eslintDisabled)).length, 0);
});

test('the fix is in UTF-16 offsets, re-applies to a stable result, and leaves code that parses clean', async () => {
  const text = `// Größe 🚀 — non-ASCII before the edit
export async function run(pool: any) {
  const client = await pool.connect();
  await client.query('SELECT 1');
  client.release();
}
`;
  const [finding] = await findings(text);
  assert.ok(finding.fix, 'expected an automatic fix');
  const fixed = applyFix(text, finding.fix);
  assert.ok(fixed.includes("  try {\n    await client.query('SELECT 1');\n  } finally {\n    client.release();\n  }\n}"), fixed);
  const stable = await applyFixesUntilStable(text, async (current) => findings(current));
  assert.equal(stable.text, fixed);
  assert.equal(stable.passes, 1);
  assert.equal((await findings(stable.text)).length, 0);
});

test('a parse error is a failed outcome with a reason, not an exception', async () => {
  const outcome = await lint('export const = ;', 'broken.ts');
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.reason : '', /^cannot parse: .+ \(line 1, column \d+\)$/);
});

test('every JS/TS extension parses with its own syntax: JSX, TSX, CommonJS top-level return', async () => {
  const jsx = `import { Pool } from 'pg';\nconst pool = new Pool();\nexport const View = () => <div>{String(pool)}</div>;\n`;
  assert.deepEqual((await findings(jsx, 'view.jsx')).map((f) => f.rule).sort(), ['require-acquire-timeout', 'require-statement-timeout']);
  const tsx = `import { Pool } from 'pg';\nconst pool = new Pool({ connectionTimeoutMillis: 1, statement_timeout: 1 });\nexport const View = (p: { n: number }) => <b>{p.n as number}</b>;\n`;
  assert.deepEqual(await findings(tsx, 'view.tsx'), []);
  const cjs = `const mysql = require('mysql2');\nif (process.env.OFF) return;\nconst pool = mysql.createPool({ connectionLimit: 0 });\n`;
  assert.deepEqual((await findings(cjs, 'db.cjs')).map((f) => f.rule).sort(), ['require-acquire-timeout', 'sane-pool-size']);
  for (const file of ['a.js', 'a.mjs', 'a.cts', 'a.mts']) {
    const outcome = await lint(`const { Client } = require('pg');\nexport const client = new Client({ connectionTimeoutMillis: 0, statement_timeout: 1 });\n`, file);
    assert.deepEqual(outcome.kind === 'linted' ? outcome.findings.map((f) => f.rule) : outcome, ['require-connect-timeout'], file);
  }
});
