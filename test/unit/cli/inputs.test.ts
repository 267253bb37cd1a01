/**
 * `dbhealth lint` on awkward inputs, through the bundled CLI in a process of its own (as a CI job
 * runs it): files it cannot analyse are listed in every format and make it exit 3, a bad path does
 * not stop the others, and no message carries a stack trace or "undefined".
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleCli } from '../javascript/bundle';
import { describeReadError } from '../../../src/cli/files';
import { MAX_FILE_BYTES, MAX_NESTING_DEPTH } from '../../../src/engine/limits';

let directory: string;
let cli: string;

const LEAKY_PY = 'import psycopg2\n\ndef load():\n    conn = psycopg2.connect("dbname=app connect_timeout=5")\n    conn.cursor().execute("SELECT 1")\n';

/** Nested `if` blocks: each level is two syntax-tree levels (the statement and its block). */
function nestedIfs(levels: number): string {
  return `const { Pool } = require('pg');\nfunction f(a) {\n${'if (a) {\n'.repeat(levels)}${'}\n'.repeat(levels)}}\n`;
}

before(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'dbhealth-cli-inputs-'));
  cli = await bundleCli(directory);
  const files: Record<string, string | Buffer> = {
    'project/leaky.py': LEAKY_PY,
    'project/binary.py': Buffer.from([0x00, 0x01, 0xff, 0x00]),
    'project/huge.py': 'x = 1\n'.repeat(Math.ceil((MAX_FILE_BYTES + 1) / 6)),
    // Just within the limit, and deeper than the parser gets on the main thread's default stack.
    'deep/within.js': `const pg = require('pg');\nconst x = ${'['.repeat(MAX_NESTING_DEPTH - 10)}${']'.repeat(MAX_NESTING_DEPTH - 10)};\n`,
    'deep/ifs.js': nestedIfs(450),
    'deep/beyond.js': `const pg = require('pg');\nconst x = ${'['.repeat(MAX_NESTING_DEPTH + 50)}${']'.repeat(MAX_NESTING_DEPTH + 50)};\n`,
    'syntax/broken.js': 'export const = ;\n',
    'latin1/cafe.py': Buffer.concat([Buffer.from('import psycopg2\n# caf'), Buffer.from([0xe9]), Buffer.from('\nconn = psycopg2.connect("dbname=app")\n')]),
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(directory, name);
    spawnSync('mkdir', ['-p', path.dirname(file)]);
    writeFileSync(file, content);
  }
  symlinkSync('loop-b', path.join(directory, 'loop-a'));
  symlinkSync('loop-a', path.join(directory, 'loop-b'));
});

after(() => rmSync(directory, { recursive: true, force: true }));

function lint(...args: string[]) {
  const run = spawnSync(process.execPath, [cli, 'lint', ...args], { cwd: directory, encoding: 'utf8', timeout: 120_000 });
  for (const output of [run.stdout, run.stderr]) {
    assert.doesNotMatch(output, /undefined|\n\s+at .+:\d+:\d+\)?\n/, `a message names "undefined" or carries a stack trace:\n${output}`);
  }
  return run;
}

