// Runs the node:test files under a folder (TypeScript through tsx), prints the spec report and
// records the layer's counts in test-results/<layer>.summary.json for scripts/test-all.mjs.
// Usage: node scripts/run-node-tests.mjs <folder> [--layer name] [extra files or name filters...]
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const [folder = 'test/unit', ...rest] = process.argv.slice(2);
const layerIndex = rest.indexOf('--layer');
const layer = layerIndex === -1 ? path.basename(folder) : rest[layerIndex + 1];

async function findTests(directory) {
  const found = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...(await findTests(full)));
    else if (/\.test\.(ts|mts|js|mjs)$/.test(entry.name)) found.push(full);
  }
  return found.sort();
}

const files = await findTests(folder);
if (files.length === 0) {
  console.error(`No test files (*.test.ts) under ${folder}.`);
  process.exit(1);
}

await mkdir('test-results', { recursive: true });
const tapFile = path.join('test-results', `${layer}.tap`);
const child = spawn(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));

const tap = await readFile(tapFile, 'utf8').catch(() => '');
const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
const summary = { layer, passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
await writeFile(path.join('test-results', `${layer}.summary.json`), JSON.stringify(summary) + '\n');
process.exit(code === 0 && summary.failed === 0 ? 0 : 1);
