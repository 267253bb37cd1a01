/**
 * Typing sessions for the incremental-lint equivalence tests: source files from the repository
 * (samples, and the code in the rule test tables), and a seeded stream of edits a developer might
 * make — single keystrokes, deletions, pasted lines, half-typed brackets and quotes — applied one
 * after another to the same document.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A small, seeded PRNG (mulberry32): a failing session is reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Template-literal arguments of `tag\`...\`` calls in a test file: cooked (escapes resolved) for
 * plain template literals, raw for `String.raw`-style tags such as the Python tables' `py`.
 */
export function taggedSnippets(file: string, tag: RegExp, form: 'cooked' | 'raw' = 'cooked'): string[] {
  const source = readFileSync(file, 'utf8');
  const pattern = new RegExp(`${tag.source}\`((?:\\\\[\\s\\S]|[^\`\\\\])*)\``, 'g');
  return [...source.matchAll(pattern)].map((match) => (form === 'raw' ? match[1] : match[1].replace(/\\([`$\\])/g, '$1')));
}

export function filesUnder(directory: string, extensions: readonly string[]): string[] {
  return (readdirSync(directory, { recursive: true }) as string[])
    .filter((file) => extensions.includes(path.extname(file)))
    .map((file) => path.join(directory, file))
    .sort();
}

export interface CorpusFile {
  readonly name: string;
  readonly text: string;
}

/**
 * Files to type into: the samples with these extensions, the rule tables' cases joined six to a
 * file (edits then have neighbours whose findings must survive them), and a generated service.
 */
export function editCorpus(sampleExtensions: readonly string[], snippets: readonly string[], generated: string): CorpusFile[] {
  const root = path.resolve(__dirname, '../../..');
  const samples = filesUnder(path.join(root, 'samples'), sampleExtensions).map((file) => ({ name: path.relative(root, file), text: readFileSync(file, 'utf8') }));
  const joined: CorpusFile[] = [];
  for (let i = 0; i < snippets.length; i += 6) joined.push({ name: `rule tables, cases ${i}-${i + 5}`, text: snippets.slice(i, i + 6).join('\n\n') });
  return [...samples, ...joined, { name: 'generated service', text: generated }];
}

/** The rule test tables of one language. */
export function ruleTables(language: 'javascript' | 'python'): string[] {
  return filesUnder(path.resolve(__dirname, '..', language, 'rules'), ['.ts']);
}

export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/**
 * A developer typing: edits cluster around a cursor that now and then jumps elsewhere in the file.
 * The fragments are language-specific code likely to change what the rules see.
 */
export class TypingSession {
  private cursor: number;

  constructor(
    private readonly random: () => number,
    /** Whole statements, balanced: what a developer types or pastes on a line of its own. */
    private readonly statements: readonly string[],
    /** Unbalanced pieces (an opening `try {`, a lone quote): the half-typed states in between. */
    private readonly halfTyped: readonly string[],
    length: number,
  ) {
    this.cursor = Math.floor(random() * (length + 1));
  }

  /** The next edit to `text`. */
  next(text: string): Edit {
    const random = this.random;
    if (random() < 0.15) this.cursor = Math.floor(random() * (text.length + 1));
    const at = Math.max(0, Math.min(text.length, this.cursor + Math.floor(random() * 41) - 20));
    const edit = this.pick(text, at);
    this.cursor = edit.start + edit.text.length;
    return edit;
  }

  private pick(text: string, at: number): Edit {
    const random = this.random;
    const roll = random();
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const lineEnd = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
    if (roll < 0.4) {
      // Typing inside a name, a string or a comment.
      const keys = 'abcxyz_0129';
      let typed = '';
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) typed += keys[Math.floor(random() * keys.length)];
      return { start: at, end: at, text: typed };
    }
    if (roll < 0.6) return { start: at, end: Math.min(text.length, at + 1 + Math.floor(random() * 3)), text: '' };
    // A whole statement typed or pasted on a line of its own, or over a line, indented like the line.
    const indent = /^[ \t]*/.exec(text.slice(lineStart, lineEnd))![0];
    const statement = this.statements[Math.floor(random() * this.statements.length)].replace(/\n/g, `\n${indent}`);
    if (roll < 0.85) return { start: lineEnd, end: lineEnd, text: `\n${indent}${statement}` };
    if (roll < 0.9) return { start: lineStart, end: lineEnd, text: `${indent}${statement}` };
    // Half-typed syntax: an unbalanced piece or a single bracket, quote or operator.
    if (roll < 0.95) return { start: at, end: at, text: this.halfTyped[Math.floor(random() * this.halfTyped.length)] };
    const keys = '(){}[];:,\'"`\n=+-*/#\\';
    return { start: at, end: at, text: keys[Math.floor(random() * keys.length)] };
  }
}
