// `npm run bench -- index`: the project index on a generated 2,000-file project (1,000 Python and
// 1,000 TypeScript modules: a db module per package, helpers, and handlers importing them).
//
// Reports, each measured in this run:
// - building the whole index (every module that names a driver, with what it imports), its time and
//   the heap it keeps, against parsing the same files alone (the baseline);
// - linting the project with the index against linting it without (what cross-file facts cost);
// - the time from a module's change on disk to its importers' new diagnostics, through the lint
//   worker the editor uses (fileChanged, then the importers' lints).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lintText, ProjectIndex } from '../src/engine';
import { LintWorkerClient } from '../src/extension/lint-worker-client';

const PACKAGES = 50;
const MODULES_PER_PACKAGE = 20; // per language: 50 × 20 × 2 = 2,000 files

function pythonPackage(p: number): Record<string, string> {
  const files: Record<string, string> = {
    [`py/pkg${p}/__init__.py`]: '',
    [`py/pkg${p}/db.py`]: [
      'from psycopg2.pool import ThreadedConnectionPool',
      `pool = ThreadedConnectionPool(1, 10, "dbname=pkg${p} connect_timeout=5 options='-c statement_timeout=5000'")`,
      'def get_conn():',
      '    return pool.getconn()',
      'def put_conn(conn):',
      '    pool.putconn(conn)',
      '',
    ].join('\n'),
  };
  for (let m = 0; m < MODULES_PER_PACKAGE - 2; m++) {
    const lines = ['import logging', `from pkg${p}.db import get_conn, put_conn, pool`, 'log = logging.getLogger(__name__)', ''];
    for (let f = 0; f < 8; f++) {
      lines.push(
        `def load_${f}(item_id):`,
        '    conn = get_conn()',
        '    cur = conn.cursor()',
        '    cur.execute("SELECT * FROM items WHERE id = %s", (item_id,))',
        '    row = cur.fetchone()',
        '    put_conn(conn)',
        '    return row',
        '',
        `def count_${f}(values):`,
        '    total = 0',
        '    for value in values:',
        '        total += len(str(value))',
        '    log.info("counted %s", total)',
        '    return total',
        '',
      );
    }
    files[`py/pkg${p}/handlers_${m}.py`] = lines.join('\n');
  }
  return files;
}

