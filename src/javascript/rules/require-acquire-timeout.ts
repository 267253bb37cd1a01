import type { TSESTree } from '@typescript-eslint/utils';
import { fileModel } from '../analysis/model';
import { canAddOption, optionState } from '../analysis/options';
import { addOptionFix, replaceOptionFix } from '../analysis/option-fix';
import { createDbhealthRule } from './create-rule';
import { millisecondsLiteral, SUGGESTED_TIMEOUT_SECONDS } from '../../engine/libraries/evidence';
import { isLongLivedPool } from '../analysis/facts';

/** A checkout that waits this long has met a pool that is not coming back; failing tells the caller. */
const SUGGESTED_ACQUIRE_TIMEOUT_MS = millisecondsLiteral(SUGGESTED_TIMEOUT_SECONDS.acquire);

export default createDbhealthRule('require-acquire-timeout', {
  hasSuggestions: true,
  messages: {
    pgNoTimeout: 'This pool waits forever for a free client when all {{max}} are checked out (`connectionTimeoutMillis` defaults to 0, no limit). Set `connectionTimeoutMillis`.',
    pgZero: '`connectionTimeoutMillis: 0` lets a checkout wait forever when the pool is exhausted. Use a positive limit.',
    queueForever: 'When every connection is checked out, `getConnection()` queues without any time limit (`waitForConnections` defaults to true, `queueLimit` to 0). Fail fast with `waitForConnections: false`, or bound the queue with `queueLimit`.',
    addTimeout: 'Set `connectionTimeoutMillis: 10000` (fail after 10 s instead of queuing forever)',
    failFast: 'Set `waitForConnections: false` (checkouts fail at once when the pool is exhausted)',
  },
  create(context) {
    const model = fileModel(context);
    const sourceCode = context.sourceCode;
    function check(node: TSESTree.NewExpression | TSESTree.CallExpression): void {
      const creation = model.creation(node);
      if (!creation || creation.kind !== 'pool' || !isLongLivedPool(sourceCode, node)) return;
      const facts = creation.driver.pool;
      if (facts.acquireTimeoutOption) {
        const timeout = optionState(creation, facts.acquireTimeoutOption);
        if (timeout.state === 'absent') {
          const max = optionState(creation, facts.maxOption);
          context.report({
            node,
            messageId: 'pgNoTimeout',
            data: { max: max.state === 'literal' ? String(max.value) : String(facts.defaultMax) },
            suggest: canAddOption(creation) ? [{ messageId: 'addTimeout', fix: addOptionFix(sourceCode, creation, facts.acquireTimeoutOption, SUGGESTED_ACQUIRE_TIMEOUT_MS) }] : [],
          });
        } else if (timeout.state === 'literal' && (timeout.value === 0 || timeout.value === false)) {
          context.report({ node: timeout.node, messageId: 'pgZero', suggest: [{ messageId: 'addTimeout', fix: replaceOptionFix(timeout.node, SUGGESTED_ACQUIRE_TIMEOUT_MS) }] });
        }
        return;
      }
      if (!facts.waitOption) return;
      const wait = optionState(creation, facts.waitOption);
      const queue = facts.queueLimitOption ? optionState(creation, facts.queueLimitOption) : ({ state: 'absent' } as const);
      if (wait.state === 'unknowable' || wait.state === 'dynamic' || (wait.state === 'literal' && wait.value === false)) return;
      // A bounded queue turns overload into errors instead of an ever-growing wait.
      if (queue.state === 'unknowable' || queue.state === 'dynamic' || (queue.state === 'literal' && typeof queue.value === 'number' && queue.value > 0)) return;
      context.report({
        node,
        messageId: 'queueForever',
        suggest:
          wait.state === 'literal'
            ? [{ messageId: 'failFast', fix: replaceOptionFix(wait.node, 'false') }]
            : canAddOption(creation)
              ? [{ messageId: 'failFast', fix: addOptionFix(sourceCode, creation, facts.waitOption, 'false') }]
              : [],
      });
    }
    return { NewExpression: check, CallExpression: check };
  },
});
