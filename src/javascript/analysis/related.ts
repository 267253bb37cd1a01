/**
 * Related locations for findings (the release some path skips), which ESLint's report has no field
 * for. Rules note them here next to their report; the front end collects them around a lint and
 * attaches them to the findings. In the ESLint plugin nothing collects them and they are dropped.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

export interface NotedRelated {
  readonly message: string;
  readonly start: { readonly line: number; readonly column: number };
  readonly end: { readonly line: number; readonly column: number };
}

let sink: Map<string, NotedRelated[]> | undefined;

/** Where a reported node's finding will start, as the front end sees it: `rule:line:column` (1-based column). */
export function relatedKey(rule: string, line: number, column: number): string {
  return `${rule}:${line}:${column}`;
}

export function noteRelated(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, reported: TSESTree.Node, related: readonly { node: TSESTree.Node; message: string }[]): void {
  if (!sink || related.length === 0) return;
  const rule = context.id.replace(/^.*\//, '');
  const key = relatedKey(rule, reported.loc.start.line, reported.loc.start.column + 1);
  sink.set(key, related.map(({ node, message }) => ({
    message,
    start: { line: node.loc.start.line, column: node.loc.start.column + 1 },
    end: { line: node.loc.end.line, column: node.loc.end.column + 1 },
  })));
}

/** Runs a lint and returns what its rules noted. */
export function collectRelated<T>(lint: () => T): { result: T; related: Map<string, NotedRelated[]> } {
  const previous = sink;
  const collected = new Map<string, NotedRelated[]>();
  sink = collected;
  try {
    return { result: lint(), related: collected };
  } finally {
    sink = previous;
  }
}
