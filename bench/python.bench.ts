// Python lint throughput against tree-sitter parse-only time on the same corpus, in the same run.
// Corpus: assembled from the rule tables' snippets plus generated service modules (every file
// imports a database driver, the worst case: files that do not are parsed and skipped).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ProjectIndex } from '../src/engine/project';
import * as path from 'node:path';
import { lintPython, pythonSummarizer } from '../src/python/frontend';
import { loadPythonParser } from '../src/python/parser';
import { copyTree } from '../src/python/tree';

const TARGET_LINES = 100_000;
const ROUNDS = 5;

function tableSnippets(): string[] {
  const folder = path.join(__dirname, '..', 'test', 'unit', 'python', 'rules');
  const snippets: string[] = [];
  for (const file of readdirSync(folder)) {
    const source = readFileSync(path.join(folder, file), 'utf8');
    for (const part of source.split('py`').slice(1)) snippets.push(dedent(part.slice(0, part.indexOf('`'))));
  }
  return snippets;
}

function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common)).join('\n');
}

/** A service module: a pool at module level, handlers, a repository class, retry helper and plain logic. */
function serviceModule(index: number): string {
  const lines = [
    'import logging', 'import time', 'import psycopg2', 'from psycopg2.pool import ThreadedConnectionPool', 'import requests', '',
    'log = logging.getLogger(__name__)',
    `pool = ThreadedConnectionPool(1, 20, "dbname=svc${index} connect_timeout=5 options='-c statement_timeout=5000'")`, '',
  ];
  for (let f = 0; f < 12; f++) {
    lines.push(
      `def load_${f}(user_id, flags=None):`,
      `    """Loads record ${f} for a user."""`,
      '    conn = pool.getconn()',
      '    try:',
      '        with conn.cursor() as cur:',
      `            cur.execute("SELECT id, name, email FROM users_${f} WHERE id = %s", (user_id,))`,
      '            row = cur.fetchone()',
      '            if row is None:',
      '                return None',
      '            return {"id": row[0], "name": row[1], "email": row[2]}',
      '    finally:',
      '        pool.putconn(conn)',
      '',
      `def score_${f}(values):`,
      '    total = 0',
      '    for i, value in enumerate(values):',
      '        if value % 3 == 0:',
      '            total += value * i',
      '        elif value % 5 == 0:',
      '            total -= value // 2',
      '        else:',
      '            total += sum(x * x for x in range(value % 7))',
      '    return {"total": total, "count": len(values), "mean": total / max(1, len(values))}',
      '',
    );
  }
  lines.push(
    'class Repository:', '    def __init__(self, dsn):', '        self.dsn = dsn', '',
    '    def connect(self):',
    '        for attempt in range(5):',
    '            try:',
    '                return psycopg2.connect(self.dsn)',
    '            except psycopg2.OperationalError:',
    '                log.warning("retrying", exc_info=True)',
    '                time.sleep(min(30, 0.5 * 2 ** attempt))',
    '        raise RuntimeError("unreachable")', '',
    '    def save(self, conn, record):',
    '        try:',
    '            conn.cursor().execute("INSERT INTO t VALUES (%s)", (record,))',
    '            conn.commit()',
    '        except psycopg2.Error:',
    '            conn.rollback()',
    '            raise', '',
  );
  return lines.join('\n');
}

