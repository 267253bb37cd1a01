import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULE_NAMES, RULES } from '../../../src/engine/catalogue';
import { PYTHON_RULES } from '../../../src/python/rules';

const ROOT = path.join(__dirname, '..', '..', '..');

/** The body of a `## Heading` section (up to the next `## `). */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start === -1) return '';
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/\n## /);
  return (end === -1 ? rest : rest.slice(0, end)).trim();
}

test('every catalogue rule has a Python implementation, in catalogue order', () => {
  assert.deepEqual(PYTHON_RULES.map((r) => r.name), [...RULE_NAMES]);
  for (const name of RULE_NAMES) assert.ok(RULES[name].languages.includes('python'));
});

for (const name of RULE_NAMES) {
  test(`docs/rules/${name}.md documents the rule under the fixed headings with Python examples`, () => {
    const file = path.join(ROOT, 'docs', 'rules', `${name}.md`);
    assert.ok(existsSync(file));
    const markdown = readFileSync(file, 'utf8');
    for (const heading of ['## What it flags', '## Why it hurts in production', '## What it assumes', '## Known false positives', '## How to fix', '## When not to use it', '## Library facts']) {
      assert.ok(section(markdown, heading).replace(/<!--[\s\S]*?-->/g, '').trim().length > 40, `${heading} is empty`);
    }
    const examples = section(markdown, '## Examples');
    const python = examples.slice(examples.indexOf('### Python'), examples.indexOf('### JavaScript'));
    assert.equal((python.match(/```python/g) ?? []).length, 2, 'one bad and one good Python example');
    assert.ok(python.indexOf('Bad:') < python.indexOf('Good:'));
    assert.ok(existsSync(path.join(ROOT, 'test', 'unit', 'python', 'rules', `${name}.test.ts`)), 'a rule table exists');
  });
}
