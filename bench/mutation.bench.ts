/**
 * Mutation testing with StrykerJS over the modules where a silent regression hurts most (runbook
 * actions and their SQL, the webview's rendering and selectors, suppressions, SARIF, both leak
 * rules, the poller): each module is mutated against only the test files that cover it
 * (bench/mutation/modules.json), and this prints the mutation score per module and every mutant
 * that survived. Slow (minutes per module; the runbook's tests need the real databases), so it is a
 * benchmark, not part of `npm test`.
 *
 *   npm run bench -- mutation                          every module
 *   npm run bench -- mutation --module=sarif,poller    some of them
 *   npm run bench -- mutation --concurrency=1          fewer test processes (2 by default)
 *   npm run bench -- mutation --from-reports           summarise the last run's reports again
 *
 * Reports (JSON and HTML) and the Stryker log of each module land in bench/results/mutation/.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Below this a module fails the benchmark (exit code 1), as issue 19 asks. */
const TARGET_SCORE = 80;
const RESULTS = 'bench/results/mutation';
const CONFIG = 'bench/mutation/stryker.config.mjs';
/** Stryker colours its log lines even when told not to. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

interface Place { line: number; column: number }

interface MutantJson {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: Place; end: Place };
}

interface ReportJson {
  files: Record<string, { source: string; mutants: MutantJson[] }>;
}

interface ModuleResult {
  module: string;
  score: number | null;
  killed: number;
  timedOut: number;
  survived: number;
  noCoverage: number;
  invalid: number;
  seconds: number;
  survivors: string[];
  error?: string;
}

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.slice(2).find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

/** The original code a mutant replaces (1-based lines and columns, end exclusive). */
function spanOf(lines: string[], { start, end }: { start: Place; end: Place }): string {
  if (start.line === end.line) return (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1);
  return [(lines[start.line - 1] ?? '').slice(start.column - 1), ...lines.slice(start.line, end.line - 1), (lines[end.line - 1] ?? '').slice(0, end.column - 1)].join('\n');
}

/** Stryker's own definition: detected (killed, timed out) over detected + undetected (survived, no coverage). */
function summarise(module: string, report: ReportJson, seconds: number): ModuleResult {
  const result: ModuleResult = { module, score: null, killed: 0, timedOut: 0, survived: 0, noCoverage: 0, invalid: 0, seconds, survivors: [] };
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    for (const mutant of [...mutants].sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)) {
      switch (mutant.status) {
        case 'Killed': result.killed++; break;
        case 'Timeout': result.timedOut++; break;
        case 'Survived': result.survived++; break;
        case 'NoCoverage': result.noCoverage++; break;
        default: result.invalid++; continue; // CompileError, RuntimeError, Ignored: not counted
      }
      if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        const { start } = mutant.location;
        result.survivors.push(`${file}:${start.line}:${start.column} ${mutant.mutatorName}${mutant.status === 'NoCoverage' ? ' (no coverage)' : ''}: ${oneLine(spanOf(lines, mutant.location))} -> ${oneLine(mutant.replacement ?? '')}`);
      }
    }
  }
  const detected = result.killed + result.timedOut;
  const valid = detected + result.survived + result.noCoverage;
  result.score = valid === 0 ? null : (100 * detected) / valid;
  return result;
}

