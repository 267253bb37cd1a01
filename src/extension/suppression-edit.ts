/**
 * The edit behind "disable dbhealth/<rule> for this line": the suppression comment each language's
 * front end honours (see src/engine/suppressions.ts), placed where it cannot change the code.
 *
 * Python gets a trailing `# dbhealth: ignore[rule]`. When the line already holds a `#` (an
 * existing comment would swallow ours) or ends in a backslash continuation, the directive goes on
 * its own line above instead, which the engine honours too. JS/TS gets
 * `// dbhealth-ignore-next-line rule` above the line. An existing directive right above the line
 * gains the rule rather than a second directive, because only the nearest one applies.
 */
import type { RuleName } from '../engine/catalogue';

/** A replacement within one line: 0-based line, UTF-16 character offsets. */
export interface LineEdit {
  readonly line: number;
  readonly startCharacter: number;
  readonly endCharacter: number;
  readonly text: string;
}

export interface SuppressionTarget {
  readonly language: 'python' | 'javascript';
  readonly rule: RuleName;
  /** 0-based line of the finding's start. */
  readonly line: number;
  readonly lineText: (line: number) => string;
  readonly eol: string;
}

const PYTHON_DIRECTIVE = '# dbhealth: ignore[';
const JS_DIRECTIVE = '// dbhealth-ignore-next-line';

function leadingWhitespace(text: string): string {
  return text.slice(0, text.length - text.trimStart().length);
}

export function suppressionEdit(target: SuppressionTarget): LineEdit {
  return target.language === 'python' ? pythonEdit(target) : javascriptEdit(target);
}

function pythonEdit({ rule, line, lineText, eol }: SuppressionTarget): LineEdit {
  const text = lineText(line);
  const code = text.trimEnd();
  if (!code.includes('#') && !code.endsWith('\\')) {
    return { line, startCharacter: code.length, endCharacter: text.length, text: `  # dbhealth: ignore[${rule}]` };
  }
  const extended = line > 0 ? extendDirectiveAbove(lineText(line - 1), line - 1, PYTHON_DIRECTIVE, rule) : undefined;
  return extended ?? { line, startCharacter: 0, endCharacter: 0, text: `${leadingWhitespace(text)}# dbhealth: ignore[${rule}]${eol}` };
}

function javascriptEdit({ rule, line, lineText, eol }: SuppressionTarget): LineEdit {
  const extended = line > 0 ? extendDirectiveAbove(lineText(line - 1), line - 1, JS_DIRECTIVE, rule) : undefined;
  return extended ?? { line, startCharacter: 0, endCharacter: 0, text: `${leadingWhitespace(lineText(line))}${JS_DIRECTIVE} ${rule}${eol}` };
}

/** Adds `rule` to a directive that is the whole of `text`, or returns undefined when there is none. */
function extendDirectiveAbove(text: string, line: number, directive: string, rule: RuleName): LineEdit | undefined {
  const indent = leadingWhitespace(text).length;
  const comment = text.trimEnd().slice(indent);
  if (!comment.startsWith(directive)) return undefined;
  if (directive === PYTHON_DIRECTIVE) {
    const close = comment.indexOf(']');
    if (close === -1) return undefined;
    const listed = comment.slice(directive.length, close);
    if (listed.split(',').some((name) => name.trim() === rule)) return { line, startCharacter: 0, endCharacter: 0, text: '' };
    const at = indent + close;
    return { line, startCharacter: at, endCharacter: at, text: listed.trim() === '' ? rule : `, ${rule}` };
  }
  const rest = comment.slice(directive.length);
  if (rest !== '' && !/^\s/.test(rest)) return undefined; // a different directive that shares the prefix
  const reasonAt = rest.indexOf('--');
  const listed = (reasonAt === -1 ? rest : rest.slice(0, reasonAt)).trim();
  // An empty list already silences every rule on the next line.
  if (listed === '' || listed.split(/[\s,]+/).includes(rule)) return { line, startCharacter: 0, endCharacter: 0, text: '' };
  const at = indent + directive.length + (reasonAt === -1 ? rest.trimEnd().length : rest.slice(0, reasonAt).trimEnd().length);
  return { line, startCharacter: at, endCharacter: at, text: `, ${rule}` };
}
