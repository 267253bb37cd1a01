/**
 * Fix-all applies only safe fixes (docs/decisions/fix-safety.md): on a file with a leak and with
 * missing timeouts, it moves the release into `finally` and leaves the pool options alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFixesUntilStable, lintText, RULES, RULE_NAMES } from '../../../src/engine';
import { registerFrontEnd } from '../../../src/engine/lint';

const PYTHON = `import psycopg2
from psycopg2.pool import ThreadedConnectionPool
import asyncpg
import sqlalchemy

pool = ThreadedConnectionPool(1, 5, "dbname=app connect_timeout=5")
engine = sqlalchemy.create_engine("mysql+pymysql://app@db/app")


def load(key):
    conn = pool.getconn()
    conn.cursor().execute("SELECT %s", (key,))
    pool.putconn(conn)


def direct():
    return psycopg2.connect("dbname=app")


async def work(apool: asyncpg.Pool):
    conn = await apool.acquire()
    try:
        return await conn.fetchval("SELECT 1")
    finally:
        await apool.release(conn)
`;

const TYPESCRIPT = `import { Pool } from 'pg';

export const pool = new Pool({ max: 10 });

export async function load(key: string) {
  const client = await pool.connect();
  await client.query('SELECT $1', [key]);
  client.release();
}
`;

for (const [language, file, text] of [['python', '/p/app.py', PYTHON], ['typescript', '/p/app.ts', TYPESCRIPT]] as const) {
  test(`${language}: fix-all applies the safe fix and offers the behaviour-changing edits as suggestions only`, async () => {
    const outcome = await lintText(text, file, {});
    assert.equal(outcome.kind, 'linted');
    const findings = outcome.kind === 'linted' ? outcome.findings : [];
    const rules = new Set(findings.map((f) => f.rule));
    // The sample has both kinds: a leak (safe fix) and timeouts or recycle (suggestions).
    assert.ok(rules.has('no-leaked-connection'), [...rules].join(', '));
    const unsafe = findings.filter((f) => f.rule !== 'no-leaked-connection');
    assert.ok(unsafe.length >= 2, `expected findings with behaviour-changing edits, got ${[...rules].join(', ')}`);
    for (const finding of unsafe) {
      assert.equal(finding.fix, undefined, `${finding.rule} must not carry an automatic fix`);
      assert.ok((finding.suggestions ?? []).length > 0 || finding.rule === 'require-statement-timeout' || finding.rule === 'no-connect-per-request', `${finding.rule} offers its edit as a suggestion`);
    }
    const fixed = await applyFixesUntilStable(text, async (current) => {
      const linted = await lintText(current, file, {});
      return linted.kind === 'linted' ? linted.findings : [];
    });
    // Only the release moved into finally; every pool option is as it was.
    assert.notEqual(fixed.text, text);
    assert.match(fixed.text, /finally:|finally \{/);
    for (const option of ['connect_timeout=10', 'timeout=10', 'pool_pre_ping', 'connectionTimeoutMillis', 'statement_timeout']) {
      assert.equal(fixed.text.includes(option), text.includes(option), `fix-all added ${option}`);
    }
    const after = await lintText(fixed.text, file, {});
    assert.ok(after.kind === 'linted' && !after.findings.some((f) => f.rule === 'no-leaked-connection' && f.start.line === findings.find((g) => g.rule === 'no-leaked-connection')!.start.line));
  });
}

test('the engine turns a fix from a rule not declared safe in that language into the first suggestion', async () => {
  const edit = { title: 'Add connect_timeout=10', edits: [{ start: 0, end: 0, text: 'x' }] };
  const other = { title: 'Something else', edits: [{ start: 1, end: 1, text: 'y' }] };
  const at = { line: 1, column: 1 };
  registerFrontEnd(['.unsafe-fixes'], async () => ({
    language: 'python',
    extensions: ['.unsafe-fixes'],
    lint: async () => ({
      kind: 'linted',
      findings: [
        { rule: 'require-connect-timeout', message: 'm', severity: 'warning', start: at, end: at, fix: edit, suggestions: [other] },
        { rule: 'no-leaked-connection', message: 'm', severity: 'error', start: at, end: at, fix: edit },
      ],
    }),
    forget: () => undefined,
  }) as never);
  const outcome = await lintText('text', '/p/a.unsafe-fixes', {});
  assert.ok(outcome.kind === 'linted');
  const [timeout, leak] = outcome.findings;
  assert.equal(timeout.fix, undefined);
  assert.deepEqual(timeout.suggestions, [edit, other]);
  assert.deepEqual(leak.fix, edit, 'a safe fix stays a fix');
  for (const name of RULE_NAMES) if (RULES[name].fixableIn.length > 0) assert.equal(name, 'no-leaked-connection', 'only the leak rule has safe fixes today');
});
