import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choiceOption, parseArgs, UsageError } from '../../../src/cli/args';

test('parseArgs separates positionals, repeated valued options and flags', () => {
  const args = parseArgs(['src', '--rule', 'a=off', '--rule=b=error', '--watch', 'lib'], ['rule'], ['watch']);
  assert.deepEqual(args.positionals, ['src', 'lib']);
  assert.deepEqual(args.options.get('rule'), ['a=off', 'b=error']);
  assert.ok(args.flags.has('watch'));
});

test('unknown options and bad choices are usage errors', () => {
  assert.throws(() => parseArgs(['--nope'], [], []), UsageError);
  assert.throws(() => choiceOption(parseArgs(['--format', 'xml'], ['format'], []), 'format', ['text', 'json'], 'text'), /must be one of/);
});
