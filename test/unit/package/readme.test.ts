/**
 * The README is the user's manual: its Quick start is exactly the two promised commands, and its
 * rule, settings and command lists match the catalogue and the manifest, so none can go stale.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES, RULE_NAMES } from '../../../src/engine/catalogue';

const projectRoot = path.resolve(__dirname, '../../..');
const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  contributes: { commands: Array<{ command: string; title: string; category?: string }>; configuration: { properties: Record<string, unknown> } };
};

function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

test('Quick start shows exactly two commands: npm run demo and npm test', () => {
  const commands = section('Quick start')
    .split('\n')
    .filter((line) => /^ {4}\S/.test(line))
    .map((line) => line.trim());
  assert.deepEqual(commands, ['npm run demo', 'npm test']);
  assert.ok(manifest.scripts.demo && manifest.scripts.test);
});

test('the rule table lists every catalogue rule with its description and default severity', () => {
  const rules = section('Rules');
  for (const name of RULE_NAMES) {
    const row = rules.split('\n').find((line) => line.startsWith(`| [\`${name}\`](docs/rules/${name}.md)`));
    assert.ok(row, `no README row for ${name}`);
    assert.ok(row.includes(RULES[name].description), `README description of ${name} differs from the catalogue`);
    assert.ok(row.includes(`| ${RULES[name].defaultSeverity} |`), `README default severity of ${name} differs from the catalogue`);
    const fixableIn = RULES[name].fixableIn.map((language) => (language === 'python' ? 'Python' : 'JS/TS')).join(', ') || '—';
    assert.ok(row.endsWith(`| ${fixableIn} |`), `README auto-fix column of ${name} differs from the catalogue (${fixableIn})`);
  }
});

test('every contributed setting and command is documented', () => {
  const settings = section('Configuration');
  const missingSettings = Object.keys(manifest.contributes.configuration.properties).filter((key) => !settings.includes(`\`${key}\``));
  assert.deepEqual(missingSettings, [], 'settings missing from the README');
  const commands = section('Commands');
  const missingCommands = manifest.contributes.commands
    .filter(({ title }) => !commands.includes(title))
    .map(({ category, title }) => `${category}: ${title}`);
  assert.deepEqual(missingCommands, [], 'commands missing from the README');
});
