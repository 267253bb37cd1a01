import { isRuleName, type RuleName } from './catalogue';
import type { Finding } from './types';

/**
 * A comment as a parser reported it. `text` is the comment's content without its marker
 * (`#`, `//`, `/* *\/`), `line` is 1-based, and `standalone` says no code precedes it on that line.
 */
export interface CommentToken {
  readonly text: string;
  readonly line: number;
  readonly standalone: boolean;
}

/** `null` rules means every rule. */
interface Suppression {
  readonly line: number;
  readonly rules: ReadonlySet<RuleName> | null;
}

const PYTHON_DIRECTIVE = 'dbhealth: ignore';
const JS_NEXT_LINE_DIRECTIVE = 'dbhealth-ignore-next-line';
const JS_LINE_DIRECTIVE = 'dbhealth-ignore-line';

/** Splits "a, b c" into rule names, dropping unknown ones (a typo must not silence everything). */
function parseRuleList(list: string): Set<RuleName> {
  const names = new Set<RuleName>();
  for (const raw of list.split(/[\s,]+/)) {
    const name = raw.startsWith('dbhealth/') ? raw.slice('dbhealth/'.length) : raw;
    if (isRuleName(name)) names.add(name);
  }
  return names;
}

/**
 * Python: `# dbhealth: ignore` or `# dbhealth: ignore[rule, other]`, at the end of the flagged line,
 * or alone on the line above it.
 */
function parsePythonDirective(comment: CommentToken): Suppression | undefined {
  const text = comment.text.trim();
  if (!text.startsWith(PYTHON_DIRECTIVE)) return undefined;
  const rest = text.slice(PYTHON_DIRECTIVE.length).trim();
  const target = comment.standalone ? comment.line + 1 : comment.line;
  if (rest === '' || !rest.startsWith('[')) return { line: target, rules: null };
  const close = rest.indexOf(']');
  const rules = parseRuleList(rest.slice(1, close === -1 ? undefined : close));
  return { line: target, rules };
}

/**
 * JS/TS: `// dbhealth-ignore-next-line rule, other` above the line, or `// dbhealth-ignore-line rule`
 * at its end; with no rule listed, every rule.
 */
function parseJavaScriptDirective(comment: CommentToken): Suppression | undefined {
  const text = comment.text.trim();
  for (const [directive, offset] of [[JS_NEXT_LINE_DIRECTIVE, 1], [JS_LINE_DIRECTIVE, 0]] as const) {
    if (!text.startsWith(directive)) continue;
    const rest = text.slice(directive.length);
    if (rest !== '' && !/^\s/.test(rest)) continue; // "dbhealth-ignore-next-lines" is not ours
    const list = rest.split('--')[0].trim(); // "-- reason" after the rules, as ESLint allows
    return { line: comment.line + offset, rules: list === '' ? null : parseRuleList(list) };
  }
  return undefined;
}

export function removeSuppressed(
  findings: readonly Finding[],
  comments: readonly CommentToken[],
  language: 'python' | 'javascript',
): Finding[] {
  const parse = language === 'python' ? parsePythonDirective : parseJavaScriptDirective;
  const suppressions = comments.flatMap((c) => parse(c) ?? []);
  if (suppressions.length === 0) return [...findings];
  return findings.filter(
    (finding) =>
      !suppressions.some((s) => s.line === finding.start.line && (s.rules === null || s.rules.has(finding.rule))),
  );
}