/** Runs Stryker for one module: its whole output goes to the log file, its progress lines to the console. */
function runStryker(name: string, concurrency: number, logFile: string): Promise<{ status: number | null; signal: NodeJS.Signals | null }> {
  const log = createWriteStream(logFile);
  const child = spawn('npx', ['stryker', 'run', CONFIG], {
    env: { ...process.env, DBHEALTH_MUTATION_MODULE: name, DBHEALTH_MUTATION_CONCURRENCY: String(concurrency), FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lastProgress = 0;
  const onOutput = (chunk: Buffer): void => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').replace(ANSI_COLOUR, '').split('\n')) {
      const important = /ERROR|WARN|Initial test run|Instrumented/.test(line);
      if (important || (line.startsWith('Mutation testing') && Date.now() - lastProgress > 30_000)) {
        if (!important) lastProgress = Date.now();
        console.log(`    ${line.replace(/^\S+ \(\d+\) /, '').trim()}`);
      }
    }
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  return new Promise((resolve) => child.on('close', (status, signal) => log.end(() => resolve({ status, signal }))));
}

async function main(): Promise<void> {
  const MODULES = JSON.parse(readFileSync('bench/mutation/modules.json', 'utf8')) as Record<string, { what: string; mutate: string[]; tests: string[] }>;
  const chosen = flag('module')?.split(',').filter(Boolean) ?? Object.keys(MODULES);
  const unknown = chosen.filter((name) => !(name in MODULES));
  if (unknown.length > 0) throw new Error(`unknown module(s) ${unknown.join(', ')}; known: ${Object.keys(MODULES).join(', ')}`);
  const reuse = process.argv.includes('--from-reports');
  const concurrency = Math.min(2, Math.max(1, Number(flag('concurrency') ?? 2)));
  mkdirSync(RESULTS, { recursive: true });

  const results: ModuleResult[] = [];
  for (const name of chosen) {
    const module = MODULES[name];
    console.log(`\n--- ${name}: ${module.what}\n    mutating ${module.mutate.join(', ')}\n    against ${module.tests.join(', ')}`);
    const reportFile = path.join(RESULTS, `${name}.json`);
    const logFile = path.join(RESULTS, `${name}.log`);
    if (!reuse) rmSync(reportFile, { force: true });
    const started = Date.now();
    const run = reuse ? { status: 0, signal: null } : await runStryker(name, concurrency, logFile);
    const seconds = (Date.now() - started) / 1000;
    if (run.status !== 0 || !existsSync(reportFile)) {
      const error = `Stryker exited with ${run.status ?? run.signal}; see ${logFile}`;
      console.log(`    ${error}`);
      results.push({ module: name, score: null, killed: 0, timedOut: 0, survived: 0, noCoverage: 0, invalid: 0, seconds, survivors: [], error });
      continue;
    }
    const result = summarise(name, JSON.parse(readFileSync(reportFile, 'utf8')) as ReportJson, seconds);
    results.push(result);
    console.log(`    score ${result.score === null ? 'n/a' : `${result.score.toFixed(1)} %`}: ${result.killed} killed, ${result.timedOut} timed out, ${result.survived} survived, ${result.noCoverage} without coverage (${result.invalid} invalid) in ${seconds.toFixed(0)} s`);
    if (result.survivors.length > 0) {
      console.log(`    surviving mutants:`);
      for (const survivor of result.survivors) console.log(`    - ${survivor}`);
    }
  }

  console.log('\nmodule            score    killed  timeout  survived  no-cov  time');
  for (const r of results) {
    const score = r.error ? 'error' : r.score === null ? 'n/a' : `${r.score.toFixed(1)} %`;
    console.log(`${r.module.padEnd(17)} ${score.padStart(7)}  ${String(r.killed).padStart(6)}  ${String(r.timedOut).padStart(7)}  ${String(r.survived).padStart(8)}  ${String(r.noCoverage).padStart(6)}  ${r.seconds.toFixed(0).padStart(4)} s`);
  }
  // One summary for all modules: a run of some modules updates theirs and keeps the others'.
  const summaryFile = path.join(RESULTS, 'summary.json');
  const earlier = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, 'utf8')) as { modules?: Record<string, ModuleResult & { at: string }> }).modules ?? {} : {};
  const at = new Date().toISOString();
  // From the reports alone, the scores are refreshed and the time and date of the run are kept.
  for (const r of results) earlier[r.module] = reuse ? { ...r, seconds: earlier[r.module]?.seconds ?? 0, at: earlier[r.module]?.at ?? at } : { ...r, at };
  writeFileSync(summaryFile, JSON.stringify({ target: TARGET_SCORE, modules: earlier }, null, 2) + '\n');
  const failing = results.filter((r) => r.error || r.score === null || r.score < TARGET_SCORE);
  if (failing.length > 0) {
    console.log(`\nbelow ${TARGET_SCORE} % or failed: ${failing.map((r) => r.module).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
