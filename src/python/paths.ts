import type { TextEdit } from '../engine/types';
import type { PythonFile, Scope } from './model';
import { ancestors, field, walk, type PyNode } from './tree';

/** Node types that end the current path through a function body. */
export const EXIT_TYPES: ReadonlySet<string> = new Set(['return_statement', 'raise_statement', 'break_statement', 'continue_statement']);
const LOOP_TYPES: ReadonlySet<string> = new Set(['for_statement', 'while_statement']);

/** The statement (a child of a block or the module) that holds `node`. */
export function statementOf(node: PyNode): PyNode {
  let current = node;
  while (current.parent && current.parent.type !== 'block' && current.parent.type !== 'module') current = current.parent;
  return current;
}

/** The `finally` clause `node` is inside, if any, within its own function. */
export function enclosingFinally(node: PyNode): PyNode | undefined {
  for (const ancestor of ancestors(node)) {
    if (ancestor.type === 'finally_clause') return ancestor;
    if (ancestor.type === 'function_definition' || ancestor.type === 'lambda') return undefined;
  }
  return undefined;
}

/** Whether an exit statement leaves the region that starts at `from` (a `break` in an inner loop does not). */
export function exitLeaves(exit: PyNode, from: PyNode): boolean {
  if (exit.type !== 'break_statement' && exit.type !== 'continue_statement') return true;
  for (const ancestor of ancestors(exit)) {
    if (LOOP_TYPES.has(ancestor.type)) return from.start >= ancestor.start && from.end <= ancestor.end;
    if (ancestor.type === 'function_definition') return false;
  }
  return false;
}

/** The first statement that can leave the path between two offsets, skipping nested functions. */
export function firstExitBetween(file: PythonFile, scope: Scope, from: PyNode, start: number, end: number): PyNode | undefined {
  let found: PyNode | undefined;
  file.walkScope(scope, (node) => {
    if (found || node.end <= start || node.start >= end) return false;
    if (EXIT_TYPES.has(node.type) && node.start >= start && exitLeaves(node, from)) {
      found = node;
      return false;
    }
  });
  return found;
}

export function nextSibling(node: PyNode): PyNode | undefined {
  const siblings = node.parent?.children ?? [];
  const index = siblings.indexOf(node);
  for (let i = index + 1; i < siblings.length; i++) if (siblings[i].named && siblings[i].type !== 'comment') return siblings[i];
  return undefined;
}

/** Whether a string literal spanning lines lies in [start, end) of `within` (the block holding that span: walking from the module root made each fix cost the whole file). */
function containsMultilineString(file: PythonFile, within: PyNode, start: number, end: number): boolean {
  let found = false;
  walk(within, (node) => {
    if (found || node.end <= start || node.start >= end) return false;
    if (node.type === 'string' && file.text(node).includes('\n')) found = true;
    return !found;
  });
  return found;
}

function indentUnit(indent: string): string {
  return indent.includes('\t') ? '\t' : '    ';
}

/**
 * Wraps the statements strictly between `first` and `last` (siblings in one block, each on lines of
 * their own) in `try:`, and puts `finallyBody` in its `finally:`. `last` is replaced, so it should be
 * the release statement being moved. Returns undefined when the edit cannot be made safely.
 */
export function wrapInTryFinally(file: PythonFile, from: PyNode, to: PyNode | undefined, finallyBody: string, replaceTo: boolean): TextEdit | undefined {
  const text = file.source.text;
  const block = from.parent;
  if (!block) return undefined;
  const siblings = block.children.filter((c) => c.named && c.type !== 'comment');
  const fromIndex = siblings.indexOf(from);
  const toIndex = to ? siblings.indexOf(to) : siblings.length;
  if (fromIndex === -1 || toIndex === -1 || toIndex - fromIndex < 2) return undefined;
  const firstWrapped = siblings[fromIndex + 1];
  const lastWrapped = siblings[toIndex - 1];
  const indent = file.source.indentOf(from.start);
  const nl = file.source.newline;
  // Each statement involved must sit on its own lines, at the block's indentation.
  for (const node of [from, firstWrapped, ...(to ? [to] : [])]) {
    const lineStart = file.source.lineStartOf(node.start);
    if (text.slice(lineStart, node.start) !== indent) return undefined;
  }
  const afterLast = (to && replaceTo ? to : lastWrapped).end;
  const lineEnd = text.indexOf('\n', afterLast);
  const restOfLine = text.slice(afterLast, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
  if (restOfLine.trim() !== '') return undefined;
  const start = file.source.lineStartOf(firstWrapped.start);
  const wrappedEnd = to ? file.source.lineStartOf(to.start) : lastWrapped.end;
  if (containsMultilineString(file, block, start, wrappedEnd)) return undefined;
  const unit = indentUnit(indent);
  const wrapped = text
    .slice(start, wrappedEnd)
    .replace(/\r?\n$/, '')
    .split(/\r?\n/)
    .map((line) => (line.trim() === '' ? line : unit + line))
    .join(nl);
  const replacement = `${indent}try:${nl}${wrapped}${nl}${indent}finally:${nl}${indent}${unit}${finallyBody}`;
  const end = to && replaceTo ? to.end : lastWrapped.end;
  return { start, end, text: replacement };
}

export { field };
