import type { Fix, TextEdit } from './types';

/** Applies one fix's edits to `text`. Throws when edits overlap: such a fix is a bug in its rule. */
export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i].start < ordered[i - 1].end) {
      throw new Error(`overlapping edits at offsets ${ordered[i - 1].start}-${ordered[i - 1].end} and ${ordered[i].start}-${ordered[i].end}`);
    }
  }
  let result = '';
  let cursor = 0;
  for (const edit of ordered) {
    if (edit.start < cursor || edit.end > text.length || edit.start > edit.end) {
      throw new Error(`edit ${edit.start}-${edit.end} is outside the text (length ${text.length})`);
    }
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

/**
 * Applies every non-overlapping fix, re-lints and repeats until nothing more applies (at most
 * `maxPasses`), the way `--fix` and "fix all" must: a fix can reveal or remove another finding.
 */
export async function applyFixesUntilStable(
  text: string,
  lint: (text: string) => Promise<readonly { fix?: Fix }[]>,
  maxPasses = 10,
): Promise<{ text: string; passes: number }> {
  let current = text;
  for (let pass = 1; pass <= maxPasses; pass++) {
    const fixes = (await lint(current)).flatMap((f) => (f.fix ? [f.fix] : []));
    if (fixes.length === 0) return { text: current, passes: pass - 1 };
    const accepted: TextEdit[] = [];
    for (const fix of fixes) {
      const clashes = fix.edits.some((e) => accepted.some((a) => e.start < a.end && a.start < e.end));
      if (!clashes) accepted.push(...fix.edits);
    }
    current = applyEdits(current, accepted);
  }
  return { text: current, passes: maxPasses };
}
