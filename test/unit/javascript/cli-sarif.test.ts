import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleEntry, REPOSITORY_ROOT } from './bundle';

let workspace: string;
let cli: string;

before(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'dbhealth-cli-js-'));
  cli = path.join(workspace, 'cli.js');
  await bundleEntry(path.join(REPOSITORY_ROOT, 'src/cli/main.ts'), cli);
  const files: Record<string, string> = {
    'app/orders.mts': `import { Pool } from 'pg';\nexport const pool = new Pool({ statement_timeout: 1000 });\n`,
    'app/legacy.cjs': `const mysql = require('mysql2');\nconst pool = mysql.createPool({ connectionLimit: 0, waitForConnections: false });\n`,
    'app/view.tsx': `export const View = () => <div>ok</div>;\n`,
    'app/broken.js': `export const = ;\n`,
  };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(workspace, file)), { recursive: true });
    await writeFile(path.join(workspace, file), text);
  }
});

after(() => rm(workspace, { recursive: true, force: true }));

test('dbhealth lint --format sarif carries JS/TS findings with rule ids, locations and help URIs', () => {
  const run = spawnSync(process.execPath, [cli, 'lint', 'app', '--format', 'sarif'], { cwd: workspace, encoding: 'utf8' });
  // broken.js cannot be parsed: the run did not cover everything, whatever it found.
  assert.equal(run.status, 3, run.stderr);
  const sarif = JSON.parse(run.stdout);
  const results = sarif.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[];
  const summary = results
    .map((r) => `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}:${r.locations[0].physicalLocation.region.startColumn} ${r.level} ${r.ruleId}`)
    .sort();
  assert.deepEqual(summary, [
    'app/legacy.cjs:2:50 error dbhealth/sane-pool-size',
    'app/orders.mts:2:21 warning dbhealth/require-acquire-timeout',
  ]);
  const rules = sarif.runs[0].tool.driver.rules as { id: string; helpUri: string }[];
  assert.ok(rules.some((r) => r.id === 'dbhealth/require-acquire-timeout' && r.helpUri.endsWith('docs/rules/require-acquire-timeout.md')));
  assert.match(run.stderr, /broken\.js: not analysed: cannot parse/);
});
