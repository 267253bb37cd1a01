/**
 * The pre-commit hook (.pre-commit-hooks.yaml), run the way pre-commit runs it: the staged files
 * whose type the hook takes are appended to its entry, and its exit code decides the commit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { bundleCli, REPOSITORY_ROOT } from '../javascript/bundle';

interface HookDefinition {
  id: string;
  entry: string;
  language: string;
  types_or: string[];
  args?: string[];
  pass_filenames?: boolean;
}

/** The file types pre-commit's `identify` gives these extensions (the ones the hook names). */
const TYPES_BY_EXTENSION: Record<string, string[]> = {
  '.py': ['python'], '.pyi': ['pyi'], '.js': ['javascript'], '.mjs': ['javascript'], '.cjs': ['javascript'],
  '.jsx': ['jsx'], '.ts': ['ts'], '.mts': ['ts'], '.cts': ['ts'], '.tsx': ['tsx'], '.md': ['markdown'], '.json': ['json'],
};

let directory: string;
let cli: string;
let hook: HookDefinition;

before(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'dbhealth-pre-commit-'));
  const hooks = load(readFileSync(path.join(REPOSITORY_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as HookDefinition[];
  hook = hooks.find((h) => h.id === 'dbhealth')!;
  cli = await bundleCli(mkdtempSync(path.join(tmpdir(), 'dbhealth-pre-commit-cli-')));
  const files: Record<string, string> = {
    'app/orders.py': 'import psycopg2\n\ndef load():\n    conn = psycopg2.connect("dbname=app connect_timeout=5")\n    conn.cursor().execute("SELECT 1")\n',
    'app/clean.py': 'import psycopg\n\ndef load():\n    with psycopg.connect("dbname=app connect_timeout=5") as conn:\n        return conn.execute("SELECT 1").fetchone()\n',
    'web/pool.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000, statement_timeout: 5000 });\n",
    'README.md': '# notes\n',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
    writeFileSync(path.join(directory, name), text);
  }
});
after(() => rmSync(directory, { recursive: true, force: true }));

/** What pre-commit does: keep the staged files of the hook's types, append them to entry + args, run in the repository. */
function runHook(staged: string[]) {
  const chosen = staged.filter((file) => (TYPES_BY_EXTENSION[path.extname(file)] ?? []).some((type) => hook.types_or.includes(type)));
  const [command, ...entryArgs] = hook.entry.split(/\s+/);
  assert.equal(command, 'dbhealth', 'the entry runs the package bin');
  const argv = [...entryArgs, ...(hook.args ?? []), ...(hook.pass_filenames === false ? [] : chosen)];
  return { chosen, run: spawnSync(process.execPath, [cli, ...argv], { cwd: directory, encoding: 'utf8' }) };
}

test('the hook is a node hook on Python and JS/TS files, run once with every file', () => {
  assert.equal(hook.language, 'node');
  assert.deepEqual(hook.types_or.sort(), ['javascript', 'jsx', 'pyi', 'python', 'ts', 'tsx']);
});

test('a staged leak fails the commit with the finding; clean staged files pass; other files are not passed', () => {
  const failing = runHook(['app/orders.py', 'README.md', 'web/pool.ts']);
  assert.deepEqual(failing.chosen, ['app/orders.py', 'web/pool.ts']);
  assert.equal(failing.run.status, 1, failing.run.stderr);
  assert.match(failing.run.stdout, /^app\/orders\.py:4:12: error .*\[dbhealth\/no-leaked-connection\]$/m);
  assert.match(failing.run.stdout, /^1 problem in 2 files$/m);

  const passing = runHook(['app/clean.py', 'web/pool.ts', 'README.md']);
  assert.equal(passing.run.status, 0, passing.run.stdout + passing.run.stderr);
  assert.match(passing.run.stdout, /^0 problems in 2 files$/m);
});

test('a staged file that was deleted before the hook ran fails with its reason, not a crash', () => {
  const { run } = runHook(['app/gone.py']);
  assert.equal(run.status, 3);
  assert.match(run.stdout, /^app\/gone\.py: not analysed: no such file or directory \(ENOENT\)$/m);
});
