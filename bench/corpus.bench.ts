// `npm run bench -- corpus`: dbhealth on code nobody here wrote (bench/corpus/README.md).
//
// For each label file, the labelled commit is materialised from a local clone (only the source files
// and the manifests module resolution reads, under the file's `lint` paths), the CLI is run over it
// as a user would run it (`dbhealth lint <paths> --format json` from the repository's root), and the
// findings are scored against the labels: recall per rule and language on `flag` labels, false alarms
// on `no-flag` labels, and every finding that no label covers is listed for triage.
//
// Clones come from $DBHEALTH_CORPUS_MIRRORS (default: ../.mirror beside this checkout), as
// `<owner>+<name>/repo`. Missing clones are named, never fatal: the bench needs no network.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

interface Label {
  readonly path: string;
  readonly line: number;
  readonly endLine?: number;
  readonly rule: string;
  readonly expect: 'flag' | 'no-flag' | 'debatable';
  readonly why: string;
  readonly note?: string;
}

interface LabelFile {
  readonly repository: string;
  readonly commit: string;
  readonly kind: string;
  readonly lint?: readonly string[];
  readonly labels: readonly Label[];
}

interface Finding {
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
  readonly start: { line: number; column: number };
}

interface ScoredFinding {
  readonly repository: string;
  readonly path: string;
  readonly line: number;
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
  readonly verdict: 'true' | 'false' | 'debatable' | 'untriaged';
}

const ROOT = path.resolve(__dirname, '..');
const CORPUS = path.join(ROOT, 'bench', 'corpus');
const MIRRORS = path.resolve(process.env.DBHEALTH_CORPUS_MIRRORS ?? path.join(ROOT, '..', '.mirror'));
const WORK = path.join(ROOT, 'bench', 'results', 'corpus');
/** The CLI under test; DBHEALTH_CORPUS_CLI points at another build (an older one, to compare). */
const CLI = path.resolve(process.env.DBHEALTH_CORPUS_CLI ?? path.join(ROOT, 'dist', 'cli.js'));
/** What the CLI analyses and what module resolution reads; nothing else of the repository is written out. */
const MATERIALISED = /(\.(py|pyi|js|cjs|mjs|jsx|ts|cts|mts|tsx)|(^|\/)(package\.json|tsconfig[^/]*\.json|jsconfig\.json))$/;
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));

function labelFiles(): { corpus: 'recall' | 'precision'; file: string }[] {
  const found: { corpus: 'recall' | 'precision'; file: string }[] = [];
  for (const corpus of ['recall', 'precision'] as const) {
    const visit = (directory: string): void => {
      if (!existsSync(directory)) return;
      for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(directory, entry.name);
        if (entry.isDirectory()) visit(full);
        else if (entry.name.endsWith('.json')) found.push({ corpus, file: full });
      }
    };
    visit(path.join(CORPUS, corpus));
  }
  return found;
}

function gitDirectory(repository: string): string | undefined {
  const base = path.join(MIRRORS, repository.replace('/', '+'), 'repo');
  if (existsSync(path.join(base, '.git', 'HEAD'))) return path.join(base, '.git');
  if (existsSync(path.join(base, 'HEAD'))) return base;
  return undefined;
}

function git(gitDir: string, args: string[], input?: Buffer): { status: number; stdout: Buffer } {
  const run = spawnSync('git', ['--git-dir', gitDir, ...args], { input, maxBuffer: 1 << 30 });
  return { status: run.status ?? 1, stdout: run.stdout ?? Buffer.alloc(0) };
}

/** Writes the commit's source files under the lint paths into `into`; returns how many were written. */
function materialise(gitDir: string, commit: string, lint: readonly string[], into: string): number | string {
  const marker = path.join(into, '.materialised');
  if (existsSync(marker)) return Number(readFileSync(marker, 'utf8'));
  rmSync(into, { recursive: true, force: true });
  const paths = lint.map((p) => (p === '.' ? '' : p.replace(/\/$/, ''))).filter((p) => p !== '');
  const listing = git(gitDir, ['ls-tree', '-r', '-z', commit, '--', ...paths]);
  if (listing.status !== 0) return `commit ${commit.slice(0, 12)} is not in the clone`;
  const blobs: { path: string; object: string }[] = [];
  for (const entry of listing.stdout.toString('utf8').split('\0')) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (match && MATERIALISED.test(match[2])) blobs.push({ object: match[1], path: match[2] });
  }
  // Manifests outside the lint paths (the root package.json, tsconfig.json) steer module resolution.
  if (paths.length > 0) {
    const top = git(gitDir, ['ls-tree', '-z', commit]);
    for (const entry of top.stdout.toString('utf8').split('\0')) {
      const match = /^\d+ blob ([0-9a-f]+)\t(package\.json|tsconfig[^/]*\.json|jsconfig\.json)$/.exec(entry);
      if (match && !blobs.some((b) => b.path === match[2])) blobs.push({ object: match[1], path: match[2] });
    }
  }
  const batch = git(gitDir, ['cat-file', '--batch'], Buffer.from(blobs.map((b) => b.object).join('\n') + '\n'));
  let offset = 0;
  let written = 0;
  const out = batch.stdout;
  for (const blob of blobs) {
    const headerEnd = out.indexOf(10, offset);
    if (headerEnd === -1) break;
    const header = out.subarray(offset, headerEnd).toString('utf8');
    offset = headerEnd + 1;
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!size) continue; // "missing": the snapshot lacks this blob
    const length = Number(size[1]);
    const target = path.join(into, blob.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, out.subarray(offset, offset + length));
    offset += length + 1;
    written++;
  }
  writeFileSync(marker, String(written));
  return written;
}

