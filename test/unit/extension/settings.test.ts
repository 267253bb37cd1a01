import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseEditorSettings, SETTING_KEYS, SETTINGS_SECTION } from '../../../src/extension/settings';
import { RULES, RULE_NAMES } from '../../../src/engine/catalogue';

test('rule severities are taken per rule, with or without the dbhealth/ prefix', () => {
  const settings = parseEditorSettings({ rules: { 'no-leaked-connection': 'off', 'dbhealth/sane-pool-size': 'info' } });
  assert.deepEqual(settings.lintConfig.rules, { 'no-leaked-connection': 'off', 'sane-pool-size': 'info' });
  assert.deepEqual(settings.problems, []);
});

test('unknown rules and severities are reported and ignored, never applied', () => {
  const settings = parseEditorSettings({ rules: { 'no-leaked-conection': 'off', 'sane-pool-size': 'fatal' } });
  assert.deepEqual(settings.lintConfig.rules, {});
  assert.equal(settings.problems.length, 2);
  assert.match(settings.problems[0], /"no-leaked-conection" is not a dbhealth rule/);
  assert.match(settings.problems[1], /"sane-pool-size" must be one of off, info, warning, error/);
});

test('a rules value that is not an object is one problem', () => {
  assert.equal(parseEditorSettings({ rules: ['off'] }).problems.length, 1);
});

test('defaults: lint while typing, nothing excluded beyond what is configured', () => {
  const settings = parseEditorSettings({});
  assert.equal(settings.lintOn, 'type');
  assert.deepEqual(settings.exclude, []);
  assert.equal(parseEditorSettings({ lintOn: 'save', exclude: ['**/gen/**', '', 3] }).lintOn, 'save');
  assert.deepEqual(parseEditorSettings({ exclude: ['**/gen/**', '', 3] }).exclude, ['**/gen/**']);
});

test('package.json declares every setting and editor command the glue reads, with matching values', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  const properties = manifest.contributes.configuration.properties;
  for (const key of Object.values(SETTING_KEYS)) assert.ok(properties[`${SETTINGS_SECTION}.${key}`], `${key} declared`);
  assert.deepEqual(properties['dbhealth.lintOn'].enum, ['type', 'save']);
  // Every rule is a property of dbhealth.rules, so the settings editor completes its name; its description is the catalogue's.
  const rules = properties['dbhealth.rules'];
  assert.deepEqual(Object.keys(rules.properties).sort(), [...RULE_NAMES].sort());
  for (const rule of RULE_NAMES) {
    assert.deepEqual(rules.properties[rule].enum, ['off', 'info', 'warning', 'error'], rule);
    assert.ok(rules.properties[rule].markdownDescription.startsWith(RULES[rule].description), rule);
    assert.ok(rules.properties[rule].markdownDescription.includes(`Default: \`${RULES[rule].defaultSeverity}\``), rule);
  }
  // Unknown names are flagged; the plugin-style prefix is accepted as the glue reads it.
  assert.equal(rules.additionalProperties, false);
  const [pattern] = Object.keys(rules.patternProperties);
  for (const rule of RULE_NAMES) assert.match(`dbhealth/${rule}`, new RegExp(pattern));
  assert.doesNotMatch('dbhealth/no-such-rule', new RegExp(pattern));
  const commands = manifest.contributes.commands.map((c: { command: string }) => c.command);
  for (const id of ['dbhealth.lintWorkspace', 'dbhealth.showRuleDocumentation', 'dbhealth.fixAll']) assert.ok(commands.includes(id), id);
  // Every rule's documentation ships in the package for "show documentation" to open.
  for (const rule of RULE_NAMES) readFileSync(`docs/rules/${rule}.md`, 'utf8');
});

test('test files are linted only when dbhealth.lintTestFiles is exactly true', () => {
  assert.equal(parseEditorSettings({}).lintConfig.includeTests, false);
  assert.equal(parseEditorSettings({ lintTestFiles: 'yes' }).lintConfig.includeTests, false);
  assert.equal(parseEditorSettings({ lintTestFiles: true }).lintConfig.includeTests, true);
});
