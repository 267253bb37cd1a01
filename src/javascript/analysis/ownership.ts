import { type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { enclosingFunction, isFunction, isInside, methodCall, propertyName, some, valueSite } from './ast';

/** Where the value of an acquisition (`await pool.connect()`, `new Client()`) goes. */
export type Destination =
  /** `disposed`: declared with `using` / `await using`, which releases it on every path. */
  | { readonly kind: 'variable'; readonly variable: TSESLint.Scope.Variable; readonly statement: TSESTree.Node; readonly disposed?: boolean }
  /** `pool.connect().then((client) => …)`: the callback receives it. */
  | { readonly kind: 'promise-callback'; readonly callback: TSESTree.Node }
  /** `await pool.connect();` as a statement: the connection is unreachable at once. */
  | { readonly kind: 'discarded' }
  /** Returned, passed on, stored on an object, chained with `.then`: someone else owns it. */
  | { readonly kind: 'elsewhere' };

export function destinationOf(sourceCode: Readonly<TSESLint.SourceCode>, acquisition: TSESTree.Node): Destination {
  const site = valueSite(acquisition);
  const parent = site.parent;
  if (!parent) return { kind: 'elsewhere' };
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === site && parent.id.type === AST_NODE_TYPES.Identifier) {
    const variable = sourceCode.scopeManager?.getDeclaredVariables(parent)[0];
    const declaration = parent.parent as TSESTree.VariableDeclaration;
    const disposed = (declaration.kind as string) === 'using' || (declaration.kind as string) === 'await using';
    return variable ? { kind: 'variable', variable, statement: parent.parent, disposed } : { kind: 'elsewhere' };
  }
  // `pool.connect().then((client) => …)` (not awaited: `site` is the call itself).
  if (site === acquisition && parent.type === AST_NODE_TYPES.MemberExpression && parent.object === site && propertyName(parent) === 'then') {
    const call = parent.parent;
    const callback = call?.type === AST_NODE_TYPES.CallExpression && call.callee === parent ? call.arguments[0] : undefined;
    if (callback && isFunction(callback)) return { kind: 'promise-callback', callback };
  }
  if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === site && parent.operator === '=' && parent.left.type === AST_NODE_TYPES.Identifier) {
    const scope = sourceCode.getScope(parent);
    const reference = scope.references.find((r) => r.identifier === parent.left);
    const variable = reference?.resolved;
    // Assigned to a variable of an outer function: a lazily created shared handle, owned elsewhere.
    if (!variable || variable.scope.variableScope !== scope.variableScope) return { kind: 'elsewhere' };
    return { kind: 'variable', variable, statement: parent };
  }
  if (parent.type === AST_NODE_TYPES.ExpressionStatement) return { kind: 'discarded' };
  return { kind: 'elsewhere' };
}

export interface Uses {
  /** Calls of a release method on the variable: `client.release()`, `conn.end()`. */
  readonly releases: readonly TSESTree.CallExpression[];
  /** Other method calls and property reads on it (`client.query(...)`). */
  readonly memberUses: readonly TSESTree.MemberExpression[];
  /** The value escapes: returned, passed as an argument, stored, captured by a closure that outlives us. */
  readonly transferred: boolean;
}

/**
 * Classifies every read of `variable`. A read that is only a test (`if (client)`) counts as nothing.
 * `releasedArguments` says which argument positions a call releases (a helper of the project's that
 * ends what it is given); passing the handle there is a release, not a transfer.
 */
export function usesOf(
  variable: TSESLint.Scope.Variable,
  releaseMethods: ReadonlySet<string>,
  options: { readonly releasedArguments?: (call: TSESTree.CallExpression) => readonly number[]; readonly sourceCode?: Readonly<TSESLint.SourceCode> } = {},
): Uses {
  const releasedArguments = (call: TSESTree.CallExpression): readonly number[] =>
    // mysql2 `pool.releaseConnection(conn)` gives the connection back like `conn.release()`.
    methodCall(call)?.method === 'releaseConnection' ? [0] : (options.releasedArguments?.(call) ?? []);
  const releases: TSESTree.CallExpression[] = [];
  const memberUses: TSESTree.MemberExpression[] = [];
  let transferred = false;
  const visit = (current: TSESLint.Scope.Variable, depth: number): void => {
    for (const reference of current.references) {
      if (!reference.isRead()) continue;
      const identifier = reference.identifier as TSESTree.Identifier;
      const parent = identifier.parent;
      if (!parent) continue;
      if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === identifier) {
        const name = propertyName(parent);
        const call = parent.parent;
        if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === parent && name !== undefined && releaseMethods.has(name)) releases.push(call);
        else if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === parent && name === 'promise' && depth < 2) {
          // mysql2: `const c = conn.promise()` wraps the same connection; releasing `c` releases it.
          const alias = options.sourceCode ? aliasOf(options.sourceCode, call) : undefined;
          if (alias) visit(alias, depth + 1);
          else memberUses.push(parent);
        } else memberUses.push(parent);
        continue;
      }
      if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(identifier) && releasedArguments(parent).includes(parent.arguments.indexOf(identifier))) {
        releases.push(parent);
        continue;
      }
      if (isTestOnly(identifier)) continue;
      transferred = true;
    }
  };
  visit(variable, 0);
  return { releases, memberUses, transferred };
}