test('files that are not analysed are listed in text, JSON and SARIF, and the exit code is 3 in each', () => {
  const text = lint('project');
  assert.equal(text.status, 3, text.stderr);
  assert.match(text.stdout, /^project\/binary\.py: not analysed: the file contains NUL bytes/m);
  assert.match(text.stdout, /^project\/huge\.py: not analysed: the file is 10\.0 MB, larger than the 10 MB dbhealth analyses$/m);
  assert.match(text.stdout, /^project\/leaky\.py:4:12: error /m);
  assert.match(text.stdout, /^1 problem in 3 files \(2 not analysed\)$/m);

  const json = lint('project', '--format', 'json');
  assert.equal(json.status, 3, json.stderr);
  const document = JSON.parse(json.stdout) as { notAnalysed: number; files: { file: string; cause?: string; failure?: string; findings: unknown[] }[] };
  assert.equal(document.notAnalysed, 2);
  assert.deepEqual(
    document.files.map((f) => [f.file, f.cause ?? null, f.findings.length]),
    [['project/binary.py', 'binary', 0], ['project/huge.py', 'too-large', 0], ['project/leaky.py', null, 1]],
  );
  assert.match(json.stderr, /huge\.py: not analysed: the file is 10\.0 MB/);

  const sarif = lint('project', '--format', 'sarif');
  assert.equal(sarif.status, 3, sarif.stderr);
  const [run] = (JSON.parse(sarif.stdout) as { runs: { results: unknown[]; invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }[] }).runs;
  assert.equal(run.results.length, 1);
  assert.equal(run.invocations[0].executionSuccessful, false);
  assert.deepEqual(
    run.invocations[0].toolExecutionNotifications.map((n) => [n.level, n.locations[0].physicalLocation.artifactLocation.uri, /^not analysed: /.test(n.message.text)]),
    [['error', 'project/binary.py', true], ['error', 'project/huge.py', true]],
  );
});

test('a missing path and a symbolic-link loop are each reported with the real reason, and the other paths are still linted', () => {
  const run = lint('no-such-folder', 'loop-a', 'project/leaky.py');
  assert.equal(run.status, 3, run.stderr);
  assert.match(run.stdout, /^no-such-folder: not analysed: no such file or directory \(ENOENT\)$/m);
  assert.match(run.stdout, /^loop-a: not analysed: too many levels of symbolic links \(a link loop\) \(ELOOP\)$/m);
  assert.match(run.stdout, /^project\/leaky\.py:4:12: error /m);
});

test('a path that cannot be read for lack of permission says so (the code-to-words table; tests run as root, which may read anything)', () => {
  assert.deepEqual(describeReadError(Object.assign(new Error('x'), { code: 'EACCES' })), { code: 'EACCES', reason: 'permission denied (EACCES)' });
  assert.deepEqual(describeReadError(Object.assign(new Error('x'), { code: 'EWEIRD' })), { code: 'EWEIRD', reason: 'cannot be read (EWEIRD)' });
});

test('nesting within the limit is analysed, deeper nesting is reported with its line, whatever the thread', () => {
  const run = lint('deep', '--format', 'json');
  const document = JSON.parse(run.stdout) as { files: { file: string; cause?: string; failure?: string }[] };
  const byFile = Object.fromEntries(document.files.map((f) => [f.file, f]));
  assert.equal(byFile['deep/within.js'].failure, undefined, JSON.stringify(byFile['deep/within.js']));
  assert.equal(byFile['deep/ifs.js'].failure, undefined, JSON.stringify(byFile['deep/ifs.js']));
  assert.equal(byFile['deep/beyond.js'].cause, 'too-deep');
  assert.equal(byFile['deep/beyond.js'].failure, `the code is nested more than ${MAX_NESTING_DEPTH} levels deep (at line 2), deeper than dbhealth analyses`);
  assert.equal(run.status, 3);
});

test('a syntax error names its line and column', () => {
  const run = lint('syntax');
  assert.equal(run.status, 3);
  assert.match(run.stdout, /^syntax\/broken\.js: not analysed: cannot parse: .+ \(line 1, column \d+\)$/m);
});

test('invalid UTF-8 is a warning with the byte offset, and the file is still analysed', () => {
  const run = lint('latin1');
  assert.equal(run.status, 1, 'findings, and every file analysed');
  assert.match(run.stdout, /^latin1\/cafe\.py: warning: invalid UTF-8 at byte 21: analysed with the invalid bytes replaced by U\+FFFD$/m);
  assert.match(run.stdout, /^latin1\/cafe\.py:3:8: warning .*connect_timeout/m);
});

test('--help lists the exit codes', () => {
  const run = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
  assert.equal(run.status, 0);
  for (const code of ['0', '1', '2', '3']) assert.match(run.stdout, new RegExp(`^  ${code}  \\S`, 'm'));
});
