/**
 * Linting an open document reuses its previous tree: tree-sitter re-parses only what the edit
 * touched. Typing sessions over the samples and the rule tables' code compare every incremental
 * lint with a fresh one; non-ASCII text checks that edits are described in the units the parser counts.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPythonFrontEnd } from '../../../src/python/frontend';
import { pythonService } from '../../support/generated-services';
import { applyEdit, editCorpus, ruleTables, seededRandom, taggedSnippets, TypingSession, type CorpusFile } from '../engine/edit-sessions';
import { parsesCleanly, py } from './helpers';

const STATEMENTS = [
  'conn.close()',
  'pool.putconn(conn)',
  'requests.get(url, timeout=5)',
  'conn = pool.getconn()',
  'conn = psycopg2.connect("dbname=app")',
  'with pool.connection() as conn:\n    conn.execute("SELECT 1")',
  'try:\n    cur.execute("SELECT 1")\nexcept Exception:\n    pass',
  'cur.execute("BEGIN")',
  'conn.rollback()',
  'while True:\n    try:\n        break\n    except psycopg2.OperationalError:\n        continue',
  'import psycopg2',
  'from sqlalchemy import create_engine',
  'engine = create_engine("postgresql://db/app")',
  '# dbhealth: ignore',
  'text = "é — 😀"',
];

const HALF_TYPED = ['def f(', '    ', 'try:', '"""', "'", '(', 'é', '😀', '\t'];

function corpus(): CorpusFile[] {
  const snippets = ruleTables('python').flatMap((file) => taggedSnippets(file, /\bpy/, 'raw')).map((raw) => py(Object.assign([raw], { raw: [raw] })));
  return editCorpus(['.py'], snippets, pythonService(600));
}

test('linting with the previous tree equals a fresh lint across random typing sessions', async () => {
  const frontEnd = await createPythonFrontEnd();
  const files = corpus();
  assert.ok(files.length >= 10, `corpus too small: ${files.length} files`);
  let edits = 0;
  let withFindings = 0;
  let reducedEdits = 0;
  /** Edits from a cleanly parsing text to another: the ones a reduced copy could answer. */
  let eligible = 0;
  for (const [index, file] of files.entries()) {
    const random = seededRandom(index + 1);
    const documentKey = file.name;
    let text = file.text;
    let session = new TypingSession(random, STATEMENTS, HALF_TYPED, text.length);
    await frontEnd.lint(text, '/project/app.py', {}, { documentKey });
    for (let step = 0; step < 40; step++) {
      if (step % 10 === 0) {
        text = file.text;
        session = new TypingSession(random, STATEMENTS, HALF_TYPED, text.length);
      }
      const before = text;
      text = applyEdit(text, session.next(text));
      if ((await parsesCleanly(before)) && (await parsesCleanly(text))) eligible++;
      const reducedBefore = frontEnd.reuse.reduced;
      const incremental = await frontEnd.lint(text, '/project/app.py', {}, { documentKey });
      if (frontEnd.reuse.reduced > reducedBefore) reducedEdits++;
      const fresh = await frontEnd.lint(text, '/project/app.py', {});
      edits++;
      if (fresh.kind === 'linted' && fresh.findings.length > 0) withFindings++;
      assert.deepEqual(incremental, fresh, `${file.name}, seed ${index + 1}, step ${step}: incremental lint differs.\n--- text ---\n${text}`);
      // Half the time the developer fixes what broke the parse at once (undo).
      if (!(await parsesCleanly(text)) && random() < 0.5) text = before;
    }
    frontEnd.forget(documentKey);
  }
  // The rule tables' code is mostly module level (imports, pool set-up): edits there, and to
  // function headers, are linted whole by design, so the share is well below the editor bench's.
  // Typing inside a small helper also changes what it does with connections (its facts: a half-typed
  // `connect` stops opening one), which other statements read: those edits are linted whole too.
  console.log(`${edits} edits compared, ${withFindings} of them with findings; ${eligible} between clean parses, ${reducedEdits} answered from a reduced copy`);
  assert.ok(reducedEdits >= eligible * 0.12, `only ${reducedEdits} of ${eligible} eligible edits took the reduced-copy path`);
  // The sessions must exercise the rules, not only the parser.
  assert.ok(withFindings >= edits / 4, `only ${withFindings} of ${edits} edits produced findings`);
});

/**
 * Edits whose effect reaches past the edited statement, or that move what other statements cite.
 * Each shows a condition of src/python/incremental.ts at work: with it removed, the kept findings
 * would be stale.
 */
