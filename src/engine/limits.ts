/**
 * What dbhealth will analyse, as properties of the input: a file is analysed or not the same way on
 * any machine, however loaded. Analysis cost is linear in the file's size (`npm run bench -- scale`
 * checks it), so the limits are about memory and the parsers' recursion, not time.
 * Decision record: docs/decisions/linear-analysis.md.
 */

/**
 * Largest file analysed, in bytes of UTF-8. A 10 MB JS/TS file needs about 3 GB of heap while it is
 * analysed (the parser's tree, ESTree, tokens and scopes); Node's default heap is about 4 GB.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Deepest JS/TS syntax tree analysed (statements, expressions and their operands, counted node by
 * node). The parser and the rules recurse once per level; the threads that analyse (the CLI's and
 * the editor's, see ANALYSIS_STACK_MB) have stack for more than ten times this. Hand-written code
 * stays below 100; Python's own parser refuses nesting past a few hundred brackets.
 */
export const MAX_NESTING_DEPTH = 1000;

/**
 * Stack of the threads that analyse. With it, any file within MAX_NESTING_DEPTH parses and is
 * analysed whatever the JIT has compiled (a frame's size varies with it), so the depth limit, not
 * the stack, decides.
 */
export const ANALYSIS_STACK_MB = 64;

/**
 * Last resort against pathological input that is within the limits above: Python's parse is
 * stopped after this long. Linear parsing of a 10 MB file takes a few seconds, so only input that
 * makes the parser misbehave reaches it; when it fires, the file is reported as stopped by the time
 * guard, counted apart from the files the limits exclude.
 */
export const TIME_GUARD_MS = 60_000;

/** Why a file was not analysed. */
export type NotAnalysedCause =
  /** Larger than MAX_FILE_BYTES. */
  | 'too-large'
  /** Nested deeper than MAX_NESTING_DEPTH. */
  | 'too-deep'
  /** Holds NUL bytes: not source text. */
  | 'binary'
  /** Has syntax errors the parser cannot recover from (JS/TS; Python recovers). */
  | 'syntax'
  /** Could not be read (missing, permissions, a symbolic-link loop). */
  | 'unreadable'
  /** Stopped by TIME_GUARD_MS. */
  | 'time-guard'
  /** A defect of dbhealth. */
  | 'internal';

const MB = 1024 * 1024;

export function tooLargeReason(bytes: number): string {
  return `the file is ${(bytes / MB).toFixed(1)} MB, larger than the ${MAX_FILE_BYTES / MB} MB dbhealth analyses`;
}

export function tooDeepReason(line?: number): string {
  return `the code is nested more than ${MAX_NESTING_DEPTH} levels deep${line ? ` (at line ${line})` : ''}, deeper than dbhealth analyses`;
}

export const TIME_GUARD_REASON = `analysis stopped by the time guard: parsing ran longer than ${TIME_GUARD_MS / 1000} s, which a file within the size limits should never need`;

/** Whether an error is the JavaScript engine running out of stack. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
