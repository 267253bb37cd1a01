// Stryker's "command" runner for modules whose tests exercise the code in a child process (the CLI
// bundled and run by the SARIF tests), where the tap runner's per-test coverage cannot see it: runs
// each node:test file in turn through tsx and stops at the first that fails, like the tap runner's bail.
import { spawnSync } from 'node:child_process';

for (const file of process.argv.slice(2)) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) {
    console.error(`failed: ${file}`);
    process.exit(1);
  }
}
