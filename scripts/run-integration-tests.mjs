// Integration layer: start the local databases if needed, then run test/integration with node:test.
import { spawnSync } from 'node:child_process';

const ensured = spawnSync('bash', ['scripts/ensure-databases.sh'], { stdio: 'inherit' });
if (ensured.status !== 0) process.exit(1);
const run = spawnSync(process.execPath, ['scripts/run-node-tests.mjs', 'test/integration', '--layer', 'integration'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
