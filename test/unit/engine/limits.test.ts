/**
 * The input limits (src/engine/limits.ts) are properties of the file: the same file is analysed, or
 * not, the same way every time, on an idle or a busy machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { lintText } from '../../../src/engine';
import { MAX_FILE_BYTES, MAX_NESTING_DEPTH } from '../../../src/engine/limits';
import { seededRandom } from './edit-sessions';

const PYTHON_HEAD = 'import psycopg2\nfrom psycopg2.pool import ThreadedConnectionPool\npool = ThreadedConnectionPool(1, 10, "dbname=app connect_timeout=5")\n';
const JS_HEAD = "import { Pool } from 'pg';\nconst pool = new Pool({ max: 10, connectionTimeoutMillis: 5000, statement_timeout: 5000 });\n";

/** Service-shaped code of about `bytes`: handlers that leak on an early return, handlers that release. */
function generated(language: 'python' | 'javascript', bytes: number): string {
  const parts = [language === 'python' ? PYTHON_HEAD : JS_HEAD];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const part =
      language === 'python'
        ? `\ndef load_${i}(key):\n    conn = pool.getconn()\n    cur = conn.cursor()\n    cur.execute("SELECT %s", (key,))\n    if cur.fetchone() is None:\n        return None\n    pool.putconn(conn)\n    return key\n`
        : `\nexport async function load${i}(key) {\n  const client = await pool.connect();\n  const { rows } = await client.query('SELECT $1', [key]);\n  if (rows.length === 0) return null;\n  client.release();\n  return rows[0];\n}\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

const FILE = { python: '/project/app.py', javascript: '/project/app.js' } as const;

for (const language of ['python', 'javascript'] as const) {
  test(`${language}: a file over ${MAX_FILE_BYTES / 1024 / 1024} MB is reported as too large, one just under is analysed`, async () => {
    const over = generated(language, MAX_FILE_BYTES + 1);
    const outcome = await lintText(over, FILE[language], {});
    assert.equal(outcome.kind === 'failed' && outcome.cause, 'too-large');
    assert.match(outcome.kind === 'failed' ? outcome.reason : '', /^the file is 10\.0 MB, larger than the 10 MB dbhealth analyses$/);
    // Multi-byte characters count as the bytes they take in UTF-8, not as string length.
    const wide = '# ' + 'é'.repeat(MAX_FILE_BYTES / 2) + '\n';
    assert.equal(wide.length < MAX_FILE_BYTES, true);
    const wideOutcome = await lintText(wide, FILE[language], {});
    assert.equal(wideOutcome.kind === 'failed' && wideOutcome.cause, 'too-large');
  });
}

/** Pathological nesting of every kind the grammars allow, at a random depth past the limit. */
function deepInputs(language: 'python' | 'javascript', next: () => number): string[] {
  const depth = () => MAX_NESTING_DEPTH + 1 + Math.floor(next() * 4 * MAX_NESTING_DEPTH);
  if (language === 'python') {
    const d = depth();
    return [
      `x = ${'('.repeat(d)}1${')'.repeat(d)}`,
      `x = ${'['.repeat(d)}${']'.repeat(d)}`,
      `x = ${'-'.repeat(d)}1`,
      `x = a${'.b'.repeat(d)}`,
      `x = ${Array(d).fill('a').join(' + ')}`,
      `x = ${'f('.repeat(d)}1${')'.repeat(d)}`,
      `x = ${'{"k": '.repeat(d)}1${'}'.repeat(d)}`,
      `x = ${'['.repeat(d)}`,
    ].map((body) => `${PYTHON_HEAD}${body}\nconn = psycopg2.connect("dbname=app")\n`);
  }
  const d = depth();
  return [
    `const x = ${'['.repeat(d)}${']'.repeat(d)};`,
    `const x = ${'('.repeat(d)}1${')'.repeat(d)};`,
    `const x = ${'f('.repeat(d)}1${')'.repeat(d)};`,
    `const x = ${'{a:'.repeat(d)}1${'}'.repeat(d)};`,
    `const x = ${'a ? b : '.repeat(d)}c;`,
    `const x = ${Array(d).fill('a').join(' + ')};`,
    `const x = a${'.b'.repeat(d)};`,
    `const x = ${'!'.repeat(d)}a;`,
    `const x = ${'() => '.repeat(d)}1;`,
    `function f(a) {\n${'if (a) {\n'.repeat(d)}${'}\n'.repeat(d)}}`,
    `const x = ${'`${'.repeat(d)}1${'}`'.repeat(d)};`,
  ].map((body) => `${JS_HEAD}${body}\n`);
}

test('pathological nesting: Python is analysed at any depth; JS/TS past the limit is reported as too deep, never as "undefined"', async () => {
  const next = seededRandom(20261130);
  for (let round = 0; round < 3; round++) {
    for (const input of deepInputs('python', next)) {
      const outcome = await lintText(input, FILE.python, {});
      assert.equal(outcome.kind, 'linted', JSON.stringify(outcome).slice(0, 300));
    }
    for (const input of deepInputs('javascript', next)) {
      const outcome = await lintText(input, FILE.javascript, {});
      assert.equal(outcome.kind === 'failed' && outcome.cause, 'too-deep', JSON.stringify(outcome).slice(0, 300));
      assert.doesNotMatch(JSON.stringify(outcome), /undefined|stack size/);
    }
  }
});

/** Threads that keep the CPU busy until stopped. */
function busyThreads(count: number): { stop: () => Promise<void> } {
  const workers = Array.from({ length: count }, () => new Worker('const end = Date.now() + 600_000; while (Date.now() < end) Math.sqrt(Math.random());', { eval: true }));
  return { stop: async () => void (await Promise.all(workers.map((worker) => worker.terminate()))) };
}

test('the same large file gives the same result on every run while the CPU is kept busy', async () => {
  const inputs = { python: generated('python', 2 * 1024 * 1024), javascript: generated('javascript', 1024 * 1024) };
  const quiet = { python: await lintText(inputs.python, FILE.python, {}), javascript: await lintText(inputs.javascript, FILE.javascript, {}) };
  for (const outcome of Object.values(quiet)) assert.equal(outcome.kind, 'linted');
  const busy = busyThreads(3);
  try {
    for (let run = 0; run < 3; run++) {
      for (const language of ['python', 'javascript'] as const) {
        assert.deepEqual(await lintText(inputs[language], FILE[language], {}), quiet[language], `${language}, run ${run + 1} under load`);
      }
    }
  } finally {
    await busy.stop();
  }
});