function buildCorpus(): string[] {
  const files: string[] = [];
  let lines = 0;
  const snippets = tableSnippets();
  for (const snippet of snippets) {
    files.push(snippet);
    lines += snippet.split('\n').length;
  }
  for (let i = 0; lines < TARGET_LINES; i++) {
    const module = serviceModule(i);
    files.push(module);
    lines += module.split('\n').length;
  }
  return files;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const parser = await loadPythonParser();
  const corpus = buildCorpus();
  // The corpus as a project on disk, linted with the project index as the CLI does. The index is
  // built once, before the rounds (its build time is reported apart, as `npm run bench -- index` does
  // for a 2,000-file project); each round's lints then read other modules' facts from it.
  const root = mkdtempSync(path.join(tmpdir(), 'dbhealth-python-bench-'));
  const paths = corpus.map((text, i) => {
    const file = path.join(root, `module_${i}.py`);
    writeFileSync(file, text);
    return file;
  });
  const viewOf = (project: ProjectIndex, i: number) => {
    if (!project.hasLanguage('python')) project.register(pythonSummarizer(parser));
    return project.view(paths[i], 'python');
  };
  const lineCount = corpus.reduce((n, text) => n + text.split('\n').length, 0);
  const bytes = corpus.reduce((n, text) => n + Buffer.byteLength(text), 0);
  // Warm up both paths so neither pays the wasm/JIT start-up inside the measurement.
  for (const text of corpus.slice(0, 50)) {
    parser.parse(text)?.delete();
    lintPython(parser, text, {});
  }
  const project = new ProjectIndex({ roots: [root] });
  viewOf(project, 0);
  const buildStarted = performance.now();
  project.buildAll();
  const buildMs = performance.now() - buildStarted;
  const parseTimes: number[] = [];
  const lintTimes: number[] = [];
  const copyTimes: number[] = [];
  let findings = 0;
  // Interleaved per file (parse, copy, lint back to back) so a change in machine load between phases
  // shifts all three alike instead of skewing the ratio; rounds are summarised by their median.
  for (let round = 0; round < ROUNDS; round++) {
    let parseTotal = 0;
    let copyTotal = 0;
    let lintTotal = 0;
    findings = 0;
    for (const [i, text] of corpus.entries()) {
      let started = performance.now();
      parser.parse(text)?.delete();
      parseTotal += performance.now() - started;
      started = performance.now();
      const tree = parser.parse(text);
      if (tree) copyTree(tree);
      tree?.delete();
      copyTotal += performance.now() - started;
      started = performance.now();
      const outcome = lintPython(parser, text, {}, undefined, viewOf(project, i));
      lintTotal += performance.now() - started;
      if (outcome.kind === 'linted') findings += outcome.findings.length;
    }
    parseTimes.push(parseTotal);
    copyTimes.push(copyTotal);
    lintTimes.push(lintTotal);
  }
  rmSync(root, { recursive: true, force: true });
  const parseMs = median(parseTimes);
  const lintMs = median(lintTimes);
  const copyMs = median(copyTimes);
  const result = {
    benchmark: 'python-lint',
    files: corpus.length,
    lines: lineCount,
    bytes,
    rounds: ROUNDS,
    findings,
    parseOnlyMs: Math.round(parseMs),
    lintMs: Math.round(lintMs),
    parseLinesPerSecond: Math.round(lineCount / (parseMs / 1000)),
    lintLinesPerSecond: Math.round(lineCount / (lintMs / 1000)),
    ratioToParseOnly: Number((lintMs / parseMs).toFixed(2)),
    parseAndTreeCopyMs: Math.round(copyMs),
    ratioParseAndTreeCopyToParseOnly: Number((copyMs / parseMs).toFixed(2)),
    target: 'lint (parse + analysis) <= 2x parse-only',
  };
  console.log(`corpus: ${result.files} files, ${result.lines} lines, ${(bytes / 1024 / 1024).toFixed(1)} MB; ${findings} findings`);
  console.log(`project index built once before the rounds: ${buildMs.toFixed(0)} ms for ${project.size} modules`);
  console.log(`parse only: ${result.parseOnlyMs} ms (${result.parseLinesPerSecond} lines/s), median of ${ROUNDS}`);
  console.log(`full lint (with the project index): ${result.lintMs} ms (${result.lintLinesPerSecond} lines/s), median of ${ROUNDS}`);
  console.log(`parse + JS tree copy: ${result.parseAndTreeCopyMs} ms (${result.ratioParseAndTreeCopyToParseOnly}x parse-only; the rest of the overhead is the rules)`);
  console.log(`ratio lint / parse-only: ${result.ratioToParseOnly}x (${result.ratioToParseOnly <= 2 ? 'within' : 'ABOVE'} the 2x target)`);
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  writeFileSync(path.join(__dirname, 'results', 'python.json'), JSON.stringify(result, null, 2) + '\n');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
