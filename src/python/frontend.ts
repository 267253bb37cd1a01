import { RULE_NAMES } from '../engine/catalogue';
import { TIME_GUARD_MS, TIME_GUARD_REASON } from '../engine/limits';
import { SCRIPT_RULES } from '../engine/file-kinds';
import { effectiveSeverity } from '../engine/config';
import { removeSuppressed, type CommentToken } from '../engine/suppressions';
import { DocumentMemory, REMEMBERED_DOCUMENTS } from '../engine/document-memory';
import { tryShortcut } from '../engine/reanalysis';
import { minimalReplacement, type Replacement } from '../engine/text-diff';
import { completeReducedLint, findingsOf, planReducedLint, recordOf, type PyFileRecord } from './incremental';
import type { Finding, LanguageFrontEnd, LintConfig, LintOptions, LintOutcome } from '../engine/types';
import { PYTHON_CHECKOUT_VOCABULARY } from '../engine/libraries/evidence';
import type { ModuleSummarizer, ProjectIndex, ProjectView } from '../engine/project';
import { EMPTY_MODULE_FACTS, type ModuleFacts } from '../engine/project/facts';
import { moduleFactsOf } from './facts';
import type { Point, Tree } from 'web-tree-sitter';
import { LIBRARY_MODULES } from './libraries';
import { PythonFile } from './model';
import { loadPythonParser, TreeEdit } from './parser';
import { PYTHON_RULES } from './rules';
import { SourceText } from './source';
import { copyTree, type PyNode } from './tree';

export interface PythonLintOptions {
  /** The time guard on parsing (TIME_GUARD_MS unless a test sets it). */
  readonly timeGuardMs?: number;
}

/**
 * What is kept of an open document between lints: its text, a tree for tree-sitter to re-parse
 * from (edited up to this text, possibly not yet re-parsed), and, when the rules ran on a clean
 * parse, the per-statement record the reduced-copy path needs (src/python/incremental.ts).
 */
export interface KeptDocument {
  readonly text: string;
  readonly tree: Tree;
  readonly configKey: string;
  readonly record?: PyFileRecord;
}

export interface PythonFrontEnd extends LanguageFrontEnd {
  /** How the lints with a document key were answered: from a reduced copy, or by analysing the whole file. */
  readonly reuse: { readonly reduced: number; readonly whole: number };
}

export async function createPythonFrontEnd(options: PythonLintOptions = {}): Promise<PythonFrontEnd> {
  const parser = await loadPythonParser();
  const limit = options.timeGuardMs ?? TIME_GUARD_MS;
  const memory = new DocumentMemory<KeptDocument>(REMEMBERED_DOCUMENTS, (kept) => kept.tree.delete());
  const reuse = { reduced: 0, whole: 0 };
  return {
    language: 'python',
    extensions: ['.py', '.pyi'],
    async lint(text: string, filePath: string, config: LintConfig, lintOptions: LintOptions = {}): Promise<LintOutcome> {
      const key = lintOptions.documentKey;
      const view = lintOptions.project ? projectViewFor(parser, lintOptions.project, filePath) : undefined;
      if (key === undefined) return lintPython(parser, text, config, limit, view);
      const configKey = JSON.stringify(config.rules ?? {});
      const previous = memory.take(key);
      if (previous?.record && previous.configKey === configKey) {
        const relinted = tryShortcut(() => relintEdit(parser, previous.record!, text, config, limit, view));
        if (relinted) {
          reuse.reduced++;
          // The kept tree learns of the edit without a re-parse: the next whole-file lint re-parses from it.
          previous.tree.edit(treeEditOf(previous.text, text, relinted.change));
          const record = relinted.record;
          memory.keep(key, { text, tree: previous.tree, configKey, record });
          return { kind: 'linted', findings: findingsOf(record) };
        }
      }
      reuse.whole++;
      const linted = lintDocument(parser, text, config, limit, previous, true, view);
      if (linted.tree) memory.keep(key, { text, tree: linted.tree, configKey, record: linted.record });
      return linted.outcome;
    },
    forget: (documentKey) => memory.forget(documentKey),
    reuse,
  };
}

