import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { HANDLER_FIRST_PARAMETER_NAMES, HANDLER_PARAMETER_PAIRS, NEXT_ROUTE_EXPORTS, ROUTE_REGISTRATION_METHODS } from '../libraries/web-frameworks';
import { isFunction, methodCall, type FunctionNode } from './ast';

/** Whether `fn` is a request handler: registered on a router, or exported as a Next.js route. */
export function isRequestHandler(fn: FunctionNode): boolean {
  const first = fn.params[0];
  const firstName = first?.type === AST_NODE_TYPES.Identifier ? first.name : undefined;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(fn as TSESTree.Expression)) {
    const call = methodCall(parent);
    // `app.get('/x', (req, res) => ...)`: the route method, and a handler-shaped first parameter.
    return call !== undefined && ROUTE_REGISTRATION_METHODS.has(call.method) && firstName !== undefined && HANDLER_FIRST_PARAMETER_NAMES.has(firstName);
  }
  // `function getUsers(req, res)`, `(req, res, next) => …`, Koa `(ctx, next)`: the signature of a
  // handler, wherever it is registered (often in a routes file that imports it).
  const second = fn.params[1];
  const secondName = second?.type === AST_NODE_TYPES.Identifier ? second.name : undefined;
  if (firstName !== undefined && secondName !== undefined && HANDLER_PARAMETER_PAIRS.some(([a, b]) => a === firstName && b === secondName)) return true;
  // discord.js command modules: `execute(interaction)`; bot frameworks' `(ctx) => …` on a bot object.
  if (firstName === 'interaction' && parent?.type === AST_NODE_TYPES.Property && propertyKey(parent) === 'execute') return true;
  if (firstName === 'interaction' && parent?.type === AST_NODE_TYPES.MethodDefinition && propertyKey(parent) === 'execute') return true;
  // Next.js: `export default function handler(req, res)` and `export async function GET(request)`.
  const exported = parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration || parent?.type === AST_NODE_TYPES.ExportNamedDeclaration ? parent : undefined;
  if (exported && fn.type === AST_NODE_TYPES.FunctionDeclaration) {
    if (exported.type === AST_NODE_TYPES.ExportNamedDeclaration && fn.id && NEXT_ROUTE_EXPORTS.has(fn.id.name)) return true;
    if (exported.type === AST_NODE_TYPES.ExportDefaultDeclaration && firstName === 'req' && fn.params.length >= 2) return true;
  }
  return false;
}

function propertyKey(node: TSESTree.Property | TSESTree.MethodDefinition): string | undefined {
  return node.key.type === AST_NODE_TYPES.Identifier ? node.key.name : undefined;
}

const ITERATING_METHODS = new Set(['forEach', 'map', 'flatMap', 'filter', 'reduce', 'some', 'every']);

/**
 * The loop that runs `node` once per item: `for`, `for…of`, `for…in`, or an array callback.
 * `while` and `do` loops are left out: around a connect they are nearly always retry loops, which
 * require-retry-backoff judges.
 */
export function enclosingItemLoop(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current: TSESTree.Node = node; current.parent; current = current.parent) {
    const parent: TSESTree.Node = current.parent;
    // Inside a `try` in the loop: a retry (require-retry-backoff judges those), not one per item.
    if (parent.type === AST_NODE_TYPES.TryStatement && parent.block === current) return undefined;
    switch (parent.type) {
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.ForInStatement:
        if (parent.body === current) return parent;
        break;
      case AST_NODE_TYPES.ForStatement:
        if (parent.body === current && parent.test !== null && parent.update !== null) return parent;
        break;
    }
    if (isFunction(current)) {
      const call = parent.type === AST_NODE_TYPES.CallExpression ? methodCall(parent) : undefined;
      if (call && ITERATING_METHODS.has(call.method)) return parent;
      return undefined;
    }
  }
  return undefined;
}
