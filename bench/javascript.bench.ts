/**
 * JS/TS lint benchmark: throughput of the JS/TS front end over more than 100,000 lines, the
 * overhead of the dbhealth rules over an ESLint run with the same parser and no rules (measured in
 * the same process, interleaved), and the cold start from a fresh process loading dist/engine.js
 * to the first file's findings.
 *
 * Corpus: real JavaScript (the database drivers this plugin knows, and ESLint's own sources) plus
 * generated TypeScript services that use pg and mysql2 the way applications do, good and bad.
 */
import { Linter } from 'eslint/universal';
import * as tsParser from '@typescript-eslint/parser';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProjectIndex } from '../src/engine/project';
import { createJavaScriptFrontEnd } from '../src/javascript/frontend';

const MIN_LINES = 100_000;
const ROUNDS = 3;
const OVERHEAD_TARGET = 0.3;

interface SourceFile {
  readonly name: string;
  readonly text: string;
}

function listJs(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...listJs(full));
    else if (/\.(c|m)?js$/.test(entry.name)) found.push(full);
  }
  return found.sort();
}

/** A service module of the shape real applications have: a pool, repositories, handlers, a retry. */
function generatedService(index: number): string {
  const table = `table_${index}`;
  const leaky = index % 7 === 0;
  return `import { Pool, type PoolClient } from 'pg';
import mysql from 'mysql2/promise';
import express from 'express';

export const pool = new Pool({ max: ${5 + (index % 20)}, connectionTimeoutMillis: 5_000, statement_timeout: 15_000 });
const reporting = mysql.createPool({ host: 'reports', connectionLimit: 10, queueLimit: 100 });

export interface Row${index} { id: number; name: string; updatedAt: Date; }

function toRow(raw: Record<string, unknown>): Row${index} {
  return { id: Number(raw.id), name: String(raw.name), updatedAt: new Date(String(raw.updated_at)) };
}

export async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

export async function find${index}(id: number): Promise<Row${index} | undefined> {
  const { rows } = await pool.query('SELECT * FROM ${table} WHERE id = $1', [id]);
  return rows[0] ? toRow(rows[0]) : undefined;
}

export async function rename${index}(id: number, name: string): Promise<void> {
  const client = await pool.connect();
${leaky ? `  await client.query('UPDATE ${table} SET name = $1 WHERE id = $2', [name, id]);
  client.release();` : `  try {
    await client.query('BEGIN');
    await client.query('UPDATE ${table} SET name = $1 WHERE id = $2', [name, id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }`}
}

export async function report${index}(): Promise<unknown[]> {
  const [rows] = await reporting.query('SELECT count(*) AS n FROM ${table}');
  return rows as unknown[];
}

export async function queryWithRetry${index}(sql: string): Promise<unknown> {
  let delay = 100;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await pool.query(sql);
    } catch (error) {
      console.warn('retrying', error);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
  throw new Error('gave up');
}

export function summarise${index}(rows: readonly Row${index}[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = row.name.slice(0, 1).toUpperCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export const router${index} = express.Router();
router${index}.get('/${table}/:id', async (req, res) => {
  const row = await find${index}(Number(req.params.id));
  if (!row) {
    res.status(404).end();
    return;
  }
  res.json(row);
});
router${index}.post('/${table}/:id/name', async (req, res) => {
  await rename${index}(Number(req.params.id), String(req.body.name));
  res.status(204).end();
});
`;
}

function corpus(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const directory of ['node_modules/pg/lib', 'node_modules/mysql2/lib', 'node_modules/mysql/lib', 'node_modules/eslint/lib']) {
    for (const file of listJs(directory)) {
      if (statSync(file).size > 200_000) continue;
      files.push({ name: file, text: readFileSync(file, 'utf8') });
    }
  }
  for (let i = 0; i < 300; i++) files.push({ name: `generated/service-${i}.ts`, text: generatedService(i) });
  return files;
}

const lineCount = (files: readonly SourceFile[]): number => files.reduce((sum, f) => sum + f.text.split('\n').length, 0);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const files = corpus();
  const lines = lineCount(files);
  if (lines < MIN_LINES) throw new Error(`corpus has ${lines} lines, fewer than ${MIN_LINES}`);
  console.log(`corpus: ${files.length} files, ${lines} lines (real driver + ESLint sources, 300 generated TS services)`);

  const frontEnd = await createJavaScriptFrontEnd();
  // The corpus as a project on disk, linted with the project index as the CLI does. The index is
  // built once, before the rounds (its build time is reported apart); each round's lints then read
  // other modules' facts from it.
  const root = mkdtempSync(path.join(tmpdir(), 'dbhealth-js-bench-'));
  const onDisk = files.map((file) => {
    const full = path.join(root, file.name.replace(/^node_modules\//, ''));
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, file.text);
    return full;
  });
  const baselineLinter = new Linter({ configType: 'flat' });
  const baselineConfig = (sourceType: 'module' | 'commonjs'): Linter.Config[] => [
    { files: ['**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}'], languageOptions: { parser: tsParser as Linter.Parser, sourceType, ecmaVersion: 'latest' } },
  ];
  const configs = { module: baselineConfig('module'), commonjs: baselineConfig('commonjs') };

  async function runBaseline(): Promise<number> {
    const start = performance.now();
    for (const file of files) {
      const sourceType = /\.c[jt]s$/.test(file.name) ? 'commonjs' : 'module';
      baselineLinter.verify(file.text, configs[sourceType], { filename: path.basename(file.name) });
    }
    return performance.now() - start;
  }
  let findings = 0;
  let failed = 0;
  async function runDbhealth(): Promise<number> {
    findings = 0;
    failed = 0;
    const start = performance.now();
    for (const [i, file] of files.entries()) {
      const outcome = await frontEnd.lint(file.text, onDisk[i], {}, { project });
      if (outcome.kind === 'linted') findings += outcome.findings.length;
      else failed++;
    }
    return performance.now() - start;
  }

  const project = new ProjectIndex({ roots: [root] });
  await frontEnd.lint('', path.join(root, 'warm.ts'), {}, { project });
  const buildStarted = performance.now();
  project.buildAll();
  const buildMs = performance.now() - buildStarted;
  console.log(`project index built once before the rounds: ${buildMs.toFixed(0)} ms for ${project.size} modules`);
  // Warm-up: JIT and the parser's lazy initialisation, excluded from the figures.
  await runBaseline();
  await runDbhealth();
  const baseline: number[] = [];
  const dbhealth: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    (globalThis as { gc?: () => void }).gc?.();
    baseline.push(await runBaseline());
    (globalThis as { gc?: () => void }).gc?.();
    dbhealth.push(await runDbhealth());
  }
  const baselineMs = median(baseline);
  const dbhealthMs = median(dbhealth);
  const overhead = dbhealthMs / baselineMs - 1;
  console.log(`baseline (same parser, no rules): ${baselineMs.toFixed(0)} ms  (${Math.round(lines / (baselineMs / 1000))} lines/s)  rounds: ${baseline.map((v) => v.toFixed(0)).join(', ')}`);
  console.log(`dbhealth (11 rules, project index): ${dbhealthMs.toFixed(0)} ms  (${Math.round(lines / (dbhealthMs / 1000))} lines/s)  rounds: ${dbhealth.map((v) => v.toFixed(0)).join(', ')}`);
  console.log(`rule overhead: ${(overhead * 100).toFixed(1)} % (target <= ${OVERHEAD_TARGET * 100} %)  findings: ${findings}, files not analysed: ${failed}`);

  rmSync(root, { recursive: true, force: true });
  const cold = coldStart();
  if (cold) {
    console.log(`cold start (fresh node process): require dist/engine.js ${cold.requireMs.toFixed(0)} ms, first JS/TS lint to findings ${cold.firstLintMs.toFixed(0)} ms, total ${cold.totalMs.toFixed(0)} ms (${cold.findings} findings)`);
  }

  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/javascript.json',
    JSON.stringify({ files: files.length, lines, baselineMs, dbhealthMs, overhead, linesPerSecond: lines / (dbhealthMs / 1000), findings, failed, coldStart: cold }, null, 2) + '\n',
  );
  if (overhead > OVERHEAD_TARGET) console.log('overhead above target');
}

/** Time from a fresh process's first JS/TS lint call (loading dist/engine.js) to its findings. */
function coldStart(): { requireMs: number; firstLintMs: number; totalMs: number; findings: number } | undefined {
  const engine = path.resolve('dist/engine.js');
  if (!existsSync(engine)) {
    console.log('cold start: dist/engine.js not built (run `npm run bench`, which builds first)');
    return undefined;
  }
  const sample = readFileSync('samples/workspace/web/src/orders-repository.ts', 'utf8');
  const script = `
    const t0 = performance.now();
    const engine = require(${JSON.stringify(engine)});
    const t1 = performance.now();
    engine.lintText(${JSON.stringify(sample)}, 'orders-repository.ts', {}).then((outcome) => {
      const t2 = performance.now();
      process.stdout.write(JSON.stringify({ requireMs: t1 - t0, firstLintMs: t2 - t1, totalMs: t2 - t0, findings: outcome.kind === 'linted' ? outcome.findings.length : -1 }));
    });`;
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { requireMs: number; firstLintMs: number; totalMs: number; findings: number });
  runs.sort((a, b) => a.totalMs - b.totalMs);
  return runs[1];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