type ParserInstance = Awaited<ReturnType<typeof loadPythonParser>>;

/** Registers the Python summariser with the index (once) and returns the index as `filePath` sees it. */
function projectViewFor(parser: ParserInstance, project: ProjectIndex, filePath: string): ProjectView {
  if (!project.hasLanguage('python')) project.register(pythonSummarizer(parser));
  return project.view(filePath, 'python');
}

export function pythonSummarizer(parser: ParserInstance): ModuleSummarizer {
  return {
    language: 'python',
    extensions: ['.py', '.pyi'],
    mayHoldFacts: mentionsDatabaseLibrary,
    summarize(text, _filePath, view) {
      return summarizePython(parser, text, view);
    },
  };
}

/** A module's facts for the index: parsed and modelled like a lint, without running the rules. */
function summarizePython(parser: ParserInstance, text: string, view: ProjectView): ModuleFacts {
  if (looksBinary(text)) return EMPTY_MODULE_FACTS;
  const tree = parser.parse(text, null, { progressCallback: deadlineCallback(TIME_GUARD_MS) });
  if (!tree) return EMPTY_MODULE_FACTS;
  try {
    const root = copyTree(tree);
    return moduleFactsOf(new PythonFile(new SourceText(text), root, view));
  } finally {
    tree.delete();
  }
}

function deadlineCallback(limitMs: number): () => boolean {
  const deadline = performance.now() + limitMs;
  return () => performance.now() > deadline;
}

/** Row and column (UTF-16 code units, like the offsets) of `offset`, as tree-sitter counts them. */
function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let next = text.indexOf('\n'); next !== -1 && next < offset; next = text.indexOf('\n', next + 1)) {
    row++;
    lineStart = next + 1;
  }
  return { row, column: offset - lineStart };
}

function treeEditOf(before: string, after: string, change: Replacement): InstanceType<typeof TreeEdit> {
  const newEnd = change.start + change.text.length;
  return new TreeEdit({
    startIndex: change.start,
    oldEndIndex: change.end,
    newEndIndex: newEnd,
    startPosition: pointAt(before, change.start),
    oldEndPosition: pointAt(before, change.end),
    newEndPosition: pointAt(after, newEnd),
  });
}

/**
 * Parses `text`, starting from the previous tree when there is one: the previous tree is told what
 * changed (one replacement, from the common prefix and suffix) and tree-sitter re-parses only the
 * part of the file the edit can affect. The result is the tree a fresh parse gives. The previous
 * tree is freed.
 */
function parseReusing(parser: ParserInstance, text: string, previous: KeptDocument | undefined, deadline: number): Tree | null {
  const progressCallback = () => performance.now() > deadline;
  if (!previous) return parser.parse(text, null, { progressCallback });
  try {
    const change = minimalReplacement(previous.text, text);
    if (change) previous.tree.edit(treeEditOf(previous.text, text, change));
    return parser.parse(text, previous.tree, { progressCallback });
  } finally {
    previous.tree.delete();
  }
}

function looksBinary(text: string): boolean {
  return text.includes('\u0000');
}

/** Lints a whole file (from a fresh parse). */
export function lintPython(parser: ParserInstance, text: string, config: LintConfig, timeGuardMs = TIME_GUARD_MS, view?: ProjectView): LintOutcome {
  const linted = lintDocument(parser, text, config, timeGuardMs, undefined, false, view);
  linted.tree?.delete();
  return linted.outcome;
}

/**
 * Lints a whole file, re-parsing from the previous tree when given (which is consumed). Returns
 * the new tree for the caller to keep (or free), and the statement record when the rules ran.
 */
