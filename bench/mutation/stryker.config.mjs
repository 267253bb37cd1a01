// StrykerJS configuration for one module of MODULES, chosen by DBHEALTH_MUTATION_MODULE.
// `npm run bench -- mutation` (bench/mutation.bench.ts) runs it once per module; by hand:
//   DBHEALTH_MUTATION_MODULE=suppressions npx stryker run bench/mutation/stryker.config.mjs
// Paths are relative to the repository root (Stryker's working directory).
import { readFileSync } from 'node:fs';

// { name: { what, mutate: [source files], tests: [the node:test files that exercise them], runner?: 'command' } }
const MODULES = JSON.parse(readFileSync(new URL('./modules.json', import.meta.url), 'utf8'));

const name = process.env.DBHEALTH_MUTATION_MODULE;
const module = name ? MODULES[name] : undefined;
if (!module) throw new Error(`DBHEALTH_MUTATION_MODULE must be one of ${Object.keys(MODULES).join(', ')} (got ${name ?? 'nothing'})`);
const results = 'bench/results/mutation';
// DBHEALTH_MUTATION_TESTS="a.test.ts b.test.ts" measures a subset of the module's tests (say, the ones
// a change started from); its reports get a `-subset` suffix so they never replace the module's.
const subset = process.env.DBHEALTH_MUTATION_TESTS?.split(/\s+/).filter(Boolean);
if (subset) module.tests = subset;
const report = subset ? `${name}-subset` : name;

export default {
  packageManager: 'npm',
  mutate: module.mutate,
  ...(module.runner === 'command'
    ? {
        // No coverage to go by: every mutant runs the listed files in order, up to the first failure.
        testRunner: 'command',
        commandRunner: { command: `node bench/mutation/run-tests.mjs ${module.tests.join(' ')}` },
        coverageAnalysis: 'off',
      }
    : {
        // node:test files run one by one through tsx with the TAP reporter; "per test" coverage is
        // per file here, so each mutant runs only the listed files that reach it.
        testRunner: 'tap',
        tap: {
          testFiles: module.tests,
          nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
          forceBail: true,
        },
        coverageAnalysis: 'perTest',
      }),
  concurrency: Number(process.env.DBHEALTH_MUTATION_CONCURRENCY ?? 2),
  timeoutFactor: 2.5,
  timeoutMS: 15000,
  reporters: ['progress', 'json', 'html'],
  jsonReporter: { fileName: `${results}/${report}.json` },
  htmlReporter: { fileName: `${results}/${report}.html` },
  tempDirName: `${results}/.stryker-tmp`,
  // The sandbox is a copy of the repository; leave out builds, browsers and earlier results.
  ignorePatterns: ['/dist', '/out', '/build', '/.vscode-test', '/bench/results', '/bench/corpus', '/test-results', '/reports'],
  cleanTempDir: true,
  disableTypeChecks: false,
  logLevel: 'info',
  fileLogLevel: 'off',
};
