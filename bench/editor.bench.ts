/**
 * Edit → updated diagnostics, through the same worker path the extension uses (LintWorkerClient
 * driving dist/lint-worker.js, with the document remembered between edits as the editor does), on a
 * ~2,000-line Python file and a ~2,000-line TypeScript file. Each iteration changes one line, bumps
 * the version and waits for that version's outcome; the extension's 150 ms typing debounce comes on
 * top and is deliberately not counted.
 *
 * Baseline, measured in the same run: a whole-file lint in-process (no worker, nothing remembered),
 * which is what every edit cost before the front ends learnt to re-analyse only the edited function
 * (the reduced copies of src/python/incremental.ts and src/javascript/incremental.ts). The stall column shows how long each way blocks the caller's thread (the extension
 * host's, in the editor).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LintWorkerClient } from '../src/extension/lint-worker-client';
import { lintText } from '../src/engine/index';
import type { LintOutcome } from '../src/engine/types';
import { pythonService, typescriptService } from '../test/support/generated-services';

const WARMUP = 10;
const ITERATIONS = 60;
const TARGET_P95_MS = 50;
const LINES = 2000;

/** The edit a user makes: one character typed into a SQL string in the middle of the file. */
function edited(text: string, iteration: number): string {
  const anchor = text.indexOf('FROM orders', Math.floor(text.length / 2)) + 'FROM orders'.length;
  return text.slice(0, anchor) + String.fromCharCode(97 + (iteration % 26)) + text.slice(anchor);
}

/**
 * The longest stretch the calling thread could not run a timer, sampled every 2 ms: what a user
 * would feel as a frozen editor if this thread were the extension host.
 */
function watchCallerStalls(): () => number {
  const periodMs = 2;
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - periodMs);
    last = now;
  }, periodMs);
  return () => {
    clearInterval(timer);
    return Math.max(0, worst);
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Measurement {
  p50: number;
  p95: number;
  max: number;
  findings: number;
  /** Longest time the caller's thread was blocked during the measured runs. */
  longestStallMs: number;
}

async function measure(lint: (text: string, version: number) => Promise<LintOutcome>, source: string): Promise<Measurement> {
  let findings = 0;
  for (let i = 0; i < WARMUP; i++) await lint(edited(source, i), i + 1);
  const times: number[] = [];
  const stopWatching = watchCallerStalls();
  for (let i = 0; i < ITERATIONS; i++) {
    const text = edited(source, i);
    const started = performance.now();
    const outcome = await lint(text, WARMUP + i + 1);
    times.push(performance.now() - started);
    if (outcome.kind === 'failed') throw new Error(`lint failed: ${outcome.reason}`);
    if (outcome.kind === 'linted') findings = outcome.findings.length;
    // Back to the event loop between edits, as an editor is: the stall watcher's timer gets to run.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const longestStallMs = stopWatching();
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1], findings,
    longestStallMs,
  };
}

async function main(): Promise<void> {
  const workerPath = path.resolve('dist/lint-worker.js');
  if (!existsSync(workerPath)) throw new Error('dist/lint-worker.js is missing: run `npm run build` (npm run bench does).');
  const client = new LintWorkerClient(workerPath);
  const files = [
    { name: 'python (2,000 lines)', filePath: '/bench/orders.py', source: pythonService(LINES) },
    { name: 'typescript (2,000 lines)', filePath: '/bench/orders.ts', source: typescriptService(LINES) },
  ];
  const rows: Record<string, unknown>[] = [];
  let failedTarget = false;
  for (const file of files) {
    const viaWorker = await measure(async (text, version) => {
      const result = await client.lint(file.filePath, version, text, file.filePath, {});
      if (result.kind !== 'done') throw new Error('a sequential request was superseded');
      return result.outcome;
    }, file.source);
    const inProcess = await measure((text) => lintText(text, file.filePath, {}), file.source);
    const ratio = viaWorker.p50 / inProcess.p50;
    failedTarget ||= viaWorker.p95 >= TARGET_P95_MS;
    console.log(
      `${file.name}: edit → diagnostics via worker p50 ${viaWorker.p50.toFixed(2)} ms, p95 ${viaWorker.p95.toFixed(2)} ms, max ${viaWorker.max.toFixed(2)} ms ` +
        `(${viaWorker.findings} findings; target p95 < ${TARGET_P95_MS} ms: ${viaWorker.p95 < TARGET_P95_MS ? 'met' : 'MISSED'})`,
    );
    console.log(
      `  baseline, whole-file lint in-process: p50 ${inProcess.p50.toFixed(2)} ms, p95 ${inProcess.p95.toFixed(2)} ms; p50 ratio (editor path / baseline) ${ratio.toFixed(2)}`,
    );
    console.log(
      `  longest stall of the calling thread (the extension host, in the editor): via worker ${viaWorker.longestStallMs.toFixed(1)} ms; ` +
        `in-process ${inProcess.longestStallMs.toFixed(1)} ms`,
    );
    rows.push({ file: file.name, viaWorker, inProcess, ratio });
  }
  await client.dispose();
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/editor.json', JSON.stringify({ date: new Date().toISOString(), warmup: WARMUP, iterations: ITERATIONS, rows }, null, 2));
  if (failedTarget) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`editor bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
