import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { DATABASE_CALL_METHODS } from '../libraries/drivers';
import { isFunction, methodCall, some } from '../analysis/ast';
import { fileModel } from '../analysis/model';
import { createDbhealthRule } from './create-rule';

/** Statements that do nothing with an error: `return;`, `return null;`, `continue;`. */
function isInert(statement: TSESTree.Statement): boolean {
  switch (statement.type) {
    case AST_NODE_TYPES.EmptyStatement:
    case AST_NODE_TYPES.ContinueStatement:
    case AST_NODE_TYPES.BreakStatement:
      return true;
    case AST_NODE_TYPES.ReturnStatement: {
      const argument = statement.argument;
      // `return false` / `return 'failed'` hands the caller a status; `return null` / `return` does not.
      return (
        !argument ||
        (argument.type === AST_NODE_TYPES.Literal && (argument.value === null || argument.value === '')) ||
        (argument.type === AST_NODE_TYPES.Identifier && argument.name === 'undefined') ||
        (argument.type === AST_NODE_TYPES.ArrayExpression && argument.elements.length === 0) ||
        (argument.type === AST_NODE_TYPES.ObjectExpression && argument.properties.length === 0)
      );
    }
    default:
      return false;
  }
}

/** A handler that neither looks at the error nor does anything but return a placeholder. */
function swallows(body: TSESTree.Node, errorName: string | undefined): boolean {
  if (errorName && some(body, (n) => n.type === AST_NODE_TYPES.Identifier && n.name === errorName && n.parent?.type !== AST_NODE_TYPES.CatchClause, false)) return false;
  if (body.type !== AST_NODE_TYPES.BlockStatement) {
    // `.catch(() => null)` / `.catch(() => [])` / `.catch(() => undefined)`
    return body.type === AST_NODE_TYPES.Literal || (body.type === AST_NODE_TYPES.Identifier && body.name === 'undefined') || (body.type === AST_NODE_TYPES.ArrayExpression && body.elements.length === 0);
  }
  return body.body.every(isInert);
}

export default createDbhealthRule('no-swallowed-db-error', {
  messages: {
    catchSwallows: 'This `catch` drops the database error: failed writes, deadlocks and lost connections vanish without a trace. Log it or rethrow it.',
    promiseSwallows: '`.catch()` drops the database error without logging it. Log it or let it propagate.',
    callbackIgnores: 'The callback never looks at `{{name}}`: a failed query goes unnoticed and the code runs on with empty results. Handle the error.',
  },
  create(context) {
    const model = fileModel(context);
    const isDatabaseCall = (node: TSESTree.Node): boolean => model.isDatabaseCall(node, DATABASE_CALL_METHODS);
    return {
      CatchClause(node) {
        const name = node.param?.type === AST_NODE_TYPES.Identifier ? node.param.name : undefined;
        if (!swallows(node.body, name)) return;
        const tryStatement = node.parent as TSESTree.TryStatement;
        if (!some(tryStatement.block, isDatabaseCall)) return;
        context.report({ node, messageId: 'catchSwallows' });
      },
      CallExpression(node) {
        const call = methodCall(node);
        if (!call) return;
        if (call.method === 'catch') {
          const handler = node.arguments[0];
          if (!handler || !isFunction(handler) || !isDatabaseCall(call.receiver)) return;
          const param = handler.params[0];
          if (swallows(handler.body, param?.type === AST_NODE_TYPES.Identifier ? param.name : undefined)) context.report({ node: handler, messageId: 'promiseSwallows' });
          return;
        }
        if (!DATABASE_CALL_METHODS.has(call.method)) return;
        const callback = node.arguments.at(-1);
        if (!callback || !isFunction(callback)) return;
        const handle = model.handle(call.receiver);
        // Callback APIs only: pg checkouts and queries take (err, result) callbacks too.
        if (!handle) return;
        // A checkout callback that ignores `err` gets no connection, and the first query on it
        // throws: a crash, not a silently dropped error (no-leaked-connection reads those callbacks).
        if (handle.kind === 'pool' && model.isCheckoutMethod(handle, call.method)) return;
        const first = callback.params[0];
        if (first?.type !== AST_NODE_TYPES.Identifier || !/^(err|error|e|ex)$/i.test(first.name)) return;
        const variable = context.sourceCode.scopeManager?.getDeclaredVariables(callback).find((v) => v.name === first.name);
        if (!variable) return;
        // `if (err) {}`: read, and still dropped.
        const handled = variable.references.some((reference) => !isEmptyTest(reference.identifier));
        if (!handled) context.report({ node: first, messageId: 'callbackIgnores', data: { name: first.name } });
      },
    };
  },
});

/** `if (err) {}` / `if (err);`: the error is tested and nothing is done with it. */
function isEmptyTest(identifier: TSESTree.Node): boolean {
  const parent = identifier.parent;
  if (parent?.type !== AST_NODE_TYPES.IfStatement || parent.test !== identifier || parent.alternate) return false;
  const consequent = parent.consequent;
  return consequent.type === AST_NODE_TYPES.EmptyStatement || (consequent.type === AST_NODE_TYPES.BlockStatement && consequent.body.length === 0);
}
