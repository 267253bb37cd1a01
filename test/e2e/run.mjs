// `npm run test:e2e`: packages the VSIX once, makes sure code-server and Chromium are installed,
// then runs every test/e2e/*.e2e.test.ts with node:test (one file at a time: each starts its own
// code-server) and records test-results/e2e.summary.json through scripts/run-node-tests.mjs.
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureToolchain, PROJECT_ROOT } from './lib/code-server-process.mjs';

async function failLayer(message) {
  console.error(`e2e tests could not run: ${message}`);
  await mkdir(path.join(PROJECT_ROOT, 'test-results'), { recursive: true });
  await writeFile(path.join(PROJECT_ROOT, 'test-results', 'e2e.summary.json'), JSON.stringify({ layer: 'e2e', passed: 0, failed: 1, skipped: 0 }) + '\n');
  process.exit(1);
}

try {
  ensureToolchain();
} catch (error) {
  await failLayer(error instanceof Error ? error.message : String(error));
}

const vsix = path.join(tmpdir(), `dbhealth-e2e-run-${process.pid}.vsix`);
const packaged = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'package.mjs'), '--out', vsix], { cwd: PROJECT_ROOT, stdio: 'inherit' });
if (packaged.status !== 0) await failLayer('npm run package failed');

const tests = spawnSync(
  process.execPath,
  [path.join(PROJECT_ROOT, 'scripts', 'run-node-tests.mjs'), 'test/e2e', '--layer', 'e2e'],
  { cwd: PROJECT_ROOT, stdio: 'inherit', env: { ...process.env, DBHEALTH_VSIX: vsix } },
);
await rm(vsix, { force: true });
process.exit(tests.status ?? 1);
