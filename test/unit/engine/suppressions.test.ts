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
