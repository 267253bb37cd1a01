// `npm run bench`: builds, then runs every bench/*.bench.ts in turn. Each benchmark measures its
// own baseline in the same run and prints ratios against it; results also land in bench/results/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';

// Words choose benchmarks (`npm run bench -- corpus`); flags go to each of them (`-- corpus --list`).
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
mkdirSync('bench/results', { recursive: true });
// Mutation testing takes an hour or more: it runs only when named (`npm run bench -- mutation`).
const ON_REQUEST = ['mutation.bench.ts'];
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts') && (only.length === 0 ? !ON_REQUEST.includes(f) : only.some((o) => f.includes(o))))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== bench/${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `bench/${file}`, ...flags], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
