import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';

export type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

export function isFunction(node: TSESTree.Node): node is FunctionNode {
  return (
    node.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node.type === AST_NODE_TYPES.FunctionDeclaration ||
    node.type === AST_NODE_TYPES.FunctionExpression
  );
}

/** Strips what does not change a value: `await`, `(x as T)`, `x!`, `x satisfies T`, parentheses are already gone. */
export function unwrapValue(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.AwaitExpression:
        current = current.argument;
        break;
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
        current = current.expression;
        break;
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** The node whose parent sees the value of `node`: climbs through await, casts and optional chains. */
export function valueSite(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.AwaitExpression ||
      current.parent.type === AST_NODE_TYPES.TSAsExpression ||
      current.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      current.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      current.parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    current = current.parent;
  }
  return current;
}

export function propertyName(member: TSESTree.MemberExpression): string | undefined {
  if (!member.computed && member.property.type === AST_NODE_TYPES.Identifier) return member.property.name;
  if (member.computed && member.property.type === AST_NODE_TYPES.Literal && typeof member.property.value === 'string') {
    return member.property.value;
  }
  return undefined;
}

/** `receiver.method(...)`: the method name and receiver of a call, when it is a method call. */
export function methodCall(node: TSESTree.Node): { receiver: TSESTree.Expression; method: string } | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = node.callee;
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const method = propertyName(callee);
  return method === undefined ? undefined : { receiver: callee.object, method };
}

export function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) if (isFunction(current)) return current;
  return undefined;
}

export function isInside(inner: TSESTree.Node, outer: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/** Visits every node under `root`, not descending into nested functions when `stopAtFunctions`. */
export function walk(root: TSESTree.Node, visit: (node: TSESTree.Node) => void, stopAtFunctions = true): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as TSESTree.Node;
    visit(node);
    if (stopAtFunctions && node !== root && isFunction(node)) continue;
    for (const key of Object.keys(node)) {
      if (key === 'parent') continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) if (isNode(value[i])) stack.push(value[i]);
      } else if (isNode(value)) stack.push(value);
    }
  }
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function some(root: TSESTree.Node, predicate: (node: TSESTree.Node) => boolean, stopAtFunctions = true): boolean {
  let found = false;
  walk(root, (node) => {
    if (!found && predicate(node)) found = true;
  }, stopAtFunctions);
  return found;
}

/** The statement containing `node` that is a direct child of a block / program body. */
export function statementOf(node: TSESTree.Node): TSESTree.Statement | undefined {
  for (let current: TSESTree.Node | undefined = node; current?.parent; current = current.parent) {
    const parent = current.parent;
    if (
      parent.type === AST_NODE_TYPES.BlockStatement ||
      parent.type === AST_NODE_TYPES.Program ||
      parent.type === AST_NODE_TYPES.StaticBlock ||
      parent.type === AST_NODE_TYPES.SwitchCase
    ) {
      return current as TSESTree.Statement;
    }
    if (isFunction(parent)) return undefined;
  }
  return undefined;
}

export function statementList(statement: TSESTree.Statement): readonly TSESTree.Node[] | undefined {
  const parent = statement.parent;
  if (!parent) return undefined;
  if (parent.type === AST_NODE_TYPES.BlockStatement || parent.type === AST_NODE_TYPES.Program || parent.type === AST_NODE_TYPES.StaticBlock) return parent.body;
  if (parent.type === AST_NODE_TYPES.SwitchCase) return parent.consequent;
  return undefined;
}

/** A string literal or a template without expressions: the SQL text of `query('BEGIN')`. */
export function staticString(node: TSESTree.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) return node.quasis[0].value.cooked ?? undefined;
  return undefined;
}

export function objectProperty(object: TSESTree.ObjectExpression, name: string): TSESTree.Property | undefined {
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
    const key = property.key;
    if ((key.type === AST_NODE_TYPES.Identifier && key.name === name) || (key.type === AST_NODE_TYPES.Literal && key.value === name)) {
      return property;
    }
  }
  return undefined;
}

export function hasSpread(object: TSESTree.ObjectExpression): boolean {
  return object.properties.some((p) => p.type === AST_NODE_TYPES.SpreadElement);
}

export function numericValue(node: TSESTree.Node | undefined): number | undefined {
  if (!node) return undefined;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'number') return node.value;
  if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '-' ) {
    const inner = numericValue(node.argument);
    return inner === undefined ? undefined : -inner;
  }
  return undefined;
}

export function booleanValue(node: TSESTree.Node | undefined): boolean | undefined {
  if (node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'boolean') return node.value;
  return undefined;
}

/**
 * Whether `node` can never run: an earlier statement of a block around it (within its function)
 * always leaves it — `return`, `throw`, `break`, `continue` (a command disabled by an early return).
 */
export function isUnreachable(node: TSESTree.Node): boolean {
  for (let current: TSESTree.Node = node; current.parent; current = current.parent) {
    const parent: TSESTree.Node = current.parent;
    if (isFunction(parent)) return false;
    const list = parent.type === AST_NODE_TYPES.BlockStatement || parent.type === AST_NODE_TYPES.Program ? parent.body : parent.type === AST_NODE_TYPES.SwitchCase ? parent.consequent : undefined;
    if (!list) continue;
    const jump = firstJump(list);
    if (jump !== undefined && jump < current.range[0]) return true;
  }
  return false;
}

const FIRST_JUMPS = new WeakMap<readonly TSESTree.Node[], number | null>();

/**
 * Where the first `return`/`throw`/`break`/`continue` of a statement list starts (kept per list:
 * asked for every node of the list, a scan each time made module-level code cost the square of its
 * length).
 */
function firstJump(list: readonly TSESTree.Node[]): number | undefined {
  let cached = FIRST_JUMPS.get(list);
  if (cached === undefined) {
    const jump = list.find(
      (statement) =>
        statement.type === AST_NODE_TYPES.ReturnStatement || statement.type === AST_NODE_TYPES.ThrowStatement || statement.type === AST_NODE_TYPES.BreakStatement || statement.type === AST_NODE_TYPES.ContinueStatement,
    );
    cached = jump ? jump.range[0] : null;
    FIRST_JUMPS.set(list, cached);
  }
  return cached ?? undefined;
}
