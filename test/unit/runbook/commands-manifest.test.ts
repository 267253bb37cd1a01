import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RUNBOOK_COMMANDS } from '../../../src/extension/runbook/command-ids';

interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}

test('every runbook command the glue registers is contributed in package.json with the same title, and no stray one', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { commands: ManifestCommand[] } };
  const contributed = manifest.contributes.commands.filter((entry) => entry.command.startsWith('dbhealth.runbook.'));
  const expected = Object.values(RUNBOOK_COMMANDS).map(({ id, title }) => ({ command: id, title, category: 'dbhealth' }));
  assert.deepEqual(
    [...contributed].sort((a, b) => a.command.localeCompare(b.command)),
    [...expected].sort((a, b) => a.command.localeCompare(b.command)),
  );
});
