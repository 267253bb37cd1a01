/**
 * The npm packages as a user gets them: built and packed (scripts/build-packages.mjs), their file
 * lists and sizes checked, installed from the tarballs into a fresh project, then `npx dbhealth
 * lint` and `npx eslint` with the plugin's recommended config run there on sample files — with
 * ESLint 9 and with the newest major the registry serves.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '../javascript/bundle';
import { JAVASCRIPT_RULES } from '../../../src/javascript/rules';

const MAX_INSTALLED_CLI_BYTES = 10 * 1024 * 1024;

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let work: string;
const tarballs: Record<'cli' | 'eslint-plugin', Packed & { tarball: string }> = {} as never;

before(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dbhealth-npm-packages-'));
  const staged = path.join(work, 'staged');
  execFileSync(process.execPath, ['scripts/build-packages.mjs', '--out', staged], { cwd: REPOSITORY_ROOT, stdio: 'pipe' });
  for (const name of ['cli', 'eslint-plugin'] as const) {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', path.join(staged, name), '--json', '--pack-destination', work], { cwd: work, encoding: 'utf8' })) as Packed[];
    tarballs[name] = { ...packed, tarball: path.join(work, packed.filename) };
  }
});

after(() => rmSync(work, { recursive: true, force: true }));

test('each package holds only what runs, and the CLI stays small', () => {
  assert.deepEqual(tarballs.cli.files.map((f) => f.path).sort(), ['LICENSE', 'README.md', 'dist/cli.js', 'dist/tree-sitter-python.wasm', 'dist/web-tree-sitter.wasm', 'package.json']);
  assert.deepEqual(tarballs['eslint-plugin'].files.map((f) => f.path).sort(), ['LICENSE', 'README.md', 'dist/index.js', 'package.json']);
  assert.ok(tarballs.cli.unpackedSize <= MAX_INSTALLED_CLI_BYTES, `the CLI unpacks to ${tarballs.cli.unpackedSize} bytes`);
  // The plugin bundles only dbhealth's own code: the parser and ESLint come from the user's project.
  assert.ok(tarballs['eslint-plugin'].unpackedSize < 500 * 1024, `the plugin unpacks to ${tarballs['eslint-plugin'].unpackedSize} bytes`);
});

const SAMPLES: Record<string, string> = {
  'service/orders.py': 'import psycopg2\n\ndef load():\n    conn = psycopg2.connect("dbname=app connect_timeout=5")\n    conn.cursor().execute("SELECT 1")\n',
  'src/orders.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionTimeoutMillis: 5000, statement_timeout: 5000 });\nexport async function place(id: number) {\n  const client = await pool.connect();\n  await client.query('INSERT INTO orders VALUES ($1)', [id]);\n  client.release();\n}\n",
  'src/legacy.cjs': "const mysql = require('mysql');\nconst pool = mysql.createPool({ connectionLimit: 500, waitForConnections: false });\nmodule.exports = pool;\n",
  'eslint.config.mjs': "import dbhealth from 'eslint-plugin-dbhealth';\n\nexport default [dbhealth.configs.recommended];\n",
};

/** A fresh project with the tarballs and one ESLint major installed from the registry (the npm cache first). */
function project(eslintRange: string): string {
  const root = path.join(work, `project-eslint-${eslintRange.replace(/\W/g, '')}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'user-project', private: true, version: '1.0.0' }));
  for (const [file, text] of Object.entries(SAMPLES)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarballs.cli.tarball, tarballs['eslint-plugin'].tarball, `eslint@${eslintRange}`], { cwd: root, encoding: 'utf8', timeout: 600_000 });
  assert.equal(install.status, 0, install.stderr);
  return root;
}

function directorySize(directory: string): number {
  let total = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    total += entry.isDirectory() ? directorySize(full) : statSync(full).size;
  }
  return total;
}

interface EslintResult {
  filePath: string;
  messages: { ruleId: string | null; line: number; column: number }[];
}

for (const [label, range] of [['ESLint 9', '^9'], ['the newest ESLint', 'latest']] as const) {
  test(`installed from the tarballs beside ${label}: npx dbhealth lint and npx eslint find what they should`, { timeout: 600_000 }, () => {
    const root = project(range);
    const installed = directorySize(path.join(root, 'node_modules', 'dbhealth'));
    assert.ok(installed <= MAX_INSTALLED_CLI_BYTES, `the CLI takes ${installed} bytes installed`);

    const lint = spawnSync('npx', ['--no-install', 'dbhealth', 'lint', 'service', 'src'], { cwd: root, encoding: 'utf8' });
    assert.equal(lint.status, 1, lint.stdout + lint.stderr);
    assert.match(lint.stdout, /^service\/orders\.py:4:12: error .*\[dbhealth\/no-leaked-connection\]$/m);
    assert.match(lint.stdout, /^src\/legacy\.cjs:2:\d+: error .*\[dbhealth\/sane-pool-size\]$/m);
    assert.match(lint.stdout, /^src\/orders\.ts:4:\d+: error .*\[dbhealth\/no-leaked-connection\]$/m);

    const eslint = spawnSync('npx', ['--no-install', 'eslint', '--format', 'json', 'src'], { cwd: root, encoding: 'utf8' });
    assert.equal(eslint.status, 1, eslint.stderr);
    const results = JSON.parse(eslint.stdout) as EslintResult[];
    const found = results.flatMap((r) => r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.ruleId}`)).sort();
    // The query can throw before the release: a leak, as the CLI says too.
    assert.deepEqual(found, ['src/legacy.cjs:2 dbhealth/sane-pool-size', 'src/orders.ts:4 dbhealth/no-leaked-connection']);
    const version = execFileSync('npx', ['--no-install', 'eslint', '--version'], { cwd: root, encoding: 'utf8' }).trim();
    const major = Number(/^v(\d+)\./.exec(version)?.[1]);
    if (range === '^9') assert.equal(major, 9, version);
    else assert.ok(major >= 10, `the newest ESLint is ${version}`);
    // Every JS rule is in the plugin and in its recommended config.
    const probe = execFileSync(process.execPath, ['--input-type=module', '-e', "import p from 'eslint-plugin-dbhealth'; console.log(JSON.stringify({ meta: p.meta, rules: Object.keys(p.rules), recommended: Object.keys(p.configs.recommended.rules) }))"], { cwd: root, encoding: 'utf8' });
    const plugin = JSON.parse(probe) as { meta: { name: string; version: string }; rules: string[]; recommended: string[] };
    assert.equal(plugin.meta.name, 'eslint-plugin-dbhealth');
    assert.match(plugin.meta.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(plugin.rules.sort(), Object.keys(JAVASCRIPT_RULES).sort());
    assert.deepEqual(plugin.recommended.sort(), Object.keys(JAVASCRIPT_RULES).map((name) => `dbhealth/${name}`).sort());
  });
}
