import { type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';

/** Leading whitespace of the line `node` starts on. */
export function lineIndent(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): string {
  const line = sourceCode.lines[node.loc.start.line - 1] ?? '';
  return /^\s*/.exec(line)?.[0] ?? '';
}

export function lineStartOffset(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): number {
  return node.range[0] - node.loc.start.column;
}

export function indentUnit(indent: string): string {
  return indent.includes('\t') ? '\t' : '  ';
}

/**
 * Whether re-indenting the text of `range` line by line would change a value: a template literal or
 * string spanning lines carries its indentation into the program's output.
 */
export function hasMultilineLiteral(sourceCode: Readonly<TSESLint.SourceCode>, range: TSESTree.Range): boolean {
  const tokens = sourceCode.ast.tokens;
  // Tokens are in source order: start at the first one inside the range rather than scanning the
  // file, which made a file's cost grow with its findings times its length.
  for (let index = firstTokenFrom(tokens, range[0]); index < tokens.length && tokens[index].range[1] <= range[1]; index++) {
    const token = tokens[index];
    if ((token.type === 'Template' || token.type === 'String') && token.loc.start.line !== token.loc.end.line) return true;
  }
  return false;
}

/** The index of the first token that starts at or after `offset` (binary search). */
function firstTokenFrom(tokens: readonly TSESTree.Token[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (tokens[middle].range[0] < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function reindent(text: string, unit: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? line.trimEnd() : unit + line))
    .join('\n');
}

/** Inserts `name: value` as the last property of an object literal, keeping its one-line or multi-line layout. */
export function insertProperty(
  fixer: TSESLint.RuleFixer,
  sourceCode: Readonly<TSESLint.SourceCode>,
  object: TSESTree.ObjectExpression,
  name: string,
  value: string,
): TSESLint.RuleFix {
  const last = object.properties.at(-1);
  if (!last) return fixer.replaceText(object, `{ ${name}: ${value} }`);
  const after = sourceCode.getTokenAfter(last);
  const trailingComma = after?.value === ',';
  const multiline = object.loc.start.line !== object.loc.end.line && last.loc.end.line !== object.loc.start.line;
  if (multiline) {
    const indent = lineIndent(sourceCode, last);
    const anchor = trailingComma && after ? after : last;
    return fixer.insertTextAfter(anchor, `${trailingComma ? '' : ','}\n${indent}${name}: ${value}${trailingComma ? ',' : ''}`);
  }
  return fixer.insertTextAfter(trailingComma && after ? after : last, `${trailingComma ? '' : ','} ${name}: ${value}`);
}

/** `{}` for `new Pool()`: adds an options object where there was no argument. */
export function insertOptionsArgument(
  fixer: TSESLint.RuleFixer,
  sourceCode: Readonly<TSESLint.SourceCode>,
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  name: string,
  value: string,
): TSESLint.RuleFix | null {
  const closing = sourceCode.getLastToken(call);
  if (!closing || closing.value !== ')') return null; // `new Pool` without parentheses
  return fixer.insertTextBefore(closing, `{ ${name}: ${value} }`);
}

export function isExpressionStatementOf(statement: TSESTree.Node, expression: TSESTree.Node): boolean {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  let inner: TSESTree.Node = statement.expression;
  for (;;) {
    if (inner === expression) return true;
    if (inner.type === AST_NODE_TYPES.AwaitExpression) inner = inner.argument;
    else if (inner.type === AST_NODE_TYPES.ChainExpression) inner = inner.expression;
    else if (inner.type === AST_NODE_TYPES.UnaryExpression && inner.operator === 'void') inner = inner.argument;
    else return false;
  }
}
