import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { blank, countLineBreaks, shiftFinding, spanAt, tryShortcut } from '../../../src/engine/reanalysis';

test('spanAt finds the span holding an offset, and -1 between spans', () => {
  const spans = [{ start: 0, end: 5 }, { start: 7, end: 9 }, { start: 9, end: 20 }];
  assert.deepEqual([0, 4, 5, 6, 7, 9, 19, 20].map((offset) => spanAt(spans, offset)), [0, 0, -1, -1, 1, 2, 2, -1]);
});

test('line breaks are counted as each language counts them', () => {
  const text = 'a\nb\r\nc\rd\u2028e\u2029f';
  assert.equal(countLineBreaks(text, { unicodeSeparators: false }), 3);
  assert.equal(countLineBreaks(text, { unicodeSeparators: true }), 5);
  assert.equal(countLineBreaks(text, { unicodeSeparators: false }, 2, 5), 1);
});

test('blanking keeps the length and every line break', () => {
  const text = 'def f():\r\n    return "é😀"\u2028x';
  const blanked = blank(text);
  assert.equal(blanked.length, text.length);
  assert.equal(blanked.replace(/ /g, ''), '\r\n\u2028');
  assert.equal(blanked.indexOf('\r\n'), text.indexOf('\r\n'));
});

test('a shifted finding moves its lines and its fix offsets, not its columns', () => {
  const finding = {
    rule: 'no-leaked-connection' as const,
    message: 'm',
    severity: 'error' as const,
    start: { line: 10, column: 5 },
    end: { line: 11, column: 2 },
    fix: { title: 't', edits: [{ start: 100, end: 110, text: 'x' }] },
    suggestions: [{ title: 's', edits: [{ start: 120, end: 120, text: 'y' }] }],
  };
  assert.deepEqual(shiftFinding(finding, 7, 2, 'moved'), {
    ...finding,
    message: 'moved',
    start: { line: 12, column: 5 },
    end: { line: 13, column: 2 },
    fix: { title: 't', edits: [{ start: 107, end: 117, text: 'x' }] },
    suggestions: [{ title: 's', edits: [{ start: 127, end: 127, text: 'y' }] }],
  });
  assert.equal(shiftFinding(finding, 0, 0), finding);
});

test('a shortcut that throws gives way to the whole-file path instead of failing the lint', () => {
  assert.equal(tryShortcut(() => 'reduced'), 'reduced');
  assert.equal(tryShortcut(() => undefined), undefined);
  assert.equal(
    tryShortcut(() => {
      throw new Error('unexpected tree');
    }),
    undefined,
  );
});
