import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, applyFixesUntilStable } from '../../../src/engine/fixes';

test('applyEdits applies edits in offset order regardless of the order given', () => {
  assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, text: 'E' }, { start: 0, end: 1, text: 'A' }]), 'AbcdEf');
});

test('applyEdits rejects overlapping edits instead of corrupting the text', () => {
  assert.throws(() => applyEdits('abcdef', [{ start: 0, end: 3, text: 'x' }, { start: 2, end: 4, text: 'y' }]), /overlapping/);
});

test('applyFixesUntilStable re-lints until no fix remains', async () => {
  // A toy linter: every "a" must become "b", one fix per pass for the first "a" only.
  const lint = async (text: string) => {
    const index = text.indexOf('a');
    return index === -1 ? [] : [{ fix: { title: 'a to b', edits: [{ start: index, end: index + 1, text: 'b' }] } }];
  };
  const result = await applyFixesUntilStable('aaxa', lint);
  assert.deepEqual(result, { text: 'bbxb', passes: 3 });
});
