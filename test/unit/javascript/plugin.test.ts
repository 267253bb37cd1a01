import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import plugin from '../../../src/javascript/plugin';
import { JAVASCRIPT_RULES } from '../../../src/javascript/rules';
import { RULES, RULE_NAMES, ruleDocsUrl, ruleDocsPath } from '../../../src/engine/catalogue';
import { REPOSITORY_ROOT } from './bundle';

test('every catalogue rule for JavaScript is registered in the plugin, with metadata from the catalogue', () => {
  const javascriptRules = RULE_NAMES.filter((name) => RULES[name].languages.includes('javascript'));
  assert.deepEqual(Object.keys(JAVASCRIPT_RULES).sort(), [...javascriptRules].sort());
  for (const name of javascriptRules) {
    const meta = JAVASCRIPT_RULES[name].meta;
    assert.equal(meta.docs?.url, ruleDocsUrl(name), name);
    assert.equal(meta.docs?.description, RULES[name].description, name);
    assert.equal(meta.docs?.defaultSeverity, RULES[name].defaultSeverity, name);
    assert.equal(meta.fixable === 'code', RULES[name].fixableIn.includes('javascript'), name);
    assert.ok(existsSync(path.join(REPOSITORY_ROOT, ruleDocsPath(name))), `${name} has a doc page`);
  }
});

test('the recommended config enables every rule at its catalogue severity', () => {
  const recommended = (plugin.configs as Record<string, { rules: Record<string, string>; plugins: Record<string, unknown> }>).recommended;
  assert.equal(recommended.plugins.dbhealth, plugin);
  const expected = Object.fromEntries(
    RULE_NAMES.map((name) => [`dbhealth/${name}`, RULES[name].defaultSeverity === 'error' ? 'error' : 'warn']),
  );
  assert.deepEqual(recommended.rules, expected);
});
