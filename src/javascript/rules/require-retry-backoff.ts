import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { DATABASE_CALL_METHODS } from '../libraries/drivers';
import { isFunction, numericValue, some, unwrapValue } from '../analysis/ast';
import { fileModel } from '../analysis/model';
import { slowIoOf } from '../analysis/slow-io';
import { createDbhealthRule } from './create-rule';

type Loop = TSESTree.WhileStatement | TSESTree.DoWhileStatement | TSESTree.ForStatement;

export default createDbhealthRule('require-retry-backoff', {
  messages: {
    noDelay: 'This loop retries a database call at once after a failure: while the server is down or overloaded it hammers it as fast as it can fail. Wait between attempts, growing the delay up to a cap.',
    constantDelay: 'This loop retries forever, waiting the same {{ms}} ms between attempts: many clients retrying in lockstep keep an overloaded server overloaded. Cap the attempts and grow the delay (exponential backoff with jitter).',
  },
  create(context) {
    const model = fileModel(context);

    /** A try whose success leaves the loop (break/return) and whose catch swallows the error: a retry. */
    function retryingTry(loop: Loop): TSESTree.TryStatement | undefined {
      const body = loop.body;
      const statements = body.type === AST_NODE_TYPES.BlockStatement ? body.body : [body];
      for (const statement of statements) {
        if (statement.type !== AST_NODE_TYPES.TryStatement || !statement.handler) continue;
        const leavesOnSuccess = some(statement.block, (n) => n.type === AST_NODE_TYPES.BreakStatement || n.type === AST_NODE_TYPES.ReturnStatement);
        const rethrowsAlways = statement.handler.body.body.some((s) => s.type === AST_NODE_TYPES.ThrowStatement);
        const databaseCall = some(statement.block, (n) => model.isDatabaseCall(n, DATABASE_CALL_METHODS));
        if (leavesOnSuccess && !rethrowsAlways && databaseCall) return statement;
      }
      return undefined;
    }

    function check(loop: Loop): void {
      const attempt = retryingTry(loop);
      if (!attempt) return;
      const delays: TSESTree.Node[] = [];
      some(loop.body, (n) => {
        if (n.type === AST_NODE_TYPES.AwaitExpression && slowIoOf(model, n.argument) === 'sleep') delays.push(unwrapValue(n.argument));
        return false;
      });
      if (delays.length === 0) {
        // A delay handed to a callback API (setTimeout(retry, ms)) is not a loop retry; nothing to judge.
        if (some(loop.body, (n) => isFunction(n))) return;
        context.report({ node: loop, messageId: 'noDelay' });
        return;
      }
      // A fixed delay is judged only when nothing caps the attempts (`while (true)`, `for (;;)`):
      // a bounded retry at a fixed pace ends by itself.
      const constant = delays.map(constantDelayMs).find((ms) => ms !== undefined);
      if (constant !== undefined && delays.every((d) => constantDelayMs(d) !== undefined) && isUnbounded(loop)) {
        context.report({ node: loop, messageId: 'constantDelay', data: { ms: String(constant) } });
      }
    }
    return { WhileStatement: check, DoWhileStatement: check, ForStatement: check };
  },
});

/** The delay of `sleep(500)` / `setTimeout(500)` / `new Promise(r => setTimeout(r, 500))` when it is a literal. */
function constantDelayMs(delay: TSESTree.Node): number | undefined {
  if (delay.type === AST_NODE_TYPES.CallExpression) return numericValue(delay.arguments[0]);
  if (delay.type === AST_NODE_TYPES.NewExpression) {
    let found: number | undefined;
    some(delay, (n) => {
      if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.Identifier && n.callee.name === 'setTimeout') {
        found = numericValue(n.arguments[1]);
        return true;
      }
      return false;
    }, false);
    return found;
  }
  return undefined;
}

/** `while (true)`, `do … while (true)`, `for (;;)`: a loop only a `break` or `return` ends. */
function isUnbounded(loop: Loop): boolean {
  if (loop.type === AST_NODE_TYPES.ForStatement) return loop.test === null;
  return loop.test.type === AST_NODE_TYPES.Literal && loop.test.value === true;
}
