/**
 * Pieces both front ends use to re-analyse one edited statement (src/javascript/incremental.ts,
 * src/python/incremental.ts): finding the statement at an offset, blanking text without moving
 * anything, counting the line breaks an edit added, and moving kept findings past it.
 */
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
