/**
 * Pieces both front ends use to re-analyse one edited statement (src/javascript/incremental.ts,
 * src/python/incremental.ts): finding the statement at an offset, blanking text without moving
 * anything, counting the line breaks an edit added, and moving kept findings past it.
 */
import { minimalReplacement, type Replacement } from './text-diff';
import type { Finding, Fix } from './types';

/** Index of the span holding `offset` in spans sorted by start, or -1 (between spans). */
export function spanAt(spans: readonly { readonly start: number; readonly end: number }[], offset: number): number {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (offset < spans[mid].start) high = mid - 1;
    else if (offset >= spans[mid].end) low = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Line breaks as a language's positions count them: `\n`, `\r\n` and a lone `\r` always; ESLint
 * also counts U+2028 and U+2029.
 */
export interface LineBreaks {
  readonly unicodeSeparators: boolean;
}

export function countLineBreaks(text: string, breaks: LineBreaks, from = 0, to = text.length): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) count++;
    else if (breaks.unicodeSeparators && (code === 0x2028 || code === 0x2029)) count++;
  }
  return count;
}

/** Spaces of the same length with every line break kept: offsets, lines and columns stay put. */
export function blank(text: string): string {
  // Keeping U+2028/U+2029 as well is harmless where they are not line breaks (Python).
  return text.replace(/[^\r\n\u2028\u2029]/g, ' ');
}

function shiftFix(fix: Fix, delta: number): Fix {
  return { ...fix, edits: fix.edits.map((edit) => ({ ...edit, start: edit.start + delta, end: edit.end + delta })) };
}

/** A kept finding of a statement after the edit: `delta` code units and `lineDelta` lines further on. */
export function shiftFinding(finding: Finding, delta: number, lineDelta: number, message = finding.message): Finding {
  if (delta === 0 && lineDelta === 0 && message === finding.message) return finding;
  return {
    ...finding,
    message,
    start: { line: finding.start.line + lineDelta, column: finding.start.column },
    end: { line: finding.end.line + lineDelta, column: finding.end.column },
    ...(finding.fix ? { fix: shiftFix(finding.fix, delta) } : {}),
    ...(finding.suggestions ? { suggestions: finding.suggestions.map((s) => shiftFix(s, delta)) } : {}),
    // Related places lie in the same statement as the finding (the rules point inside the function they judge).
    ...(finding.related
      ? { related: finding.related.map((r) => ({ ...r, start: { line: r.start.line + lineDelta, column: r.start.column }, end: { line: r.end.line + lineDelta, column: r.end.column } })) }
      : {}),
  };
}

/**
 * Runs the reduced-copy shortcut. It is only a shortcut: if it throws, the caller lints the whole
 * file, and that lint reports whatever is really wrong, so the user never sees the shortcut fail.
 */
export function tryShortcut<T>(attempt: () => T | undefined): T | undefined {
  try {
    return attempt();
  } catch {
    return undefined;
  }
}

type Range = readonly [number, number];

/** A top-level statement of the last analysed text, as both front ends record it. */
export interface StatementSpan {
  readonly start: number;
  readonly end: number;
  readonly startLine: number;
  readonly endLine: number;
}

/** An edit that lies inside one function body of one statement. */
export interface LocatedEdit {
  readonly change: Replacement;
  /** Index of the edited statement. */
  readonly edited: number;
  /** Change in length, and in line count, the edit made. */
  readonly delta: number;
  readonly lineDelta: number;
}

/**
 * Where an edit from `before` to `after` landed, when it lies inside one of `bodiesOf` the edited
 * statement and that statement shares no line with its neighbours (so nothing after it changes
 * column). Undefined for every other edit: the caller lints the whole file.
 */
export function locateBodyEdit<S extends StatementSpan>(
  before: string,
  after: string,
  statements: readonly S[],
  bodiesOf: (statement: S) => readonly Range[],
  breaks: LineBreaks,
): LocatedEdit | undefined {
  const change = minimalReplacement(before, after);
  if (!change) return undefined;
  const edited = spanAt(statements, change.start);
  if (edited === -1) return undefined;
  const target = statements[edited];
  if (!bodiesOf(target).some(([start, end]) => change.start >= start && change.end <= end)) return undefined;
  if (edited > 0 && statements[edited - 1].endLine >= target.startLine) return undefined;
  if (edited + 1 < statements.length && statements[edited + 1].startLine <= target.endLine) return undefined;
  const delta = change.text.length - (change.end - change.start);
  const lineDelta = countLineBreaks(change.text, breaks) - countLineBreaks(before, breaks, change.start, change.end);
  return { change, edited, delta, lineDelta };
}

/**
 * The reduced copy of the new text: for each statement other than the edited one, the ranges
 * `blanked` names (in the previous text's offsets) become spaces; everything else is the new text.
 */
export function reducedText<S extends StatementSpan>(text: string, statements: readonly S[], edit: LocatedEdit, blanked: (statement: S, index: number) => readonly Range[]): string {
  const editedEnd = statements[edit.edited].end;
  const shifted = (offset: number) => (offset >= editedEnd ? offset + edit.delta : offset);
  const pieces: string[] = [];
  let cursor = 0;
  statements.forEach((statement, index) => {
    if (index === edit.edited) return;
    for (const [start, end] of blanked(statement, index)) {
      pieces.push(text.slice(cursor, shifted(start)), blank(text.slice(shifted(start), shifted(end))));
      cursor = shifted(end);
    }
  });
  pieces.push(text.slice(cursor));
  return pieces.join('');
}

/**
 * Whether the reduced copy parsed into exactly the kept statements (`kept`: their indexes, in
 * order) at the offsets the edit moved them to: an unclosed string or bracket shows up here.
 */
export function keptStatementsInPlace(previous: readonly StatementSpan[], kept: readonly number[], edit: LocatedEdit, parsed: readonly { readonly start: number; readonly end: number }[]): boolean {
  if (parsed.length !== kept.length) return false;
  return kept.every((index, i) => {
    const before = previous[index];
    const start = index <= edit.edited ? before.start : before.start + edit.delta;
    const end = index < edit.edited ? before.end : before.end + edit.delta;
    return parsed[i].start === start && parsed[i].end === end;
  });
}

/** A statement after the edit, `delta` code units and `lineDelta` lines further on (findings not included). */
export function shiftSpan<S extends StatementSpan>(statement: S, delta: number, lineDelta: number): S {
  return { ...statement, start: statement.start + delta, end: statement.end + delta, startLine: statement.startLine + lineDelta, endLine: statement.endLine + lineDelta };
}
