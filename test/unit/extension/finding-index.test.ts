import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingIndex, identityOfFinding } from '../../../src/extension/finding-index';
import type { Finding } from '../../../src/engine/types';

const leak: Finding = {
  rule: 'no-leaked-connection', message: 'release it', severity: 'error', start: { line: 3, column: 5 }, end: { line: 3, column: 9 },
  fix: { title: 'wrap', edits: [{ start: 1, end: 1, text: 'x' }] },
};

test('a finding is found from what its diagnostic shows (0-based range, rule, message)', () => {
  const index = new FindingIndex();
  index.set('file:///a.py', 7, [leak]);
  const identity = { rule: 'no-leaked-connection', startLine: 2, startCharacter: 4, endLine: 2, endCharacter: 8, message: 'release it' };
  assert.deepEqual(identityOfFinding(leak), identity);
  assert.equal(index.lookup('file:///a.py', 7, identity), leak);
  assert.equal(index.lookup('file:///a.py', 7, { ...identity, message: 'other' }), undefined);
});

test('a stale document version gets no finding, hence no fix with outdated offsets', () => {
  const index = new FindingIndex();
  index.set('file:///a.py', 7, [leak]);
  assert.equal(index.lookup('file:///a.py', 8, identityOfFinding(leak)), undefined);
  assert.deepEqual(index.findingsAt('file:///a.py', 8), []);
  index.delete('file:///a.py');
  assert.equal(index.lookup('file:///a.py', 7, identityOfFinding(leak)), undefined);
});
