import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suppressionEdit, type LineEdit } from '../../../src/extension/suppression-edit';

function apply(source: string, edit: LineEdit): string {
  const lines = source.split('\n');
  const text = lines[edit.line];
  lines[edit.line] = text.slice(0, edit.startCharacter) + edit.text + text.slice(edit.endCharacter);
  return lines.join('\n');
}

function suppress(source: string, language: 'python' | 'javascript', line: number): string {
  const lines = source.split('\n');
  return apply(source, suppressionEdit({ language, rule: 'no-leaked-connection', line, lineText: (n) => lines[n], eol: '\n' }));
}

const cases: { name: string; language: 'python' | 'javascript'; line: number; before: string; after: string }[] = [
  {
    name: 'Python: trailing directive after the code, trailing spaces replaced',
    language: 'python',
    line: 1,
    before: 'def f():\n    conn = pool.getconn()   \n',
    after: 'def f():\n    conn = pool.getconn()  # dbhealth: ignore[no-leaked-connection]\n',
  },
  {
    name: 'Python: a line with a comment gets the directive above, at its indentation',
    language: 'python',
    line: 1,
    before: 'def f():\n    conn = pool.getconn()  # borrowed\n',
    after: 'def f():\n    # dbhealth: ignore[no-leaked-connection]\n    conn = pool.getconn()  # borrowed\n',
  },
  {
    name: 'Python: a backslash continuation cannot take a trailing comment',
    language: 'python',
    line: 0,
    before: 'conn = \\\n    pool.getconn()',
    after: '# dbhealth: ignore[no-leaked-connection]\nconn = \\\n    pool.getconn()',
  },
  {
    name: 'Python: an existing standalone directive above gains the rule',
    language: 'python',
    line: 1,
    before: '    # dbhealth: ignore[require-connect-timeout]\n    conn = connect()  # note',
    after: '    # dbhealth: ignore[require-connect-timeout, no-leaked-connection]\n    conn = connect()  # note',
  },
  {
    name: 'JS: next-line directive above, with the flagged line\'s indentation',
    language: 'javascript',
    line: 1,
    before: 'async function f() {\n  const client = await pool.connect();\n}',
    after: 'async function f() {\n  // dbhealth-ignore-next-line no-leaked-connection\n  const client = await pool.connect();\n}',
  },
  {
    name: 'JS: an existing directive above gains the rule before its "-- reason"',
    language: 'javascript',
    line: 1,
    before: '\t// dbhealth-ignore-next-line require-acquire-timeout -- legacy pool\n\tconst client = await pool.connect();',
    after: '\t// dbhealth-ignore-next-line require-acquire-timeout, no-leaked-connection -- legacy pool\n\tconst client = await pool.connect();',
  },
  {
    name: 'JS: a different directive sharing the prefix is left alone',
    language: 'javascript',
    line: 1,
    before: '// dbhealth-ignore-next-lines x\nconst client = await pool.connect();',
    after: '// dbhealth-ignore-next-lines x\n// dbhealth-ignore-next-line no-leaked-connection\nconst client = await pool.connect();',
  },
];

for (const { name, language, line, before, after } of cases) {
  test(name, () => assert.equal(suppress(before, language, line), after));
}

test('CRLF documents get CRLF after an inserted directive line', () => {
  const lines = ['  const c = await pool.connect();'];
  const edit = suppressionEdit({ language: 'javascript', rule: 'no-leaked-connection', line: 0, lineText: (n) => lines[n], eol: '\r\n' });
  assert.deepEqual(edit, { line: 0, startCharacter: 0, endCharacter: 0, text: '  // dbhealth-ignore-next-line no-leaked-connection\r\n' });
});