/** The variable a call's value is stored in (`const c = x.promise()`). */
function aliasOf(sourceCode: Readonly<TSESLint.SourceCode>, call: TSESTree.CallExpression): TSESLint.Scope.Variable | undefined {
  const site = valueSite(call);
  const parent = site.parent;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== site || parent.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  return sourceCode.scopeManager?.getDeclaredVariables(parent)[0];
}

function isTestOnly(identifier: TSESTree.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.IfStatement:
    case AST_NODE_TYPES.ConditionalExpression:
      return parent.test === identifier;
    case AST_NODE_TYPES.UnaryExpression:
      return parent.operator === '!' || parent.operator === 'typeof';
    case AST_NODE_TYPES.BinaryExpression:
      return ['===', '!==', '==', '!='].includes(parent.operator);
    case AST_NODE_TYPES.LogicalExpression:
      return parent.left === identifier;
    default:
      return false;
  }
}

/** A release that runs however the code between acquisition and release ends: in `finally`, or `.finally()`. */
export function isGuaranteedRelease(release: TSESTree.Node, acquisition: TSESTree.Node): boolean {
  for (let current: TSESTree.Node | undefined = release; current?.parent; current = current.parent) {
    const parent: TSESTree.Node = current.parent;
    if (parent.type === AST_NODE_TYPES.TryStatement && parent.finalizer === current) {
      // The try must cover the code after the acquisition: it contains it or starts after it.
      return isInside(acquisition, parent.block) || parent.range[0] >= acquisition.range[1];
    }
    if (isFunction(current) && parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(current as TSESTree.Expression)) {
      const callee = parent.callee;
      if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === 'finally') return true;
    }
  }
  return false;
}

/**
 * A release in a `catch` that covers the code after the acquisition, plus a release after that
 * try statement: together they cover the normal and the error path.
 */
export function isCatchAndAfterRelease(releases: readonly TSESTree.Node[], acquisition: TSESTree.Node): boolean {
  for (const release of releases) {
    const handler = ancestor(release, (n) => n.type === AST_NODE_TYPES.CatchClause) as TSESTree.CatchClause | undefined;
    const tryStatement = handler?.parent;
    if (!tryStatement || tryStatement.type !== AST_NODE_TYPES.TryStatement) continue;
    if (!(isInside(acquisition, tryStatement.block) || tryStatement.range[0] >= acquisition.range[1])) continue;
    if (enclosingFunction(release) !== enclosingFunction(acquisition)) continue;
    const coversNormalPath = releases.some((other) => other.range[0] >= tryStatement.range[1] && enclosingFunction(other) === enclosingFunction(acquisition));
    const handlerRethrowsOnly = some(handler.body, (n) => n.type === AST_NODE_TYPES.ThrowStatement);
    if (coversNormalPath || (handlerRethrowsOnly && !some(tryStatement.block, (n) => n.type === AST_NODE_TYPES.ReturnStatement))) return true;
  }
  return false;
}

export function ancestor(node: TSESTree.Node, predicate: (n: TSESTree.Node) => boolean): TSESTree.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (predicate(current)) return current;
    if (isFunction(current)) return undefined;
  }
  return undefined;
}

/**
 * Whether running `node` can leave the enclosing block early: an `await` or call may throw, a
 * `return`/`throw`/`break` jumps. Code inside a `try` whose `catch` neither rethrows nor returns
 * cannot throw past it.
 */
export function canExitEarly(node: TSESTree.Node, after = -1): boolean {
  let found = false;
  const visit = (current: TSESTree.Node, insideCatchingTry: boolean): void => {
    if (found || current.range[1] <= after) return;
    if (current !== node && isFunction(current)) return;
    switch (current.type) {
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.BreakStatement:
      case AST_NODE_TYPES.ContinueStatement:
        if (current.range[0] >= after) found = true;
        return;
      case AST_NODE_TYPES.ThrowStatement:
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        // A log line does not throw in practice (`console.log`, `logger.info`).
        if (current.type === AST_NODE_TYPES.CallExpression && isLogCall(current)) break;
        if (!insideCatchingTry && current.range[0] >= after) {
          found = true;
          return;
        }
        break;
      case AST_NODE_TYPES.TryStatement: {
        const catches = current.handler !== null && !some(current.handler.body, (n) => n.type === AST_NODE_TYPES.ThrowStatement || n.type === AST_NODE_TYPES.ReturnStatement);
        visit(current.block, insideCatchingTry || catches);
        if (current.handler) visit(current.handler.body, insideCatchingTry);
        if (current.finalizer) visit(current.finalizer, insideCatchingTry);
        return;
      }
    }
    for (const key of Object.keys(current)) {
      if (key === 'parent') continue;
      const value = (current as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) for (const item of value) { if (item && typeof item === 'object' && 'type' in item) visit(item as TSESTree.Node, insideCatchingTry); }
      else if (value && typeof value === 'object' && 'type' in value) visit(value as TSESTree.Node, insideCatchingTry);
    }
  };
  visit(node, false);
  return found;
}

const LOG_METHODS: ReadonlySet<string> = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace']);

/** `console.log(...)`, `logger.info(...)`, `log.warn(...)`. */
function isLogCall(call: TSESTree.CallExpression): boolean {
  const callee = call.callee;
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.object.type !== AST_NODE_TYPES.Identifier) return false;
  const name = propertyName(callee);
  return name !== undefined && LOG_METHODS.has(name) && /^(console|logger|log|_logger|LOGGER)$/.test(callee.object.name);
}
