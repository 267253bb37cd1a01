/**
 * Which files are tests, examples or benchmarks rather than the service itself.
 *
 * The policy (docs/decisions/test-files.md): such files are not linted unless the user asks
 * (`dbhealth lint --include-tests`, `dbhealth.lintTestFiles`). Every rule judges how code behaves in
 * production — a leak that exhausts a pool over days, a wait without a bound, a pool per request —
 * and test code breaks those rules on purpose: a connection per test, a connect that must fail, a
 * pool with no timeout against a local database, an error swallowed during cleanup. On the mature
 * projects of the precision corpus, 138 of the 152 findings of the first version sat in tests and
 * benchmarks, none of them a real defect.
 *
 * Scripts (`scripts/`, `bin/`, `tools/`, `migrations/`) run once and exit: a connection they do not
 * close ends with the process, and a checkout or connect that waits has nobody else waiting behind
 * it. They get the rules that still matter for a run that loops over data or shares a connection —
 * a connection per item, a retry without backoff, a swallowed error, a transaction left open — and a
 * connect that can hang (a cron job stuck on an unreachable server piles up behind itself), not the
 * lifetime, pool and other timeout rules. In the service corpus, scripts held 1 real leak against 9
 * false and 13 debatable ones.
 */

import type { RuleName } from './catalogue';

/** Folder names that hold tests, fixtures, examples or benchmarks. */
const NON_SERVICE_FOLDERS: ReadonlySet<string> = new Set([
  'test', 'tests', '__tests__', '__test__', 'spec', 'specs', 'testing', 'e2e', 'fixtures', '__fixtures__', '__mocks__',
  'example', 'examples', 'benchmark', 'benchmarks', 'bench', 'perf', 'perftest', 'perftests',
]);

/** File names of test modules: `test_x.py`, `x_test.py`, `conftest.py`, `x.test.ts`, `x.spec.js`. */
const TEST_FILE_NAME = /^(test_.*\.pyi?|.*_tests?\.pyi?|conftest\.py|.*\.(test|spec)\.[cm]?[jt]sx?)$/i;

/** Whether `filePath` (absolute or relative; either separator) is a test, example or benchmark file. */
export function isTestOrExampleFile(filePath: string): boolean {
  const parts = filePath.split(/[\\/]/).filter((part) => part !== '');
  const name = parts.pop() ?? '';
  if (TEST_FILE_NAME.test(name)) return true;
  return parts.some((part) => NON_SERVICE_FOLDERS.has(part.toLowerCase()));
}

/** Folder names of one-shot scripts. */
const SCRIPT_FOLDERS: ReadonlySet<string> = new Set(['scripts', 'script', 'bin', 'tools', 'migrations']);

/** The rules that run in scripts (see above). */
export const SCRIPT_RULES: ReadonlySet<RuleName> = new Set([
  'no-connect-per-request', 'require-retry-backoff', 'no-swallowed-db-error', 'no-open-transaction',
  // A scheduled job whose connect hangs never finishes, and the next run starts beside it.
  'require-connect-timeout',
]);

/** Whether a project-relative path is a one-shot script (under a scripts folder). */
export function isScriptFile(filePath: string): boolean {
  const parts = filePath.split(/[\\/]/).filter((part) => part !== '');
  parts.pop();
  return parts.some((part) => SCRIPT_FOLDERS.has(part.toLowerCase()));
}
