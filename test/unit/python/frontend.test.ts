import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../../src/engine';
import { findingsOf, lintSource, parsesCleanly, py } from './helpers';


const LEAKY = py`
  import psycopg2
  def load():
      conn = psycopg2.connect("dbname=app connect_timeout=5")
      conn.cursor().execute("SELECT 1")
`;

test('the engine dispatches .py files to the Python front end', async () => {
  const outcome = await lintText(LEAKY, '/project/app.py');
  assert.equal(outcome.kind, 'linted');
  assert.deepEqual(outcome.kind === 'linted' ? outcome.findings.map((f) => [f.rule, f.start.line, f.start.column]) : [], [['no-leaked-connection', 3, 12]]);
});

test('a trailing suppression comment silences the named rule on its line', async () => {
  const code = LEAKY.replace('connect_timeout=5")', 'connect_timeout=5")  # dbhealth: ignore[no-leaked-connection]');
  assert.deepEqual(await findingsOf(code), []);
});

test('a standalone suppression comment applies to the next line only for the listed rule', async () => {
  const code = py`
    import psycopg2
    def load():
        # dbhealth: ignore[require-connect-timeout]
        conn = psycopg2.connect("dbname=app")
        conn.cursor().execute("SELECT 1")
  `;
  assert.deepEqual((await findingsOf(code)).map((f) => f.rule), ['no-leaked-connection']);
});

test('a suppression for another rule does not silence this one', async () => {
  const code = LEAKY.replace('connect_timeout=5")', 'connect_timeout=5")  # dbhealth: ignore[sane-pool-size]');
  assert.deepEqual((await findingsOf(code)).map((f) => f.rule), ['no-leaked-connection']);
});

test('severity comes from configuration, and off disables the rule', async () => {
  const warned = await lintSource(LEAKY, { rules: { 'no-leaked-connection': 'warning' } });
  assert.deepEqual(warned.kind === 'linted' ? warned.findings.map((f) => f.severity) : [], ['warning']);
  const off = await lintSource(LEAKY, { rules: { 'no-leaked-connection': 'off' } });
  assert.deepEqual(off.kind === 'linted' ? off.findings : null, []);
});

test('positions count UTF-16 code units after astral characters and CRLF line ends', async () => {
  const code = 'import psycopg2\r\ndef load():\r\n    s = "𝔘𝔫𝔦"; conn = psycopg2.connect("dbname=app connect_timeout=5")\r\n    conn.cursor().execute("SELECT 1")\r\n';
  const [finding] = await findingsOf(code, 'no-leaked-connection');
  const line = code.split('\r\n')[2];
  assert.equal(finding.start.line, 3);
  assert.equal(finding.start.column, line.indexOf('psycopg2.connect') + 1);
  assert.equal(finding.end.column, line.indexOf('psycopg2.connect') + 'psycopg2.connect("dbname=app connect_timeout=5")'.length + 1);
});

test('the CRLF fix keeps CRLF line ends', async () => {
  const code = 'import psycopg2.pool\r\np = psycopg2.pool.SimpleConnectionPool(1, 2, "dbname=a connect_timeout=1 options=x")\r\ndef f():\r\n    c = p.getconn()\r\n    c.cursor().execute("x")\r\n    p.putconn(c)\r\n';
  const [finding] = await findingsOf(code, 'no-leaked-connection');
  assert.ok(finding.fix);
  assert.equal(finding.fix.edits[0].text, '    try:\r\n        c.cursor().execute("x")\r\n    finally:\r\n        p.putconn(c)');
});

test('files without a database import are not analysed further and yield nothing', async () => {
  assert.deepEqual(await findingsOf('import os\nconn = os.connect()\n'), []);
});

test('half-typed code still yields findings for the parts that parse', async () => {
  const code = py`
    import psycopg2
    def load():
        conn = psycopg2.connect("dbname=app connect_timeout=5")
        conn.cursor().execute("SELECT 1"
    def other(:
  `;
  // The premise: this file does not parse cleanly (an unclosed call, a half-typed signature).
  assert.equal(await parsesCleanly(code), false);
  const outcome = await lintSource(code);
  assert.equal(outcome.kind, 'linted');
  assert.deepEqual(outcome.kind === 'linted' ? outcome.findings.map((f) => [f.rule, f.start.line, f.start.column]) : [], [['no-leaked-connection', 3, 12]]);
});

test('a complete function before a half-typed one keeps all its findings', async () => {
  const code = py`
    import psycopg2
    def load():
        conn = psycopg2.connect("dbname=app")
        conn.cursor().execute("SELECT 1")

    def other(:
        conn = psycopg2.connect("dbname=app connect_timeout=5"
  `;
  assert.equal(await parsesCleanly(code), false);
  const outcome = await lintSource(code);
  assert.equal(outcome.kind, 'linted');
  assert.deepEqual(outcome.kind === 'linted' ? outcome.findings.map((f) => [f.rule, f.start.line, f.start.column]) : [], [
    ['no-leaked-connection', 3, 12],
    ['require-connect-timeout', 3, 12],
  ]);
});

test('binary junk is reported as failed with a reason, not thrown', async () => {
  const outcome = await lintSource('import psycopg2\u0000\u0001\u0002');
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.reason : '', /binary/);
});

test('a parse stopped by the time guard is reported as such', async () => {
  const { lintPython } = await import('../../../src/python/frontend');
  const { loadPythonParser } = await import('../../../src/python/parser');
  const big = 'import psycopg2\n' + 'x = [1, 2, 3]\n'.repeat(200_000);
  const outcome = lintPython(await loadPythonParser(), big, {}, 1);
  assert.equal(outcome.kind, 'failed');
  assert.match(outcome.kind === 'failed' ? outcome.reason : '', /^analysis stopped by the time guard: parsing ran longer than 1 ms$/);
  assert.equal(outcome.kind === 'failed' ? outcome.cause : '', 'time-guard');
});

test('a 1 MB file and deep nesting are analysed', async () => {
  const unit = py`
    def handler_N(pool):
        conn = pool.getconn()
        try:
            conn.cursor().execute("SELECT 1")
        finally:
            pool.putconn(conn)
  `;
  let big = 'import psycopg2\n';
  let handlers = 0;
  for (; big.length < 1024 * 1024; handlers++) big += unit.replace('N', String(handlers));
  // Every handler releases in `finally`: analysed, and nothing to report.
  assert.deepEqual(await lintSource(big), { kind: 'linted', findings: [] });

  // Python's parse and the analysis walk the tree without recursion: any depth is analysed.
  const deep = 'import psycopg2\nx = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n' + 'y = ' + '-'.repeat(5000) + '1\n' + 'z = a' + '.b'.repeat(5000) + '\n' + 'conn = psycopg2.connect("dbname=app connect_timeout=5")\n';
  const nested = await lintSource(deep);
  assert.equal(nested.kind, 'linted');
});
