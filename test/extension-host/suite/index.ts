/**
 * The extension-host test module (the @vscode/test-electron convention): VS Code loads it inside
 * the extension host and awaits `run()`. It runs every bundled `*.test.js` beside it with mocha and,
 * when DBHEALTH_TEST_RESULT_FILE is set, writes the outcome there so a driver that cannot see the
 * host's exit (code-server in a browser) knows when and how the run ended.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaType from 'mocha';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
}

export interface SuiteResult {
  passed: number;
  failed: number;
  skipped: number;
  tests: TestOutcome[];
}

/** Prefix of the progress lines the suite prints; run-in-code-server.mjs forwards them. */
export const PROGRESS_MARKER = '[dbhealth-host-test]';

/** Runs first: it measures a cold activation, which any earlier test would spoil. */
const FIRST_FILE = 'foundation.test.js';

function orderedTestFiles(directory: string): string[] {
  const files = fs.readdirSync(directory).filter((name) => name.endsWith('.test.js')).sort();
  return [...files.filter((name) => name === FIRST_FILE), ...files.filter((name) => name !== FIRST_FILE)];
}

function writeResult(result: SuiteResult): void {
  const target = process.env.DBHEALTH_TEST_RESULT_FILE;
  if (!target) return;
  // Written to a temporary name and renamed, so the driver never reads half a file.
  fs.writeFileSync(`${target}.partial`, JSON.stringify(result, null, 2));
  fs.renameSync(`${target}.partial`, target);
}

export function run(): Promise<void> {
  // mocha's package entry is ESM; its CommonJS build is what a CommonJS bundle can require on every Node.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require('mocha/lib/mocha.cjs') as typeof MochaType;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  // DBHEALTH_TEST_GREP runs only the tests whose full title matches, e.g. "foundation".
  if (process.env.DBHEALTH_TEST_GREP) mocha.grep(process.env.DBHEALTH_TEST_GREP);
  const files = orderedTestFiles(__dirname);
  for (const file of files) mocha.addFile(path.join(__dirname, file));

  const result: SuiteResult = { passed: 0, failed: 0, skipped: 0, tests: [] };
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run();
      // One line per test on the host's console, which drivers such as code-server's forward live.
      const progress = (mark: string, title: string, durationMs?: number) =>
        console.log(`${PROGRESS_MARKER} ${mark} ${title}${durationMs === undefined ? '' : ` (${Math.round(durationMs)} ms)`}`);
      runner.on('pass', (test) => {
        progress('ok  ', test.fullTitle(), test.duration);
        result.passed++;
        result.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      });
      runner.on('fail', (test, error: Error) => {
        progress('FAIL', test.fullTitle(), test.duration);
        result.failed++;
        result.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: error?.stack ?? String(error) });
      });
      runner.on('pending', (test) => {
        progress('skip', test.fullTitle());
        result.skipped++;
        result.tests.push({ title: test.fullTitle(), state: 'skipped', durationMs: 0 });
      });
      runner.on('end', () => {
        if (files.length === 0) {
          result.failed++;
          result.tests.push({ title: 'extension-host suite', state: 'failed', durationMs: 0, error: `no *.test.js files in ${__dirname}` });
        }
        writeResult(result);
        if (result.failed > 0) reject(new Error(`${result.failed} extension-host test(s) failed.`));
        else resolve();
      });
    } catch (error) {
      result.failed++;
      result.tests.push({ title: 'extension-host suite', state: 'failed', durationMs: 0, error: error instanceof Error ? error.stack : String(error) });
      writeResult(result);
      reject(error);
    }
  });
}
