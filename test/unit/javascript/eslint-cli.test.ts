import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleEntry, REPOSITORY_ROOT } from './bundle';

// The README's flat config, verbatim apart from the import path.
const FLAT_CONFIG = `import dbhealth from './eslint-plugin.js';

export default [
  dbhealth.configs.recommended,
  { rules: { 'dbhealth/require-statement-timeout': 'off' } },
];
`;

const SAMPLES: Record<string, string> = {
  'src/orders.ts': `import { Pool } from 'pg';
export const pool = new Pool({ connectionTimeoutMillis: 5000 });
export async function place(id: number) {
  const client = await pool.connect();
  await client.query('INSERT INTO orders VALUES ($1)', [id]);
  client.release();
}
`,
  'src/legacy.cjs': `const mysql = require('mysql');
const pool = mysql.createPool({ connectionLimit: 500, waitForConnections: false });
module.exports = pool;
`,
  'src/clean.mjs': `import pg from 'pg';
export const pool = new pg.Pool({ connectionTimeoutMillis: 2000, max: 10 });
export const count = async () => (await pool.query('SELECT count(*) FROM t')).rows[0];
`,
  'src/suppressed.ts': `import { Pool } from 'pg';
// eslint-disable-next-line dbhealth/require-acquire-timeout -- a batch job, waiting is fine
export const pool = new Pool();
`,
};

let workspace: string;

before(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'dbhealth-eslint-cli-'));
  await bundleEntry(path.join(REPOSITORY_ROOT, 'src/javascript/plugin.ts'), path.join(workspace, 'eslint-plugin.js'));
  await writeFile(path.join(workspace, 'eslint.config.mjs'), FLAT_CONFIG);
  for (const [file, text] of Object.entries(SAMPLES)) {
    await mkdir(path.dirname(path.join(workspace, file)), { recursive: true });
    await writeFile(path.join(workspace, file), text);
  }
});

after(() => rm(workspace, { recursive: true, force: true }));

interface EslintResult {
  filePath: string;
  messages: { ruleId: string | null; severity: number; line: number; column: number; message: string; fix?: unknown }[];
}

test('the real eslint CLI runs dbhealth.configs.recommended on JS and TS files', () => {
  const eslint = path.join(REPOSITORY_ROOT, 'node_modules/.bin/eslint');
  const run = spawnSync(eslint, ['--format', 'json', 'src'], { cwd: workspace, encoding: 'utf8' });
  assert.equal(run.status, 1, `eslint exits 1 when it finds errors\n${run.stderr}`);
  const results = JSON.parse(run.stdout) as EslintResult[];
  const byFile = Object.fromEntries(
    results.map((r) => [path.relative(workspace, r.filePath), r.messages.map((m) => `${m.line}:${m.column} ${m.severity} ${m.ruleId}`)]),
  );
  assert.deepEqual(byFile, {
    'src/clean.mjs': [],
    'src/legacy.cjs': ['2:50 2 dbhealth/sane-pool-size'],
    'src/orders.ts': ['4:24 2 dbhealth/no-leaked-connection'],
    'src/suppressed.ts': [],
  });
  const leak = results.find((r) => r.filePath.endsWith('orders.ts'))!.messages[0];
  assert.ok(leak.fix, 'the leak carries an automatic fix');
});

test('eslint --fix applies the try/finally fix', async () => {
  const eslint = path.join(REPOSITORY_ROOT, 'node_modules/.bin/eslint');
  const run = spawnSync(eslint, ['--fix', '--format', 'json', 'src/orders.ts'], { cwd: workspace, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const { readFile } = await import('node:fs/promises');
  const fixed = await readFile(path.join(workspace, 'src/orders.ts'), 'utf8');
  assert.ok(fixed.includes(`  try {\n    await client.query('INSERT INTO orders VALUES ($1)', [id]);\n  } finally {\n    client.release();\n  }\n`), fixed);
});
