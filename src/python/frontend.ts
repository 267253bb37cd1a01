import { RULE_NAMES } from '../engine/catalogue';
import { effectiveSeverity } from '../engine/config';
import { removeSuppressed, type CommentToken } from '../engine/suppressions';
import { DocumentMemory, REMEMBERED_DOCUMENTS } from '../engine/document-memory';
import { minimalReplacement } from '../engine/text-diff';
import type { Finding, LanguageFrontEnd, LintConfig, LintOptions, LintOutcome } from '../engine/types';
import type { Point, Tree } from 'web-tree-sitter';
import { LIBRARY_MODULES } from './libraries';
import { PythonFile } from './model';
import { loadPythonParser, TreeEdit } from './parser';
import { PYTHON_RULES } from './rules';
import { SourceText } from './source';
import { copyTree, type PyNode } from './tree';

/** A file that takes longer than this to parse is reported, not analysed: the editor must stay responsive. */
export const PARSE_TIME_LIMIT_MS = 3000;

export interface PythonLintOptions {
  readonly parseTimeLimitMs?: number;
}

/** A document's last text and its tree, from which tree-sitter re-parses only what an edit touched. */
export interface KeptTree {
  readonly text: string;
  readonly tree: Tree;
}

export async function createPythonFrontEnd(options: PythonLintOptions = {}): Promise<LanguageFrontEnd> {
  const parser = await loadPythonParser();
  const limit = options.parseTimeLimitMs ?? PARSE_TIME_LIMIT_MS;
  const memory = new DocumentMemory<KeptTree>(REMEMBERED_DOCUMENTS, (kept) => kept.tree.delete());
  return {
    language: 'python',
    extensions: ['.py', '.pyi'],
    async lint(text: string, _filePath: string, config: LintConfig, lintOptions: LintOptions = {}): Promise<LintOutcome> {
      const key = lintOptions.documentKey;
      if (key === undefined) return lintPython(parser, text, config, limit);
      return lintPython(parser, text, config, limit, { previous: memory.take(key), keep: (kept) => memory.keep(key, kept) });
    },
    forget: (documentKey) => memory.forget(documentKey),
  };
}

type ParserInstance = Awaited<ReturnType<typeof loadPythonParser>>;

/** How a lint reuses the document's previous tree and hands its own on; both are owned (and freed) here. */
export interface TreeReuse {
  readonly previous?: KeptTree;
  readonly keep: (kept: KeptTree) => void;
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

/**
 * Parses `text`, starting from the previous tree when there is one: the previous tree is told what
 * changed (one replacement, from the common prefix and suffix) and tree-sitter re-parses only the
 * part of the file the edit can affect. The result is the tree a fresh parse gives.
 */
function parseReusing(parser: ParserInstance, text: string, previous: KeptTree | undefined, deadline: number): Tree | null {
  const progressCallback = () => performance.now() > deadline;
  if (!previous) return parser.parse(text, null, { progressCallback });
  try {
    const change = minimalReplacement(previous.text, text);
    if (change) {
      const newEnd = change.start + change.text.length;
      previous.tree.edit(new TreeEdit({
        startIndex: change.start,
        oldEndIndex: change.end,
        newEndIndex: newEnd,
        startPosition: pointAt(previous.text, change.start),
        oldEndPosition: pointAt(previous.text, change.end),
        newEndPosition: pointAt(text, newEnd),
      }));
    }
    return parser.parse(text, previous.tree, { progressCallback });
  } finally {
    previous.tree.delete();
  }
}

function looksBinary(text: string): boolean {
  return text.includes('\u0000');
}

export function lintPython(parser: ParserInstance, text: string, config: LintConfig, parseTimeLimitMs = PARSE_TIME_LIMIT_MS, reuse?: TreeReuse): LintOutcome {
  if (looksBinary(text)) {
    reuse?.previous?.tree.delete();
    return { kind: 'failed', reason: 'the file contains NUL bytes: it looks binary, not Python source' };
  }
  const tree = parseReusing(parser, text, reuse?.previous, performance.now() + parseTimeLimitMs);
  if (!tree) return { kind: 'failed', reason: `parsing took longer than ${parseTimeLimitMs} ms, so the file was skipped` };
  let kept = false;
  try {
    if (reuse) {
      reuse.keep({ text, tree });
      kept = true;
    }
    // Files that import no database library cannot hold a finding: skip the rules. An import of a
    // library names it literally, so a file whose text never mentions one is skipped before the copy.
    if (!mentionsDatabaseLibrary(text)) return { kind: 'linted', findings: [] };
    const importsAndComments: PyNode[] = [];
    const root = copyTree(tree, IMPORT_AND_COMMENT_TYPES, importsAndComments);
    const imports = importsAndComments.filter((node) => node.type !== 'comment');
    if (!imports.some((node) => importsDatabaseLibrary(text.slice(node.start, node.end)))) return { kind: 'linted', findings: [] };
    const source = new SourceText(text);
    const file = new PythonFile(source, root);
    const findings: Finding[] = [];
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
        });
      });
    }
    findings.sort((a, b) => a.start.line - b.start.line || a.start.column - b.start.column || RULE_NAMES.indexOf(a.rule) - RULE_NAMES.indexOf(b.rule));
    if (findings.length === 0) return { kind: 'linted', findings };
    const comments = importsAndComments.filter((node) => node.type === 'comment');
    return { kind: 'linted', findings: removeSuppressed(findings, commentTokens(file, comments), 'python') };
  } finally {
    if (!kept) tree.delete();
  }
}

const IMPORT_AND_COMMENT_TYPES: ReadonlySet<string> = new Set(['import_statement', 'import_from_statement', 'comment']);

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
