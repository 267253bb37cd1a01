import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { enclosingFunction, isFunction, methodCall, some, staticString, unwrapValue } from '../analysis/ast';
import { fileModel } from '../analysis/model';
import { createDbhealthRule } from './create-rule';

const BEGIN_SQL = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const ROLLBACK_SQL = /^\s*ROLLBACK\b(?!\s+TO)/i;

export default createDbhealthRule('no-open-transaction', {
  messages: {
    noRollback: 'This transaction has no rollback on the error path: when a statement fails the session stays `idle in transaction`, holding locks, and a pooled client goes back to the pool mid-transaction. Roll back in `catch` (or `finally`).',
    beginOnPool: '`BEGIN` sent through the pool runs on whichever client is free, and so do the statements, `COMMIT` and `ROLLBACK` after it: the transaction is not one transaction, and the client that ran BEGIN goes back to the pool idle in transaction. Check one client out (`pool.connect()`) and run the whole transaction on it.',
  },
  create(context) {
    const model = fileModel(context);
    /** A rollback, or a release that destroys the connection (the server then rolls back). */
    function isRollback(node: TSESTree.Node): boolean {
      // A helper of this file or the project that rolls back what it is given (`rollback(connection, res)`).
      if (node.type === AST_NODE_TYPES.CallExpression && model.calleeFacts(node)?.rollsBack) return true;
      const call = methodCall(node);
      if (!call) return false;
      if (call.method === 'rollback' || call.method === 'destroy') return true;
      if ((call.method === 'query' || call.method === 'execute') && ROLLBACK_SQL.test(staticString((node as TSESTree.CallExpression).arguments[0]) ?? '')) return true;
      // pg: client.release(err) / release(true) destroys the client instead of pooling it.
      return call.method === 'release' && (node as TSESTree.CallExpression).arguments.length > 0;
    }

    /** A rollback in a catch or finally whose try covers the code after BEGIN. */
    function rolledBackOnError(begin: TSESTree.Node, fn: TSESTree.Node): boolean {
      let found = false;
      some(fn, (n) => {
        if (n.type !== AST_NODE_TYPES.TryStatement) return false;
        const covers = (n.block.range[0] <= begin.range[0] && begin.range[1] <= n.block.range[1]) || n.range[0] >= begin.range[1];
        if (!covers) return false;
        if ((n.handler && some(n.handler.body, isRollback, false)) || (n.finalizer && some(n.finalizer, isRollback, false))) found = true;
        return found;
      });
      return found;
    }

    return {
      CallExpression(node) {
        const call = methodCall(node);
        if (!call) return;
        const isBegin =
          call.method === 'beginTransaction' ||
          ((call.method === 'query' || call.method === 'execute') && BEGIN_SQL.test(staticString(node.arguments[0]) ?? ''));
        // The SQL text (or beginTransaction) is evidence enough; the receiver is often a parameter.
        if (!isBegin) return;
        // A transaction object's own `begin` (its class also has commit and rollback methods).
        if (inTransactionClass(node)) return;
        // `pool.query('BEGIN')` (node-postgres): each query may run on a different pooled client.
        // One string that also commits (`BEGIN; …; COMMIT;`) runs on one client and ends there.
        const sql = staticString(node.arguments[0]) ?? '';
        const receiverHandle = model.handle(call.receiver);
        if (receiverHandle?.kind === 'pool' && receiverHandle.via !== 'name' && call.method === 'query' && (!receiverHandle.driver || receiverHandle.driver.driver === 'pg')) {
          if (!/\b(COMMIT|ROLLBACK|END)\b/i.test(sql.replace(BEGIN_SQL, ''))) context.report({ node, messageId: 'beginOnPool' });
          return;
        }
        const callback = node.arguments.find((a) => isFunction(a));
        if (callback) {
          // Callback style: the rollback lives somewhere in the continuation, or in a function the
          // connection is handed to (`insertRows(req, res, connection)` that commits or rolls back).
          if (!some(callback, isRollback, false) && !handsOnConnection(callback, unwrapValue(call.receiver))) context.report({ node, messageId: 'noRollback' });
          return;
        }
        const fn = enclosingFunction(node);
        if (!fn) return;
        // Only BEGIN in this function: the caller runs (and must end) the transaction.
        const receiver = unwrapValue(call.receiver);
        const continues = some(fn.body, (n) => {
          if (n.range[0] <= node.range[1]) return false;
          const later = methodCall(n);
          return later !== undefined && sameReceiver(unwrapValue(later.receiver), receiver, model);
        });
        if (!continues) return;
        if (!rolledBackOnError(node, fn.body)) context.report({ node, messageId: 'noRollback' });
      },
    };
  },
});

/** The same variable (by scope, so a shadowing inner `connection` is another one), or the same member path. */
function sameReceiver(a: TSESTree.Node, b: TSESTree.Node, model: ReturnType<typeof fileModel>): boolean {
  if (a.type === AST_NODE_TYPES.Identifier && b.type === AST_NODE_TYPES.Identifier) {
    if (a.name !== b.name) return false;
    const va = model.variableOf(a);
    const vb = model.variableOf(b);
    return va === undefined || vb === undefined || va === vb;
  }
  if (a.type === AST_NODE_TYPES.MemberExpression && b.type === AST_NODE_TYPES.MemberExpression) {
    return sameReceiver(a.object, b.object, model) && (a.property.type === AST_NODE_TYPES.Identifier && b.property.type === AST_NODE_TYPES.Identifier ? a.property.name === b.property.name : sameReceiver(a.property, b.property, model));
  }
  return a.type === AST_NODE_TYPES.ThisExpression && b.type === AST_NODE_TYPES.ThisExpression;
}

/** A method of a class that also has `commit` and `rollback` methods: a transaction object beginning itself. */
function inTransactionClass(node: TSESTree.Node): boolean {
  // Climb out of callbacks (`return new Promise((resolve) => conn.beginTransaction(...))`) to the method.
  let fn = enclosingFunction(node);
  while (fn && fn.parent?.type !== AST_NODE_TYPES.MethodDefinition && (fn.parent?.type === AST_NODE_TYPES.CallExpression || fn.parent?.type === AST_NODE_TYPES.NewExpression)) fn = enclosingFunction(fn);
  const method = fn?.parent;
  if (method?.type !== AST_NODE_TYPES.MethodDefinition) return false;
  // A method named `begin` (a subclass of a library's Transaction, whose commit/rollback it inherits).
  if (method.key.type === AST_NODE_TYPES.Identifier && /^(begin|beginTransaction|start)$/.test(method.key.name)) return true;
  const names = new Set(method.parent.body.flatMap((member) => (member.type === AST_NODE_TYPES.MethodDefinition && member.key.type === AST_NODE_TYPES.Identifier ? [member.key.name] : [])));
  return names.has('commit') && names.has('rollback');
}

/** Whether the callback passes the connection on to another function, which then owns the transaction. */
function handsOnConnection(callback: TSESTree.Node, receiver: TSESTree.Node): boolean {
  if (receiver.type !== AST_NODE_TYPES.Identifier) return false;
  return some(callback, (n) => n.type === AST_NODE_TYPES.CallExpression && !methodCall(n)?.method.match(/^(query|execute)$/) && n.arguments.some((a) => a.type === AST_NODE_TYPES.Identifier && a.name === receiver.name), false);
}
