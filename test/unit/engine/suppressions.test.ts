import { test } from 'node:test';
import assert from 'node:assert/strict';
import { removeSuppressed } from '../../../src/engine/suppressions';
import type { Finding } from '../../../src/engine/types';

function finding(rule: Finding['rule'], line: number): Finding {
  return { rule, message: 'm', severity: 'warning', start: { line, column: 1 }, end: { line, column: 2 } };
}

const findings = [finding('no-leaked-connection', 3), finding('require-connect-timeout', 3), finding('no-leaked-connection', 5)];

test('a trailing Python directive silences only the named rule on its own line', () => {
  const kept = removeSuppressed(findings, [{ text: ' dbhealth: ignore[no-leaked-connection]', line: 3, standalone: false }], 'python');
  assert.deepEqual(kept.map((f) => [f.rule, f.start.line]), [['require-connect-timeout', 3], ['no-leaked-connection', 5]]);
});

test('a standalone Python directive applies to the next line; without a list it silences every rule', () => {
  const kept = removeSuppressed(findings, [{ text: ' dbhealth: ignore', line: 2, standalone: true }], 'python');
  assert.deepEqual(kept.map((f) => f.start.line), [5]);
});

test('an unknown rule name in a directive silences nothing', () => {
  const kept = removeSuppressed(findings, [{ text: ' dbhealth: ignore[no-leaked-conection]', line: 3, standalone: false }], 'python');
  assert.equal(kept.length, 3);
});

test('JS next-line directive accepts prefixed names and a "-- reason" tail', () => {
  const comment = { text: ' dbhealth-ignore-next-line dbhealth/no-leaked-connection -- handed to the worker', line: 4, standalone: true };
  const kept = removeSuppressed(findings, [comment], 'javascript');
  assert.deepEqual(kept.map((f) => [f.rule, f.start.line]), [['no-leaked-connection', 3], ['require-connect-timeout', 3]]);
});

const rulesAndLines = (kept: Finding[]) => kept.map((f) => [f.rule, f.start.line]);

test('comments that are not directives silence nothing, in either language', () => {
  for (const text of [' noqa: E501', ' type: ignore', ' TODO', '', ' dbhealth']) {
    assert.equal(removeSuppressed(findings, [{ text, line: 3, standalone: false }, { text, line: 2, standalone: true }], 'python').length, 3, `python ${JSON.stringify(text)}`);
    assert.equal(removeSuppressed(findings, [{ text, line: 3, standalone: false }, { text, line: 2, standalone: true }], 'javascript').length, 3, `javascript ${JSON.stringify(text)}`);
  }
  // Each language reads only its own directive.
  assert.equal(removeSuppressed(findings, [{ text: ' dbhealth-ignore-next-line', line: 2, standalone: true }], 'python').length, 3);
  assert.equal(removeSuppressed(findings, [{ text: ' dbhealth: ignore', line: 3, standalone: false }], 'javascript').length, 3);
  // No comments at all: every finding is kept.
  assert.deepEqual(rulesAndLines(removeSuppressed(findings, [], 'python')), rulesAndLines(findings));
});

test('Python: a rule list may follow after spaces, hold several names, and lack its closing bracket', () => {
  const spaced = removeSuppressed(findings, [{ text: ' dbhealth: ignore [no-leaked-connection]', line: 3, standalone: false }], 'python');
  assert.deepEqual(rulesAndLines(spaced), [['require-connect-timeout', 3], ['no-leaked-connection', 5]]);
  const several = removeSuppressed(findings, [{ text: 'dbhealth: ignore[no-leaked-connection,require-connect-timeout]', line: 3, standalone: false }], 'python');
  assert.deepEqual(rulesAndLines(several), [['no-leaked-connection', 5]]);
  const unclosed = removeSuppressed(findings, [{ text: 'dbhealth: ignore[no-leaked-connection, require-connect-timeout', line: 3, standalone: false }], 'python');
  assert.deepEqual(rulesAndLines(unclosed), [['no-leaked-connection', 5]]);
  // What follows the closing bracket is not part of the list.
  const trailing = removeSuppressed(findings, [{ text: 'dbhealth: ignore[no-leaked-connection] require-connect-timeout', line: 3, standalone: false }], 'python');
  assert.deepEqual(rulesAndLines(trailing), [['require-connect-timeout', 3], ['no-leaked-connection', 5]]);
});

test('Python: a directive followed by words but no list silences every rule on its line only', () => {
  const kept = removeSuppressed(findings, [{ text: ' dbhealth: ignore -- the pool is closed by atexit', line: 3, standalone: false }], 'python');
  assert.deepEqual(rulesAndLines(kept), [['no-leaked-connection', 5]]);
  const trailingOnFive = removeSuppressed(findings, [{ text: 'dbhealth: ignore', line: 5, standalone: false }], 'python');
  assert.deepEqual(rulesAndLines(trailingOnFive), [['no-leaked-connection', 3], ['require-connect-timeout', 3]]);
});

test('JS: a bare next-line directive silences every rule on the next line, also when only a reason follows it', () => {
  for (const text of [' dbhealth-ignore-next-line', 'dbhealth-ignore-next-line   ', ' dbhealth-ignore-next-line -- legacy code, tracked in #12']) {
    const kept = removeSuppressed(findings, [{ text, line: 2, standalone: true }], 'javascript');
    assert.deepEqual(rulesAndLines(kept), [['no-leaked-connection', 5]], JSON.stringify(text));
  }
});

test('JS: a named next-line directive leaves the other rules of that line', () => {
  const kept = removeSuppressed(findings, [{ text: ' dbhealth-ignore-next-line require-connect-timeout -- dsn has connect_timeout', line: 2, standalone: true }], 'javascript');
  assert.deepEqual(rulesAndLines(kept), [['no-leaked-connection', 3], ['no-leaked-connection', 5]]);
});

test('JS: dbhealth-ignore-line applies to its own line, with or without rule names', () => {
  const named = removeSuppressed(findings, [{ text: ' dbhealth-ignore-line no-leaked-connection', line: 3, standalone: false }], 'javascript');
  assert.deepEqual(rulesAndLines(named), [['require-connect-timeout', 3], ['no-leaked-connection', 5]]);
  const bare = removeSuppressed(findings, [{ text: ' dbhealth-ignore-line', line: 5, standalone: false }], 'javascript');
  assert.deepEqual(rulesAndLines(bare), [['no-leaked-connection', 3], ['require-connect-timeout', 3]]);
});

test('JS: a longer word that starts like a directive is not one', () => {
  for (const text of [' dbhealth-ignore-next-lines no-leaked-connection', ' dbhealth-ignore-next-line-foo', ' dbhealth-ignore-lines no-leaked-connection', ' dbhealth-ignore-linefoo']) {
    assert.equal(removeSuppressed(findings, [{ text, line: 2, standalone: true }, { text, line: 3, standalone: false }, { text, line: 4, standalone: true }], 'javascript').length, 3, JSON.stringify(text));
  }
});

test('several directives each silence their own line', () => {
  const comments = [
    { text: ' dbhealth: ignore[require-connect-timeout]', line: 3, standalone: false },
    { text: ' dbhealth: ignore', line: 5, standalone: false },
  ];
  assert.deepEqual(rulesAndLines(removeSuppressed(findings, comments, 'python')), [['no-leaked-connection', 3]]);
});
