import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isRuleName, isSeverity, type RuleName, type Severity } from '../engine/catalogue';
import { isSupportedFile, lintText, ProjectIndex } from '../engine';
import type { LintConfig } from '../engine/types';
import { choiceOption, parseArgs, singleOption, UsageError } from './args';
import { collectFiles } from './files';
import { toSarif, type FileReport } from './sarif';
import type { CliIO } from './main';
import { describeReadError } from './files';
import { firstInvalidUtf8Byte } from './encoding';
import { EXIT_CLEAN, EXIT_FOUND, EXIT_NOT_ANALYSED } from './exit-codes';
import { MAX_FILE_BYTES, tooLargeReason } from '../engine/limits';

declare const DBHEALTH_VERSION: string;

const FORMATS = ['text', 'json', 'sarif'] as const;

function parseRuleOverrides(values: readonly string[]): Partial<Record<RuleName, Severity>> {
  const rules: Partial<Record<RuleName, Severity>> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const name = eq === -1 ? value : value.slice(0, eq);
    const severity = eq === -1 ? '' : value.slice(eq + 1);
    const rule = name.startsWith('dbhealth/') ? name.slice('dbhealth/'.length) : name;
    if (!isRuleName(rule)) throw new UsageError(`--rule: unknown rule "${name}"`);
    if (!isSeverity(severity)) throw new UsageError(`--rule ${name}: severity must be off, info, warning or error`);
    rules[rule] = severity;
  }
  return rules;
}

export async function lintFile(file: string, config: LintConfig, project?: ProjectIndex): Promise<FileReport> {
  let bytes: Buffer;
  try {
    // The size limit is checked before reading, so a huge file costs nothing.
    const stat = await fs.stat(file);
    if (stat.size > MAX_FILE_BYTES) return { file, findings: [], cause: 'too-large', failure: tooLargeReason(stat.size) };
    bytes = await fs.readFile(file);
  } catch (error) {
    return { file, findings: [], cause: 'unreadable', failure: describeReadError(error).reason };
  }
  const warnings: string[] = [];
  const invalidAt = firstInvalidUtf8Byte(bytes);
  if (invalidAt !== undefined) warnings.push(`invalid UTF-8 at byte ${invalidAt}: analysed with the invalid bytes replaced by U+FFFD`);
  const text = bytes.toString('utf8');
  const outcome = await lintText(text, file, config, { project });
  switch (outcome.kind) {
    case 'linted': {
      const findingLines = outcome.findings.length > 0 ? linesAt(text, outcome.findings.map((finding) => finding.start.line)) : undefined;
      return { file, findings: outcome.findings, ...(findingLines ? { findingLines } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
    }
    case 'unsupported':
      return { file, findings: [], cause: 'unsupported', failure: 'not a Python, JavaScript or TypeScript file' };
    case 'failed':
      return { file, findings: [], cause: outcome.cause, failure: outcome.reason };
  }
}

/** The text of each 1-based line asked for (one pass over the text, whatever the order asked). */
function linesAt(text: string, lineNumbers: readonly number[]): string[] {
  const wanted = new Set(lineNumbers);
  const found = new Map<number, string>();
  let start = 0;
  for (let line = 1; start <= text.length && found.size < wanted.size; line++) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (wanted.has(line)) found.set(line, text.slice(start, stop).replace(/\r$/, ''));
    if (end === -1) break;
    start = end + 1;
  }
  return lineNumbers.map((line) => found.get(line) ?? '');
}

function formatText(reports: readonly FileReport[], cwd: string): string {
  const lines: string[] = [];
  let count = 0;
  for (const report of reports) {
    const shown = path.relative(cwd, report.file) || report.file;
    if (report.failure) lines.push(`${shown}: not analysed: ${report.failure}`);
    for (const warning of report.warnings ?? []) lines.push(`${shown}: warning: ${warning}`);
    for (const finding of report.findings) {
      count++;
      lines.push(`${shown}:${finding.start.line}:${finding.start.column}: ${finding.severity} ${finding.message} [dbhealth/${finding.rule}]`);
    }
  }
  lines.push(`${plural(count, 'problem')} in ${plural(reports.length, 'file')}${notAnalysedSummary(reports)}`);
  return lines.join('\n') + '\n';
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** ` (3 not analysed, 1 of them stopped by the time guard)`, or '' when every file was analysed. */
function notAnalysedSummary(reports: readonly FileReport[]): string {
  const failed = reports.filter((report) => report.failure !== undefined);
  if (failed.length === 0) return '';
  const guarded = failed.filter((report) => report.cause === 'time-guard').length;
  return ` (${failed.length} not analysed${guarded > 0 ? `, ${guarded} of them stopped by the time guard` : ''})`;
}

/** The folders whose modules make up the project: the working directory and every folder named. */
function projectRoots(cwd: string, inputs: readonly string[]): string[] {
  const roots = [cwd];
  for (const input of inputs) {
    const full = path.resolve(cwd, input);
    roots.push(path.extname(full) === '' ? full : path.dirname(full));
  }
  return roots;
}

export async function runLintCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, ['format', 'rule', 'automation-id'], ['include-tests']);
  const format = choiceOption(args, 'format', FORMATS, 'text');
  const automationId = singleOption(args, 'automation-id');
  if (automationId !== undefined && format !== 'sarif') throw new UsageError('--automation-id is for --format sarif');
  const config: LintConfig = { rules: parseRuleOverrides(args.options.get('rule') ?? []), includeTests: args.flags.has('include-tests') };
  const { files, unreadable } = await collectFiles(args.positionals, io.cwd, isSupportedFile);

  // One index for the run: what each module of the project offers its importers, read once.
  const project = new ProjectIndex({ roots: projectRoots(io.cwd, args.positionals) });
  // A path that could not be read is reported like a file that could not be analysed, in every format.
  const reports: FileReport[] = unreadable.map((entry) => ({
    file: entry.path,
    findings: [],
    cause: 'unreadable',
    failure: describeReadError({ code: entry.code }).reason,
  }));
  for (const file of files) reports.push(await lintFile(file, config, project));

  if (format === 'sarif') io.stdout(JSON.stringify(toSarif(reports, io.cwd, DBHEALTH_VERSION, { automationId }), null, 2) + '\n');
  else if (format === 'json') {
    const json = reports.map((r) => ({
      file: path.relative(io.cwd, r.file) || r.file,
      findings: r.findings,
      ...(r.failure !== undefined ? { failure: r.failure, cause: r.cause } : {}),
      ...(r.warnings ? { warnings: r.warnings } : {}),
    }));
    const notAnalysed = reports.filter((r) => r.failure !== undefined).length;
    io.stdout(JSON.stringify({ files: json, notAnalysed }, null, 2) + '\n');
  } else io.stdout(formatText(reports, io.cwd));

  if (format !== 'text') {
    // Machine formats keep stdout for the document; people and CI logs still see what was skipped.
    for (const report of reports) {
      if (report.failure) io.stderr(`${report.file}: not analysed: ${report.failure}\n`);
      for (const warning of report.warnings ?? []) io.stderr(`${report.file}: warning: ${warning}\n`);
    }
  }
  if (reports.some((r) => r.failure !== undefined)) return EXIT_NOT_ANALYSED;
  return reports.some((r) => r.findings.length > 0) ? EXIT_FOUND : EXIT_CLEAN;
}
