import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { LintWorkerClient } from '../../../src/extension/lint-worker-client';

// The worker bundle is built from source here, the way esbuild.mjs builds dist/lint-worker.js,
// so the test exercises the current worker and protocol rather than a stale dist/.
let directory: string;
let workerPath: string;

before(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'dbhealth-worker-test-'));
  workerPath = path.join(directory, 'lint-worker.js');
  await esbuild.build({
    entryPoints: ['src/engine/worker.ts'], outfile: workerPath, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    external: ['vscode'], logLevel: 'error',
  });
});

after(async () => {
  await rm(directory, { recursive: true, force: true });
});

test('the worker answers with the engine\'s supported extensions and lint outcomes', async () => {
  const client = new LintWorkerClient(workerPath);
  try {
    assert.equal(client.isStarted, false, 'no worker before the first request');
    const extensions = await client.supportedExtensions();
    assert.ok(extensions.includes('.py') && extensions.includes('.ts'), extensions.join(' '));
    const result = await client.lint('a', 1, 'x = 1\n', '/w/a.py', {});
    assert.equal(result.kind, 'done');
    assert.equal(result.version, 1);
    assert.equal(result.kind === 'done' && result.outcome.kind, 'linted');
    const unsupported = await client.lint('b', 1, 'x', '/w/b.txt', {});
    assert.deepEqual(unsupported, { kind: 'done', version: 1, outcome: { kind: 'unsupported' } });
  } finally {
    await client.dispose();
  }
});

test('while one version is analysed, newer requests replace the queued one', async () => {
  const client = new LintWorkerClient(workerPath);
  try {
    const results = await Promise.all([1, 2, 3, 4].map((version) => client.lint('doc', version, `x = ${version}\n`, '/w/doc.py', {})));
    assert.deepEqual(results.map((r) => [r.version, r.kind]), [[1, 'done'], [2, 'superseded'], [3, 'superseded'], [4, 'done']]);
    // Other documents are independent lanes.
    const [a, b] = await Promise.all([client.lint('a', 1, '', '/w/a.py', {}), client.lint('b', 1, '', '/w/b.ts', {})]);
    assert.equal(a.kind, 'done');
    assert.equal(b.kind, 'done');
  } finally {
    await client.dispose();
  }
});

test('a worker that cannot start fails requests with a clear reason instead of throwing', async () => {
  const broken = path.join(directory, 'broken-worker.js');
  await writeFile(broken, 'throw new Error("cannot load parser");\n');
  const client = new LintWorkerClient(broken);
  try {
    const result = await client.lint('a', 1, '', '/w/a.py', {});
    assert.equal(result.kind, 'done');
    assert.deepEqual(result.kind === 'done' && result.outcome, { kind: 'failed', cause: 'internal', reason: 'the dbhealth lint worker stopped: cannot load parser' });
    await assert.rejects(client.fixAll('', '/w/a.py', {}), /lint worker stopped: cannot load parser/);
  } finally {
    await client.dispose();
  }
});

test('a disposed client refuses work with a message', async () => {
  const client = new LintWorkerClient(workerPath);
  await client.dispose();
  const result = await client.lint('a', 1, '', '/w/a.py', {});
  assert.deepEqual(result, { kind: 'done', version: 1, outcome: { kind: 'failed', cause: 'internal', reason: 'the dbhealth lint worker has been shut down' } });
});
