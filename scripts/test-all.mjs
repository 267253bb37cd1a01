// `npm test`: build, type-check and lint once, then run the four test layers in order and print
// one count per layer. A layer that runs no test fails the whole run: an empty layer proves nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const LAYERS = [
  { name: 'unit', script: 'test:unit' },
  { name: 'integration', script: 'test:integration' },
  { name: 'extension-host', script: 'test:host' },
  { name: 'e2e', script: 'test:e2e' },
];

function run(script) {
  console.log(`\n=== npm run ${script}`);
  return spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' }).status === 0;
}

// A fresh clone: `npm test` is one of the README's two commands, so it installs what it needs
// (the extension-host and e2e runners install code-server and Chromium themselves).
if (!existsSync('node_modules/.package-lock.json')) {
  console.log('=== npm ci (no node_modules yet)');
  if (spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' }).status !== 0) process.exit(1);
}

rmSync('test-results', { recursive: true, force: true });
for (const step of ['build', 'typecheck', 'lint']) {
  if (!run(step)) {
    console.error(`\nnpm test: "${step}" failed; no test layer ran.`);
    process.exit(1);
  }
}

const results = [];
for (const layer of LAYERS) {
  const ok = run(layer.script);
  let summary = { passed: 0, failed: ok ? 0 : 1, skipped: 0 };
  try {
    summary = JSON.parse(readFileSync(`test-results/${layer.name}.summary.json`, 'utf8'));
  } catch {
    // The layer died before it could record counts; it is reported as failed below.
  }
  results.push({ ...layer, ok: ok && summary.failed === 0 && summary.passed > 0, ...summary });
}

console.log('\nTest layers:');
for (const r of results) {
  console.log(`  ${r.name.padEnd(15)} ${String(r.passed).padStart(4)} passed, ${r.failed} failed, ${r.skipped} skipped${r.ok ? '' : '   <-- FAILED'}`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0) + results.filter((r) => !r.ok && r.failed === 0).length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
