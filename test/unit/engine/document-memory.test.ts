import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentMemory } from '../../../src/engine/document-memory';

test('keeps at most `capacity` documents, dropping and disposing the least recently linted first', () => {
  const disposed: string[] = [];
  const memory = new DocumentMemory<string>(2, (entry) => disposed.push(entry));
  memory.keep('a', 'a1');
  memory.keep('b', 'b1');
  // Taking and keeping again makes `a` the most recent one.
  assert.equal(memory.take('a'), 'a1');
  memory.keep('a', 'a2');
  memory.keep('c', 'c1');
  assert.deepEqual(disposed, ['b1']);
  assert.equal(memory.size, 2);
  assert.equal(memory.take('b'), undefined);
});

test('a taken entry belongs to the caller: it is neither returned twice nor disposed', () => {
  const disposed: string[] = [];
  const memory = new DocumentMemory<string>(4, (entry) => disposed.push(entry));
  memory.keep('a', 'a1');
  assert.equal(memory.take('a'), 'a1');
  assert.equal(memory.take('a'), undefined);
  memory.forget('a');
  assert.deepEqual(disposed, []);
});

test('keeping a successor disposes the entry it replaces; forgetting disposes what was kept', () => {
  const disposed: string[] = [];
  const memory = new DocumentMemory<string>(4, (entry) => disposed.push(entry));
  memory.keep('a', 'a1');
  memory.keep('a', 'a2');
  memory.keep('a', 'a2');
  memory.forget('a');
  assert.deepEqual(disposed, ['a1', 'a2']);
  assert.equal(memory.size, 0);
});
