import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minimalReplacement } from '../../../src/engine/text-diff';

function apply(before: string, after: string): string {
  const r = minimalReplacement(before, after);
  return r ? before.slice(0, r.start) + r.text + before.slice(r.end) : before;
}

test('identical texts need no edit', () => assert.equal(minimalReplacement('a', 'a'), undefined));

test('an insertion in the middle replaces nothing around it', () => {
  assert.deepEqual(minimalReplacement('try:\n    x\n', 'try:\n    x\nfinally:\n    y\n'), { start: 11, end: 11, text: 'finally:\n    y\n' });
});

test('results reproduce the target text, including repeated characters and deletions', () => {
  for (const [a, b] of [['aaaa', 'aa'], ['abcabc', 'abXabc'], ['', 'x'], ['x', ''], ['conn.close()', 'conn.close()\n']]) {
    assert.equal(apply(a, b), b);
  }
});

test('surrogate pairs are never split', () => {
  const r = minimalReplacement('x😀y', 'x😁y');
  assert.deepEqual(r, { start: 1, end: 3, text: '😁' });
});