function lintDocument(
  parser: ParserInstance,
  text: string,
  config: LintConfig,
  timeGuardMs: number,
  previous: KeptDocument | undefined,
  wantRecord = true,
  view?: ProjectView,
): { outcome: LintOutcome; tree?: Tree; record?: PyFileRecord } {
  if (looksBinary(text)) {
    previous?.tree.delete();
    return { outcome: { kind: 'failed', cause: 'binary', reason: 'the file contains NUL bytes: it looks binary, not Python source' } };
  }
  const tree = parseReusing(parser, text, previous, performance.now() + timeGuardMs);
  if (!tree) return { outcome: { kind: 'failed', cause: 'time-guard', reason: timeGuardMs === TIME_GUARD_MS ? TIME_GUARD_REASON : `analysis stopped by the time guard: parsing ran longer than ${timeGuardMs} ms` } };
  try {
    const analysis = analyseTree(tree, text, config, view);
    const record = wantRecord && analysis.file
      ? recordOf(text, analysis.file, analysis.imports, analysis.comments, analysis.findings, !tree.rootNode.hasError)
      : undefined;
    return { outcome: analysis.outcome, tree, record };
  } catch (error) {
    tree.delete();
    throw error;
  }
}

/** The edited statement alone, when that provably gives what the whole file gives; otherwise undefined. */
function relintEdit(parser: ParserInstance, previous: PyFileRecord, text: string, config: LintConfig, timeGuardMs: number, view?: ProjectView): { record: PyFileRecord; change: Replacement } | undefined {
  if (looksBinary(text)) return undefined;
  const plan = planReducedLint(previous, text);
  if (!plan) return undefined;
  const deadline = performance.now() + timeGuardMs;
  const tree = parser.parse(plan.text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) return undefined;
  try {
    if (tree.rootNode.hasError) return undefined;
    const analysis = analyseTree(tree, plan.text, config, view);
    if (!analysis.file) return undefined;
    const record = completeReducedLint(previous, plan, text, analysis.file, analysis.imports, analysis.comments, analysis.findings);
    return record && { record, change: plan.edit.change };
  } finally {
    tree.delete();
  }
}

interface TreeAnalysis {
  readonly outcome: LintOutcome;
  /** Undefined when the file imports no database library, so no rule ran. */
  readonly file?: PythonFile;
  readonly imports: readonly PyNode[];
  readonly comments: readonly PyNode[];
  readonly findings: readonly Finding[];
}

function analyseTree(tree: Tree, text: string, config: LintConfig, view?: ProjectView): TreeAnalysis {
  const none = { outcome: { kind: 'linted', findings: [] } as LintOutcome, imports: [], comments: [], findings: [] };
  // A finding needs a database object: made by a library the file imports (named literally), handed
  // over by a project module (an import, when there is an index), or given away by a pool's
  // vocabulary. A file with none of these is skipped before the copy.
  const mentionsLibrary = mentionsDatabaseLibrary(text);
  if (!mentionsLibrary && !mentionsCheckoutVocabulary(text) && !(view && mentionsImport(text))) return none;
  const importsAndComments: PyNode[] = [];
  const root = copyTree(tree, IMPORT_AND_COMMENT_TYPES, importsAndComments);
  const imports = importsAndComments.filter((node) => node.type !== 'comment');
  const source = new SourceText(text);
  const file = new PythonFile(source, root, view);
  if (!imports.some((node) => importsDatabaseLibrary(text.slice(node.start, node.end))) && !mentionsCheckoutVocabulary(text) && !importsProjectFacts(file)) return none;
  let findings: Finding[] = [];
  for (const rule of PYTHON_RULES) {
    const severity = effectiveSeverity(rule.name, config);
    if (severity === 'off') continue;
    rule.check(file, (report) => {
      findings.push({
        rule: rule.name,
        message: report.message,
        severity,
        start: source.positionAt(report.at.start),
        end: source.positionAt(report.at.end),
        ...(report.fix ? { fix: report.fix } : {}),
        ...(report.suggestions && report.suggestions.length > 0 ? { suggestions: report.suggestions } : {}),
        ...(report.related && report.related.length > 0
          ? { related: report.related.map((r) => ({ message: r.message, start: source.positionAt(r.at.start), end: source.positionAt(r.at.end) })) }
          : {}),
      });
    });
  }
  // A command-line script (`if __name__ == "__main__":` with argparse/click/typer) is a one-shot run:
  // the script subset of rules applies, as for files under scripts/ (src/engine/file-kinds.ts).
  if (!config.includeTests && isCommandLineScript(file)) findings = findings.filter((finding) => SCRIPT_RULES.has(finding.rule));
  // Code under `if __name__ == "__main__":` runs once when the module is run as a script: the same subset.
  const mainBlock = config.includeTests ? undefined : mainGuard(file);
  if (mainBlock) {
    const [from, to] = [source.positionAt(mainBlock.start).line, source.positionAt(mainBlock.end).line];
    findings = findings.filter((finding) => SCRIPT_RULES.has(finding.rule) || finding.start.line < from || finding.start.line > to);
  }
  findings.sort((a, b) => a.start.line - b.start.line || a.start.column - b.start.column || RULE_NAMES.indexOf(a.rule) - RULE_NAMES.indexOf(b.rule));
  const comments = importsAndComments.filter((node) => node.type === 'comment');
  if (findings.length > 0) findings = removeSuppressed(findings, commentTokens(file, comments), 'python');
  return { outcome: { kind: 'linted', findings }, file, imports, comments, findings };
}

