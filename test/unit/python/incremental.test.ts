/**
 * Linting an open document reuses its previous tree: tree-sitter re-parses only what the edit
 * touched. Typing sessions over the samples and the rule tables' code compare every incremental
 * lint with a fresh one; non-ASCII text checks that edits are described in the units the parser counts.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { createPythonFrontEnd } from '../../../src/python/frontend';
import { applyEdit, filesUnder, seededRandom, taggedSnippets, TypingSession } from '../engine/edit-sessions';
import { py } from './helpers';

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

function corpus(): { name: string; text: string }[] {
  const root = path.resolve(__dirname, '../../..');
  const samples = filesUnder(path.join(root, 'samples'), ['.py']).map((file) => ({ name: path.relative(root, file), text: readFileSync(file, 'utf8') }));
  const tables = filesUnder(path.join(root, 'test/unit/python/rules'), ['.ts']);
  const snippets = tables.flatMap((file) => taggedSnippets(file, /\bpy/, 'raw')).map((raw) => py(Object.assign([raw], { raw: [raw] })));
  const joined: { name: string; text: string }[] = [];
  for (let i = 0; i < snippets.length; i += 6) joined.push({ name: `rule tables, cases ${i}-${i + 5}`, text: snippets.slice(i, i + 6).join('\n\n') });
  return [...samples, ...joined];
}

test('linting with the previous tree equals a fresh lint across random typing sessions', async () => {
  const frontEnd = await createPythonFrontEnd();
  const files = corpus();
  assert.ok(files.length >= 10, `corpus too small: ${files.length} files`);
  let edits = 0;
  let withFindings = 0;
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
      text = applyEdit(text, session.next(text));
      const incremental = await frontEnd.lint(text, '/project/app.py', {}, { documentKey });
      const fresh = await frontEnd.lint(text, '/project/app.py', {});
      edits++;
      if (fresh.kind === 'linted' && fresh.findings.length > 0) withFindings++;
      assert.deepEqual(incremental, fresh, `${file.name}, seed ${index + 1}, step ${step}: incremental lint differs.\n--- text ---\n${text}`);
    }
    frontEnd.forget(documentKey);
  }
  console.log(`${edits} edits compared, ${withFindings} of them with findings`);
  // The sessions must exercise the rules, not only the parser.
  assert.ok(withFindings >= edits / 4, `only ${withFindings} of ${edits} edits produced findings`);
});
