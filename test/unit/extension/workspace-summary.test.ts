import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeWorkspaceLint } from '../../../src/extension/workspace-summary';
import type { Finding } from '../../../src/engine/types';

const finding = (severity: Finding['severity']): Finding => ({
  rule: 'no-leaked-connection', message: 'm', severity, start: { line: 1, column: 1 }, end: { line: 1, column: 2 },
});

test('counts problems, files with problems, severities and failures', () => {
  const summary = summarizeWorkspaceLint(
    [
      { outcome: { kind: 'linted', findings: [finding('error'), finding('warning')] } },
      { outcome: { kind: 'linted', findings: [] } },
      { outcome: { kind: 'linted', findings: [finding('error')] } },
      { outcome: { kind: 'failed', cause: 'syntax', reason: 'bad' } },
    ],
    4,
    false,
  );
  assert.equal(summary, 'dbhealth: 3 problems in 2 files; scanned 4 files; 2 errors, 1 warning, 0 info; 1 file could not be analysed (see the dbhealth output).');
});

test('a cancelled scan says how far it got', () => {
  assert.equal(summarizeWorkspaceLint([{ outcome: { kind: 'linted', findings: [] } }], 5, true), 'dbhealth: 0 problems in 0 files; scanned 1 of 5 files (cancelled).');
});