const REACHING_EDITS: { name: string; before: string; from: string; to: string; rulesAfter: string[] }[] = [
  {
    name: 'a method that stops assigning the pool another class uses through self',
    before: py`
      from psycopg2.pool import ThreadedConnectionPool
      class Setup:
          def __init__(self):
              self.pool = ThreadedConnectionPool(1, 5, dsn="dbname=app connect_timeout=5")
      class Reports:
          def total(self):
              conn = self.pool.getconn()
              conn.cursor().execute("SELECT 1")
    `,
    from: 'self.pool = ThreadedConnectionPool(1, 5, dsn="dbname=app connect_timeout=5")',
    to: 'self.pool = make_pool()',
    // `self.pool` is no longer known to be a pool anywhere: the leak in `Reports.total` goes.
    rulesAfter: [],
  },
  {
    name: 'a function-level import that another function relies on',
    before: py`
      from psycopg2.pool import ThreadedConnectionPool
      def setup():
          import psycopg2
          return psycopg2
      def load():
          conn = psycopg2.connect("dbname=app connect_timeout=5")
          conn.cursor().execute("SELECT 1")
    `,
    from: '    import psycopg2\n',
    to: '    pass\n',
    // Without the import `psycopg2` names nothing known, so `load`'s leak goes.
    rulesAfter: [],
  },
  {
    name: 'a suppression comment after one function that acts on the first line of the next',
    before: py`
      import psycopg2
      def a():
          x = 1
          # dbhealth: ignore
      def b(): conn = psycopg2.connect("dbname=app connect_timeout=5"); conn.cursor().execute("SELECT 1")
      def c():
          return 2
    `,
    from: '    return 2',
    to: '    return 3',
    // `b`'s leak stays suppressed by the comment inside `a`.
    rulesAfter: [],
  },
  {
    name: 'new lines above a finding whose message cites a line',
    before: py`
      import psycopg2
      def a():
          return 1
      def b(flag):
          conn = psycopg2.connect("dbname=app connect_timeout=5")
          if flag:
              return None
          conn.close()
    `,
    from: '    return 1',
    to: '    x = 0\n    return 1',
    rulesAfter: ['no-leaked-connection@6: …the `return` on line 8…'],
  },
  {
    name: 'a setup function that changes what it assigns to a global another function acquires from',
    before: py`
      import asyncpg
      pool = None
      async def init():
          global pool
          pool = await asyncpg.create_pool("postgresql://db/app", command_timeout=30)
      async def work():
          conn = await pool.acquire()
          try:
              await conn.fetchval("SELECT 1")
          finally:
              await pool.release(conn)
    `,
    from: 'await asyncpg.create_pool(',
    to: 'await make_pool(',
    // `pool` no longer holds an asyncpg pool: nothing says its acquire waits forever.
    rulesAfter: [],
  },
  {
    name: 'a dedent inside a body that ends the function early',
    before: py`
      import psycopg2
      def a():
          conn = psycopg2.connect("dbname=app connect_timeout=5")
          conn.cursor().execute("SELECT 1")
          conn.close()
    `,
    from: '    conn.close()',
    to: 'conn.close()',
    rulesAfter: ['no-leaked-connection@3'],
  },
];

for (const edit of REACHING_EDITS) {
  test(`an edit that reaches past its function is still exact: ${edit.name}`, async () => {
    const frontEnd = await createPythonFrontEnd();
    const after = edit.before.replace(edit.from, edit.to);
    assert.notEqual(after, edit.before);
    await frontEnd.lint(edit.before, '/p/app.py', {}, { documentKey: 'doc' });
    const outcome = await frontEnd.lint(after, '/p/app.py', {}, { documentKey: 'doc' });
    assert.ok(outcome.kind === 'linted');
    const shown = outcome.findings
      .filter((f) => f.rule !== 'require-statement-timeout')
      .map((f) => {
        const cited = /the `return` on line \d+/.exec(f.message)?.[0];
        return `${f.rule}@${f.start.line}${cited ? `: …${cited}…` : ''}`;
      });
    assert.deepEqual(shown, edit.rulesAfter);
    assert.deepEqual(outcome, await frontEnd.lint(after, '/p/app.py', {}));
  });
}

test('an edit inside one function of a module is answered from a reduced copy', async () => {
  const frontEnd = await createPythonFrontEnd();
  const text = pythonService(2000);
  await frontEnd.lint(text, '/p/service.py', {}, { documentKey: 'service' });
  // A load function's putconn (the saves return theirs in `finally`).
  const at = text.indexOf('    pool.putconn(conn)\n    return row', text.length / 2);
  const edited = `${text.slice(0, at)}    # ${text.slice(at + 4)}`;
  const before = frontEnd.reuse.reduced;
  const outcome = await frontEnd.lint(edited, '/p/service.py', {}, { documentKey: 'service' });
  assert.equal(frontEnd.reuse.reduced, before + 1);
  assert.deepEqual(outcome, await frontEnd.lint(edited, '/p/service.py', {}));
  // Commenting out the putconn leaks that function's connection, and only that one.
  assert.ok(outcome.kind === 'linted');
  assert.equal(outcome.findings.filter((f) => /is never returned/.test(f.message)).length, 1);
});
