// The manifest must declare exactly the panel's commands and settings that the code uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PANEL_COMMANDS, PANEL_SETTINGS } from '../../../src/extension/panel/contract';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  contributes: { commands: { command: string; title: string; category?: string }[]; configuration: { properties: Record<string, { default?: unknown }> } };
};

describe('package.json and the health panel', () => {
  it('contributes every panel command, titled under the dbhealth category', () => {
    for (const id of Object.values(PANEL_COMMANDS)) {
      const entry = manifest.contributes.commands.find((command) => command.command === id);
      assert.ok(entry, `${id} is contributed`);
      assert.equal(entry.category, 'dbhealth');
    }
  });

  it('declares every panel setting the code reads, with a default', () => {
    for (const key of Object.values(PANEL_SETTINGS)) {
      const property = manifest.contributes.configuration.properties[`dbhealth.${key}`];
      assert.ok(property, `dbhealth.${key} is declared`);
      assert.notEqual(property.default, undefined, `dbhealth.${key} has a default`);
    }
  });

  it('gives connections no place for a password', () => {
    const connections = manifest.contributes.configuration.properties['dbhealth.connections'] as { items: { properties: Record<string, unknown>; additionalProperties: boolean } };
    assert.equal(connections.items.additionalProperties, false);
    assert.ok(!Object.keys(connections.items.properties).some((name) => /pass|secret/i.test(name)));
  });
});