const IMPORT_AND_COMMENT_TYPES: ReadonlySet<string> = new Set(['import_statement', 'import_from_statement', 'comment']);

const CLI_LIBRARIES: ReadonlySet<string> = new Set(['argparse', 'click', 'typer', 'fire', 'docopt']);

function isCommandLineScript(file: PythonFile): boolean {
  const usesCli = [...file.imports.values()].some((qualified) => CLI_LIBRARIES.has(qualified.split('.')[0]));
  return usesCli && mainGuard(file) !== undefined;
}

/** The module-level `if __name__ == "__main__":` statement, if any. */
function mainGuard(file: PythonFile): PyNode | undefined {
  return file.root.children.find((statement) => {
    if (statement.type !== 'if_statement') return false;
    const condition = statement.children.find((c) => c.field === 'condition');
    return condition !== undefined && /^__name__\s*==\s*['"]__main__['"]$/.test(file.text(condition).trim());
  });
}

const CHECKOUT_WORDS = PYTHON_CHECKOUT_VOCABULARY.map((word) => `.${word.acquire}(`);

/** The text calls a pool's acquire method by name (`.getconn(`, `.acquire(`): evidence of use may apply. */
function mentionsCheckoutVocabulary(text: string): boolean {
  for (const word of CHECKOUT_WORDS) if (text.includes(word)) return true;
  return false;
}

function mentionsImport(text: string): boolean {
  return text.includes('import');
}

/** Some project module the file imports offers a fact (a pool, a helper that connects…). */
function importsProjectFacts(file: PythonFile): boolean {
  if (!file.project) return false;
  for (const origin of file.projectImports.values()) {
    const module = file.project.module(origin.specifier);
    if (!module) continue;
    const facts = module.facts;
    if (origin.name === undefined || origin.name === '*') {
      if (hasFacts(facts)) return true;
      continue;
    }
    if (file.project.imported(origin.specifier, origin.name)) return true;
  }
  return false;
}

function hasFacts(facts: ModuleFacts): boolean {
  return Object.keys(facts.names).length + Object.keys(facts.functions).length + Object.keys(facts.classes).length + Object.keys(facts.reexports).length + Object.keys(facts.libraries).length > 0;
}

function mentionsDatabaseLibrary(text: string): boolean {
  for (const name of LIBRARY_MODULES) if (text.includes(name)) return true;
  return false;
}

function importsDatabaseLibrary(importText: string): boolean {
  // `import a.b, c as d` / `from a.b import c`: the first word after `import`/`from` of each clause.
  for (const word of importText.split(/[\s,]+/)) {
    const top = word.split('.')[0];
    if (LIBRARY_MODULES.has(top)) return true;
  }
  return false;
}

/** Suppression comments; `comments` are the file's comment nodes in source order, collected during the copy. */
function commentTokens(file: PythonFile, comments: readonly PyNode[]): CommentToken[] {
  const tokens: CommentToken[] = [];
  for (const node of comments) {
    const lineStart = file.source.lineStartOf(node.start);
    const before = file.source.text.slice(lineStart, node.start);
    tokens.push({ text: file.text(node).replace(/^#/, ''), line: file.source.positionAt(node.start).line, standalone: before.trim() === '' });
  }
  return tokens;
}