function typescriptPackage(p: number): Record<string, string> {
  const files: Record<string, string> = {
    [`ts/pkg${p}/db.ts`]: [
      "import { Pool } from 'pg';",
      'export const pool = new Pool({ connectionTimeoutMillis: 5000, statement_timeout: 5000 });',
      'export async function getClient() {',
      '  return pool.connect();',
      '}',
      '',
    ].join('\n'),
    [`ts/pkg${p}/index.ts`]: "export * from './db';\n",
  };
  for (let m = 0; m < MODULES_PER_PACKAGE - 2; m++) {
    const lines = [`import { getClient } from './index';`, ''];
    for (let f = 0; f < 8; f++) {
      lines.push(
        `export async function load${f}(id: number) {`,
        '  const client = await getClient();',
        "  const { rows } = await client.query('SELECT * FROM items WHERE id = $1', [id]);",
        '  client.release();',
        '  return rows[0];',
        '}',
        '',
        `export function count${f}(values: unknown[]) {`,
        '  let total = 0;',
        '  for (const value of values) total += String(value).length;',
        '  return total;',
        '}',
        '',
      );
    }
    files[`ts/pkg${p}/handlers${m}.ts`] = lines.join('\n');
  }
  return files;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function lintAll(files: Record<string, string>, root: string, project?: ProjectIndex): Promise<number> {
  let findings = 0;
  for (const [relative, text] of Object.entries(files)) {
    const outcome = await lintText(text, path.join(root, relative), {}, project ? { project } : {});
    if (outcome.kind === 'linted') findings += outcome.findings.length;
  }
  return findings;
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'dbhealth-index-bench-'));
  try {
    const files: Record<string, string> = {};
    for (let p = 0; p < PACKAGES; p++) Object.assign(files, pythonPackage(p), typescriptPackage(p));
    for (const [relative, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      writeFileSync(path.join(root, relative), text);
    }
    const lines = Object.values(files).reduce((n, text) => n + text.split('\n').length, 0);
    console.log(`project: ${Object.keys(files).length} files, ${lines.toLocaleString('en')} lines`);

    // Warm both front ends (wasm, ESLint) so the first round does not pay for loading them.
    await lintAll({ 'py/pkg0/db.py': files['py/pkg0/db.py'], 'ts/pkg0/db.ts': files['ts/pkg0/db.ts'] }, root);

    const builds: number[] = [];
    const heaps: number[] = [];
    let summarised = 0;
    for (let round = 0; round < 3; round++) {
      (globalThis as { gc?: () => void }).gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const project = new ProjectIndex({ roots: [root] });
      // The index learns each language when its front end first lints with it.
      await lintText('import psycopg2\n', path.join(root, 'warm.py'), {}, { project });
      await lintText("import 'pg';\n", path.join(root, 'warm.ts'), {}, { project });
      const started = performance.now();
      project.buildAll();
      builds.push(performance.now() - started);
      (globalThis as { gc?: () => void }).gc?.();
      heaps.push(process.memoryUsage().heapUsed - heapBefore);
      summarised = project.size;
      void project; // kept alive until measured
    }
    console.log(`index build (every module that names a driver, and what it imports): median ${median(builds).toFixed(0)} ms over ${builds.length} rounds (${builds.map((b) => b.toFixed(0)).join(', ')}), ${summarised} modules summarised, heap kept ${(median(heaps) / 1024 / 1024).toFixed(1)} MB`);

    const without: number[] = [];
    const withIndex: number[] = [];
    let findingsWithout = 0;
    let findingsWith = 0;
    for (let round = 0; round < 3; round++) {
      let started = performance.now();
      findingsWithout = await lintAll(files, root);
      without.push(performance.now() - started);
      const project = new ProjectIndex({ roots: [root] });
      started = performance.now();
      findingsWith = await lintAll(files, root, project);
      withIndex.push(performance.now() - started);
    }
    console.log(`lint of the whole project without the index (baseline): median ${median(without).toFixed(0)} ms, ${findingsWithout} findings`);
    console.log(`lint of the whole project with the index (built on the way): median ${median(withIndex).toFixed(0)} ms, ${findingsWith} findings; ratio ${(median(withIndex) / median(without)).toFixed(2)}x`);

    // Save → importers' diagnostics, through the worker the editor uses.
    const client = new LintWorkerClient(path.join(__dirname, '..', 'dist', 'lint-worker.js'));
    client.setProjectRoots([root]);
    try {
      for (const language of ['py', 'ts'] as const) {
        const importers = Object.keys(files).filter((f) => f.startsWith(`${language}/pkg1/handlers`));
        const dbFile = language === 'py' ? 'py/pkg1/db.py' : 'ts/pkg1/db.ts';
        for (const importer of importers) await client.lint(importer, 1, files[importer], path.join(root, importer), {});
        const times: number[] = [];
        for (let round = 0; round < 5; round++) {
          // Alternate what the module offers, so every save changes its facts.
          const text = round % 2 === 0 ? files[dbFile].replace(/return pool\.(getconn|connect)\(\)/, 'return None') : files[dbFile];
          writeFileSync(path.join(root, dbFile), language === 'ts' ? text.replace('return None', 'return undefined') : text);
          const started = performance.now();
          const affected = await client.fileChanged(path.join(root, dbFile));
          await Promise.all(affected.map((file) => client.lint(path.relative(root, file), round + 2, files[path.relative(root, file)] ?? '', file, {})));
          times.push(performance.now() - started);
          if (affected.length < importers.length) throw new Error(`${dbFile}: only ${affected.length} of ${importers.length} importers re-linted`);
        }
        console.log(`${language === 'py' ? 'python' : 'typescript'}: save of a db module → ${importers.length} importers re-linted through the worker: median ${median(times).toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`);
      }
    } finally {
      await client.dispose();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
