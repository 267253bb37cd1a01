import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wholeLines } from '../../../src/cli/main';

test('stderr is written in whole lines: a piece without a line break waits for the rest of its line', () => {
  const writes: string[] = [];
  const writer = wholeLines((text) => writes.push(text));
  writer.write('dbhealth: unreachable since 12:00');
  assert.equal(writes.length, 0, 'half a line is held back');
  writer.write(': connect ECONNREFUSED\ndbhealth: connecting (attempt 2)\ndbhealth: live');
  writer.write(' since 12:01\n');
  assert.deepEqual(writes, ['dbhealth: unreachable since 12:00: connect ECONNREFUSED\ndbhealth: connecting (attempt 2)\n', 'dbhealth: live since 12:01\n']);
  writer.write('no line break at the end');
  writer.flush();
  assert.equal(writes.at(-1), 'no line break at the end');
  for (const text of writes.slice(0, -1)) assert.ok(text.endsWith('\n'));
});
