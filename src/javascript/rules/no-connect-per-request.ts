import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { enclosingFunction, isFunction, isInside, isUnreachable, valueSite, type FunctionNode } from '../analysis/ast';
import { enclosingItemLoop, isRequestHandler } from '../analysis/context';
import { fileModel } from '../analysis/model';
import { createDbhealthRule } from './create-rule';
import { own } from '../../engine/project/facts';

export default createDbhealthRule('no-connect-per-request', {
  messages: {
    poolPerRequest: 'A new pool is created on every request: each one opens its own connections and the server runs out. Create the pool once at module level and share it.',
    connectionPerRequest: 'A new connection is opened on every request: connection setup costs a round trip and a server process each time. Check one out of a shared pool instead.',
    poolInLoop: 'A new pool is created on every iteration. Create it once, before the loop.',
    connectionInLoop: 'A new connection is opened on every iteration. Open one before the loop, or use a shared pool.',
  },
  create(context) {
    const model = fileModel(context);
    const sourceCode = context.sourceCode;

    /** `if (!pool) pool = new Pool()`: a lazily created singleton kept outside the handler. */
    function storedOutside(node: TSESTree.Node, fn: FunctionNode | undefined): boolean {
      const site = valueSite(node);
      const parent = site.parent;
      if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === site) {
        if (parent.left.type === AST_NODE_TYPES.MemberExpression) return true;
        if (parent.left.type === AST_NODE_TYPES.Identifier && fn) {
          const reference = sourceCode.getScope(parent).references.find((r) => r.identifier === parent.left);
          return reference?.resolved?.scope.variableScope.block !== fn;
        }
      }
      if (parent?.type === AST_NODE_TYPES.LogicalExpression && parent.operator === '??') return true; // `pool ??= …`, `cache ?? new Pool()`
      if (parent?.type === AST_NODE_TYPES.AssignmentExpression && (parent.operator === '??=' || parent.operator === '||=')) return true;
      return false;
    }

    function check(node: TSESTree.NewExpression | TSESTree.CallExpression): void {
      const creation = model.creation(node);
      // A helper of this file or the project that opens one on every call (`connect()`, `getDb()`).
      const opens = creation ? undefined : node.type === AST_NODE_TYPES.CallExpression ? helperOpens(node) : constructorOpens(node);
      if (!creation && !opens) return;
      if (isUnreachable(node)) return;
      const fn = enclosingFunction(node);
      if (storedOutside(node, fn)) return;
      const pool = creation ? creation.kind === 'pool' : opens === 'pool' || opens === 'engine';
      const loop = enclosingItemLoop(node);
      if (loop) {
        context.report({ node, messageId: pool ? 'poolInLoop' : 'connectionInLoop' });
        return;
      }
      for (let current = fn; current; current = enclosingFunction(current)) {
        if (isFunction(current) && isRequestHandler(current)) {
          context.report({ node, messageId: pool ? 'poolPerRequest' : 'connectionPerRequest' });
          return;
        }
      }
    }
    /**
     * A helper that opens on every call. One defined inside the same function is skipped: the
     * creation inside it is reported already.
     */
    function helperOpens(node: TSESTree.CallExpression) {
      const callee = model.projectValue(node.callee);
      if (callee?.kind !== 'function' || !callee.facts.opens) return undefined;
      const outer = enclosingFunction(node);
      if ('node' in callee && callee.node && outer && isInside(callee.node, outer)) return undefined;
      return callee.facts.opens;
    }

    /** `new DbConnection()` of a project class whose constructor opens a connection. */
    function constructorOpens(node: TSESTree.NewExpression) {
      const callee = model.projectValue(node.callee);
      return callee?.kind === 'class' ? own(callee.facts.methods, 'constructor')?.opens : undefined;
    }

    return { NewExpression: check, CallExpression: check };
  },
});
