// `npm run test:electron`: the same extension-host suite under @vscode/test-electron, which
// downloads a VS Code build (so it needs internet; on this project's CI machines use
// `npm run test:host`, which runs the suite unchanged inside code-server).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildSuite, PROJECT_ROOT, SUITE_ENTRY } from './build-suite.mjs';

const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results');
const WORKSPACE = path.join(PROJECT_ROOT, 'samples', 'workspace');

if (spawnSync('node', ['esbuild.mjs'], { cwd: PROJECT_ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
await buildSuite();

const scratch = await mkdtemp(path.join(tmpdir(), 'dbhealth-electron-'));
const resultFile = path.join(scratch, 'result.json');
let exitCode = 1;
try {
  exitCode = await runTests({
    version: process.env.DBHEALTH_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: PROJECT_ROOT,
    extensionTestsPath: SUITE_ENTRY,
    extensionTestsEnv: { DBHEALTH_TEST_RESULT_FILE: resultFile },
    launchArgs: [
      WORKSPACE,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--user-data-dir', path.join(scratch, 'user-data'),
    ],
  }).catch((error) => {
    console.error(`VS Code could not run the suite: ${error instanceof Error ? error.message : error}`);
    return 1;
  });
} finally {
  const result = existsSync(resultFile)
    ? JSON.parse(await readFile(resultFile, 'utf8'))
    : { passed: 0, failed: 1, skipped: 0 };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(
    path.join(RESULTS_DIR, 'extension-host.summary.json'),
    JSON.stringify({ layer: 'extension-host', runner: 'electron', passed: result.passed, failed: result.failed, skipped: result.skipped }) + '\n',
  );
  await rm(scratch, { recursive: true, force: true });
}
process.exit(exitCode);