function languageOf(file: string): 'python' | 'javascript' {
  return /\.pyi?$/.test(file) ? 'python' : 'javascript';
}

function matches(label: Label, file: string, finding: Finding): boolean {
  if (label.path !== file || label.rule !== finding.rule) return false;
  return finding.start.line >= label.line && finding.start.line <= (label.endLine ?? label.line);
}

interface Tally { found: number; flags: number; falseAlarms: number; noFlags: number; findings: number; true: number; false: number; debatable: number; untriaged: number }
const tally = (): Tally => ({ found: 0, flags: 0, falseAlarms: 0, noFlags: 0, findings: 0, true: 0, false: 0, debatable: 0, untriaged: 0 });

function main(): void {
  if (!existsSync(CLI)) {
    console.error('dist/cli.js is missing: run `npm run build` (npm run bench does).');
    process.exit(1);
  }
  mkdirSync(WORK, { recursive: true });
  const byKey = new Map<string, Tally>();
  const key = (corpus: string, rule: string, language: string) => `${corpus}\t${rule}\t${language}`;
  const at = (k: string) => byKey.get(k) ?? (byKey.set(k, tally()), byKey.get(k)!);
  const missing: string[] = [];
  const scored: ScoredFinding[] = [];
  const misses: { repository: string; label: Label }[] = [];
  const falseAlarms: { repository: string; label: Label; finding: Finding }[] = [];
  const repositories = new Set<string>();
  let linesLinted = 0;
  let lintMs = 0;

  for (const { corpus, file } of labelFiles()) {
    const labels = JSON.parse(readFileSync(file, 'utf8')) as LabelFile;
    if (only.length > 0 && !only.some((o) => labels.repository.includes(o) || file.includes(o))) continue;
    const gitDir = gitDirectory(labels.repository);
    if (!gitDir) {
      missing.push(`${labels.repository} (${path.relative(CORPUS, file)})`);
      continue;
    }
    const lint = labels.lint && labels.lint.length > 0 ? labels.lint : ['.'];
    const into = path.join(WORK, `${labels.repository.replace('/', '__')}@${labels.commit.slice(0, 12)}`);
    const written = materialise(gitDir, labels.commit, lint, into);
    if (typeof written === 'string') {
      missing.push(`${labels.repository}: ${written}`);
      continue;
    }
    repositories.add(labels.repository);
    const targets = lint.filter((p) => existsSync(path.join(into, p)));
    const started = performance.now();
    const run = spawnSync(process.execPath, [CLI, 'lint', ...targets, '--format', 'json'], { cwd: into, maxBuffer: 1 << 30, encoding: 'utf8' });
    lintMs += performance.now() - started;
    let reports: { file: string; findings: Finding[] }[];
    try {
      reports = (JSON.parse(run.stdout) as { files: { file: string; findings: Finding[] }[] }).files;
    } catch {
      missing.push(`${labels.repository}: the CLI printed no JSON (exit ${run.status}): ${run.stderr.slice(0, 300)}`);
      continue;
    }
    for (const report of reports) {
      try {
        linesLinted += readFileSync(path.join(into, report.file), 'utf8').split('\n').length;
      } catch {
        /* counted only when readable */
      }
    }
    const findings = reports.flatMap((report) => report.findings.map((finding) => ({ file: report.file.split(path.sep).join('/'), finding })));
    const covered = new Set<number>();
    for (const label of labels.labels) {
      const language = languageOf(label.path);
      const hits = findings.flatMap((f, index) => (matches(label, f.file, f.finding) ? [index] : []));
      for (const index of hits) covered.add(index);
      const entry = at(key(corpus, label.rule, language));
      if (label.expect === 'flag') {
        entry.flags++;
        if (hits.length > 0) entry.found++;
        else misses.push({ repository: labels.repository, label });
      } else if (label.expect === 'no-flag') {
        entry.noFlags++;
        if (hits.length > 0) {
          entry.falseAlarms++;
          falseAlarms.push({ repository: labels.repository, label, finding: findings[hits[0]].finding });
        }
      }
    }
    for (const [index, { file: findingFile, finding }] of findings.entries()) {
      const entry = at(key(corpus, finding.rule, languageOf(findingFile)));
      entry.findings++;
      const label = labels.labels.find((l) => matches(l, findingFile, finding));
      const verdict = !label ? 'untriaged' : label.expect === 'flag' ? 'true' : label.expect === 'no-flag' ? 'false' : 'debatable';
      entry[verdict]++;
      if (!covered.has(index) && label) covered.add(index);
      scored.push({ repository: labels.repository, path: findingFile, line: finding.start.line, rule: finding.rule, severity: finding.severity, message: finding.message, verdict });
    }
  }

  const pct = (a: number, b: number) => (b === 0 ? '   –  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);
  for (const corpus of ['recall', 'precision']) {
    const keys = [...byKey.keys()].filter((k) => k.startsWith(`${corpus}\t`)).sort();
    if (keys.length === 0) continue;
    console.log(`\n${corpus} corpus`);
    console.log('rule                              lang        recall            false alarms (no-flag)   findings: true false debatable untriaged');
    const total = tally();
    const totalByLanguage = { python: tally(), javascript: tally() };
    for (const k of keys) {
      const [, rule, language] = k.split('\t');
      const t = byKey.get(k)!;
      for (const sum of [total, totalByLanguage[language as 'python' | 'javascript']]) for (const field of Object.keys(t) as (keyof Tally)[]) sum[field] += t[field];
      console.log(
        `${rule.padEnd(33)} ${language.padEnd(10)} ${`${t.found}/${t.flags}`.padStart(8)} ${pct(t.found, t.flags)}   ${`${t.falseAlarms}/${t.noFlags}`.padStart(8)} ${pct(t.falseAlarms, t.noFlags)}   ${String(t.findings).padStart(5)} ${String(t.true).padStart(5)} ${String(t.false).padStart(5)} ${String(t.debatable).padStart(5)} ${String(t.untriaged).padStart(5)}`,
      );
    }
    for (const [name, t] of [['all rules, python', totalByLanguage.python], ['all rules, javascript', totalByLanguage.javascript], ['all rules', total]] as const) {
      console.log(
        `${name.padEnd(44)} ${`${t.found}/${t.flags}`.padStart(8)} ${pct(t.found, t.flags)}   ${`${t.falseAlarms}/${t.noFlags}`.padStart(8)} ${pct(t.falseAlarms, t.noFlags)}   ${String(t.findings).padStart(5)} ${String(t.true).padStart(5)} ${String(t.false).padStart(5)} ${String(t.debatable).padStart(5)} ${String(t.untriaged).padStart(5)}`,
      );
    }
  }
  console.log(`\n${repositories.size} repositories linted, ${linesLinted.toLocaleString('en')} lines in ${(lintMs / 1000).toFixed(1)} s of CLI time.`);
  if (missing.length > 0) console.log(`\nNot scored (${missing.length}): clone missing from ${MIRRORS} or unusable:\n  ${missing.join('\n  ')}`);
  const verbose = process.argv.includes('--list') || process.env.DBHEALTH_CORPUS_LIST === '1';
  const untriaged = scored.filter((s) => s.verdict === 'untriaged');
  const falseFindings = scored.filter((s) => s.verdict === 'false');
  if (verbose) {
    console.log(`\nMissed defects (${misses.length}):`);
    for (const m of misses) console.log(`  ${m.repository} ${m.label.path}:${m.label.line} ${m.label.rule} — ${m.label.why}`);
    console.log(`\nFalse alarms (${falseFindings.length}):`);
    for (const f of falseFindings) console.log(`  ${f.repository} ${f.path}:${f.line} ${f.rule} [${f.severity}] ${f.message}`);
  }
  console.log(`\nUntriaged findings (${untriaged.length})${untriaged.length > 0 && !verbose ? ' — `npm run bench -- corpus --list` lists them with the misses and false alarms' : ''}:`);
  if (verbose) for (const u of untriaged) console.log(`  ${u.repository} ${u.path}:${u.line} ${u.rule} [${u.severity}] ${u.message}`);
  writeFileSync(
    path.join(ROOT, 'bench', 'results', 'corpus.json'),
    JSON.stringify({ when: new Date().toISOString(), tallies: Object.fromEntries(byKey), missing, misses, falseAlarms, findings: scored }, null, 2),
  );
}

main();
