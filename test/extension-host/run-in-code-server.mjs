// `npm run test:host`: runs the extension-host suite inside code-server's real extension host.
// code-server loads the extension under development and the test module when the workbench URL
// carries a `payload` parameter; the test module writes its result to DBHEALTH_TEST_RESULT_FILE,
// which this driver waits for (the page never exits by itself), then stops everything it started.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSuite, PROJECT_ROOT, SUITE_ENTRY } from './build-suite.mjs';
import {
  ensureToolchain, findFreePort, launchChromium, startCodeServerProcess, writeUserSettings,
} from '../e2e/lib/code-server-process.mjs';

const PORT_RANGE = [18100, 18119];
const TIME_LIMIT_MS = Number(process.env.DBHEALTH_HOST_TEST_TIMEOUT_MS ?? 900_000);
const PROGRESS_MARKER = '[dbhealth-host-test]';
const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results');
const SUMMARY_FILE = path.join(RESULTS_DIR, 'extension-host.summary.json');
const CONSOLE_LOG = path.join(RESULTS_DIR, 'extension-host.console.log');
const WORKSPACE = path.join(PROJECT_ROOT, 'samples', 'workspace');

async function writeSummary(counts) {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(SUMMARY_FILE, JSON.stringify({ layer: 'extension-host', ...counts }) + '\n');
}

async function waitForResult(file, limitMs, isAlive) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8'));
    const death = isAlive();
    if (death) throw new Error(death);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the suite did not finish within ${limitMs / 1000} s (DBHEALTH_HOST_TEST_TIMEOUT_MS)`);
}

function printResult(result) {
  const failures = result.tests.filter((test) => test.state === 'failed');
  if (failures.length > 0) console.log('\nFailures:');
  for (const test of failures) {
    console.log(`  FAIL ${test.title}`);
    console.log(test.error.replace(/^/gm, '         '));
  }
  console.log(`extension-host: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
}

async function main() {
  ensureToolchain();
  // The extension under development runs from dist/, so dist must be current.
  if (spawnSync('node', ['esbuild.mjs'], { cwd: PROJECT_ROOT, stdio: 'inherit' }).status !== 0) throw new Error('the build failed');
  const testFiles = await buildSuite();
  console.log(`extension-host suite: ${testFiles.join(', ')}`);

  const scratch = await mkdtemp(path.join(tmpdir(), 'dbhealth-host-'));
  // Also on Ctrl+C, which ends the process without running the `finally` below.
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const userDataDir = path.join(scratch, 'user-data');
  const extensionsDir = path.join(scratch, 'extensions');
  const resultFile = path.join(scratch, 'result.json');
  await mkdir(extensionsDir, { recursive: true });
  await writeUserSettings(userDataDir);
  await mkdir(RESULTS_DIR, { recursive: true });
  const consoleLines = [];

  let server;
  let browser;
  try {
    const port = await findFreePort(...PORT_RANGE);
    server = await startCodeServerProcess({
      port, userDataDir, extensionsDir, folder: WORKSPACE,
      env: { DBHEALTH_TEST_RESULT_FILE: resultFile },
      log: (line) => consoleLines.push(`[code-server] ${line}`),
    });
    const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(PROJECT_ROOT)],
      ['extensionTestsPath', remote(SUITE_ENTRY)],
    ];
    const url = `${server.url}?folder=${encodeURIComponent(WORKSPACE)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (message) => {
      const text = message.text();
      consoleLines.push(`[${message.type()}] ${text}`);
      // The suite's own progress and the activation timing, live, without the workbench's noise.
      const progressAt = text.indexOf(PROGRESS_MARKER);
      if (progressAt !== -1) console.log(`  ${text.slice(progressAt + PROGRESS_MARKER.length + 1)}`);
      else if (text.includes('activate() took')) console.log(`  ${text.slice(text.indexOf('activate() took'))}`);
    });
    page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    await page.goto(url);

    const result = await waitForResult(resultFile, TIME_LIMIT_MS, () =>
      server.child.exitCode !== null ? `code-server exited (code ${server.child.exitCode}) before the suite finished` : undefined,
    );
    printResult(result);
    await writeSummary({ passed: result.passed, failed: result.failed, skipped: result.skipped });
    return result.failed === 0 && result.passed > 0;
  } finally {
    await writeFile(CONSOLE_LOG, consoleLines.join('\n') + '\n');
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

try {
  process.exitCode = (await main()) ? 0 : 1;
} catch (error) {
  console.error(`extension-host tests could not run: ${error instanceof Error ? error.message : error}`);
  console.error(`(the browser console and code-server's output are in ${path.relative(process.cwd(), CONSOLE_LOG)})`);
  await writeSummary({ passed: 0, failed: 1, skipped: 0 });
  process.exitCode = 1;
}
