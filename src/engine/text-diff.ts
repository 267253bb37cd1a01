/**
 * The smallest single replacement that turns `before` into `after`: the common prefix and suffix
 * stay untouched. Fix-all uses it so an edit keeps the cursor, folding and undo history of unchanged
 * code; the front ends use it to find what one keystroke changed and re-analyse only that.
 */
export interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function minimalReplacement(before: string, after: string): Replacement | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never split a surrogate pair: step back to the pair's first half.
  if (prefix > 0 && isLowSurrogate(before.charCodeAt(prefix)) ) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
