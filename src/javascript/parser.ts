/**
 * The parser dbhealth's own lints use: typescript-eslint's, linear on many exports
 * (./parser-speedup), and refusing trees deeper than MAX_NESTING_DEPTH so that whether a file is
 * analysed is a property of the file (src/engine/limits.ts), never of how much stack a thread had.
 */
import type { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import type { TSESTree } from '@typescript-eslint/utils';
import { MAX_NESTING_DEPTH, tooDeepReason } from '../engine/limits';
import { installParserSpeedup } from './parser-speedup';

installParserSpeedup();

type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;

/** The first node (in a depth-first walk) deeper than `limit`, found without recursion. */
export function nodeDeeperThan(root: TSESTree.Node, visitorKeys: VisitorKeys, limit: number): TSESTree.Node | undefined {
  const stack: [TSESTree.Node, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return node;
    for (const key of visitorKeys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof (item as TSESTree.Node).type === 'string') stack.push([item as TSESTree.Node, depth + 1]);
      } else if (child && typeof (child as TSESTree.Node).type === 'string') {
        stack.push([child as TSESTree.Node, depth + 1]);
      }
    }
  }
  return undefined;
}

/** The error ESLint turns into a fatal parse message with this line and column. */
class NestingTooDeep extends Error {
  readonly lineNumber: number;
  readonly column: number;
  constructor(node: TSESTree.Node) {
    super(tooDeepReason(node.loc.start.line));
    this.lineNumber = node.loc.start.line;
    this.column = node.loc.start.column + 1;
  }
}

/** Whether a fatal parse message says the file is nested too deeply (the limit, or a stack that ran out first). */
export function isNestingMessage(message: string): boolean {
  return message.includes(tooDeepReason().replace(/, deeper.*$/, '')) || /call stack/i.test(message);
}

export const dbhealthParser: Linter.Parser = {
  meta: { name: 'dbhealth/typescript-eslint-parser' },
  parseForESLint(code: string, options?: Linter.ParserOptions) {
    const result = tsParser.parseForESLint(code, options as tsParser.ParserOptions);
    const deep = nodeDeeperThan(result.ast as TSESTree.Node, result.visitorKeys as VisitorKeys, MAX_NESTING_DEPTH);
    if (deep) throw new NestingTooDeep(deep);
    return result as unknown as Linter.ESLintParseResult;
  },
};
