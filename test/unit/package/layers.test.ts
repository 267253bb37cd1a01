/** The layer boundaries of docs/decisions/layers.md are enforced by the project's lint configuration. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../../..');

async function restricted(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('a layer importing one it may not use is refused, with the rule named', async () => {
  const crossings: [string, string][] = [
    ['src/db/probe.ts', "import { RULES } from '../engine/catalogue';\nexport const x = RULES;\n"],
    ['src/engine/probe.ts', "import { runCli } from '../cli/main';\nexport const x = runCli;\n"],
    ['src/python/rules/probe.ts', "import { SETTING_KEYS } from '../../extension/settings';\nexport const x = SETTING_KEYS;\n"],
    ['src/runbook/probe.ts', "import { lintText } from '../engine';\nexport const x = lintText;\n"],
    ['webview/probe.ts', "import { USAGE } from '../src/cli/main';\nexport const x = USAGE;\n"],
    ['src/cli/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n"],
  ];
  for (const [file, code] of crossings) {
    const messages = await restricted(file, code);
    assert.equal(messages.length, 1, `${file}: ${messages.join(' | ')}`);
    assert.match(messages[0], /docs\/decisions\/layers\.md|Only src\/extension/);
  }
});

test('the imports the design allows pass', async () => {
  const allowed: [string, string][] = [
    ['src/python/rules/probe.ts', "import { RULES } from '../../engine/catalogue';\nexport const x = RULES;\n"],
    ['src/runbook/probe.ts', "import { parseConnectionUrl } from '../db/target';\nexport const x = parseConnectionUrl;\n"],
    ['src/cli/probe.ts', "import { lintText } from '../engine';\nexport const x = lintText;\n"],
    ['src/extension/probe.ts', "import * as vscode from 'vscode';\nimport { lintText } from '../engine';\nexport const x = [vscode, lintText];\n"],
  ];
  for (const [file, code] of allowed) assert.deepEqual(await restricted(file, code), [], file);
});
