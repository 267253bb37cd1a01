import { RULE_NAMES } from '../engine/catalogue';
import { effectiveSeverity } from '../engine/config';
import { removeSuppressed, type CommentToken } from '../engine/suppressions';
import type { Finding, LanguageFrontEnd, LintConfig, LintOutcome } from '../engine/types';
import { LIBRARY_MODULES } from './libraries';
import { PythonFile } from './model';
import { loadPythonParser } from './parser';
import { PYTHON_RULES } from './rules';
import { SourceText } from './source';
import { copyTree, type PyNode } from './tree';

/** A file that takes longer than this to parse is reported, not analysed: the editor must stay responsive. */
export const PARSE_TIME_LIMIT_MS = 3000;

export interface PythonLintOptions {
  readonly parseTimeLimitMs?: number;
}

export async function createPythonFrontEnd(options: PythonLintOptions = {}): Promise<LanguageFrontEnd> {
  const parser = await loadPythonParser();
  const limit = options.parseTimeLimitMs ?? PARSE_TIME_LIMIT_MS;
  return {
    language: 'python',
    extensions: ['.py', '.pyi'],
    async lint(text: string, _filePath: string, config: LintConfig): Promise<LintOutcome> {
      return lintPython(parser, text, config, limit);
    },
  };
}

type ParserInstance = Awaited<ReturnType<typeof loadPythonParser>>;

function looksBinary(text: string): boolean {
  return text.includes('\u0000');
}

export function lintPython(parser: ParserInstance, text: string, config: LintConfig, parseTimeLimitMs = PARSE_TIME_LIMIT_MS): LintOutcome {
  if (looksBinary(text)) return { kind: 'failed', reason: 'the file contains NUL bytes: it looks binary, not Python source' };
  const deadline = performance.now() + parseTimeLimitMs;
  const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) return { kind: 'failed', reason: `parsing took longer than ${parseTimeLimitMs} ms, so the file was skipped` };
  try {
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
    tree.delete();
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
