import type { TSESTree } from '@typescript-eslint/utils';
import { enclosingFunction, staticString } from '../analysis/ast';
import { fileModel } from '../analysis/model';
import { canAddOption, optionState } from '../analysis/options';
import { addOptionFix } from '../analysis/option-fix';
import { createDbhealthRule } from './create-rule';
import { millisecondsLiteral, SUGGESTED_TIMEOUT_SECONDS } from '../../engine/libraries/evidence';
import { isLongLivedPool } from '../analysis/facts';

const SUGGESTED_STATEMENT_TIMEOUT_MS = millisecondsLiteral(SUGGESTED_TIMEOUT_SECONDS.statement);

export default createDbhealthRule('require-statement-timeout', {
  hasSuggestions: true,
  messages: {
    noTimeout: 'No statement timeout on this long-lived {{kind}}: one runaway query holds its connection (and its locks) until it finishes. Set `statement_timeout` (server side) or `query_timeout` (client side).',
    addTimeout: 'Set `statement_timeout: 30000`',
  },
  create(context) {
    const model = fileModel(context);
    const sourceCode = context.sourceCode;
    function check(node: TSESTree.NewExpression | TSESTree.CallExpression): void {
      const creation = model.creation(node);
      if (!creation) return;
      const options = creation.driver.statementTimeoutOptions;
      // Drivers without a connection-level statement timeout (mysql, mysql2) are not judged here.
      if (options.length === 0) return;
      // Long-lived: a pool that outlives its creating call, or a connection created at module level.
      if (creation.kind === 'connection' && enclosingFunction(node)) return;
      if (creation.kind === 'pool' && !isLongLivedPool(sourceCode, node)) return;
      const states = options.map((option) => optionState(creation, option));
      if (states.some((s) => s.state !== 'absent')) return;
      // `options: '-c statement_timeout=5s'` sets it as a startup parameter.
      const startup = optionState(creation, 'options');
      if (startup.state === 'dynamic' || startup.state === 'unknowable') return;
      if (startup.state === 'literal' && String(staticString(startup.node) ?? '').includes('statement_timeout')) return;
      context.report({
        node,
        messageId: 'noTimeout',
        data: { kind: creation.kind === 'pool' ? 'pool' : 'connection' },
        suggest: canAddOption(creation) ? [{ messageId: 'addTimeout', fix: addOptionFix(sourceCode, creation, options[0], SUGGESTED_STATEMENT_TIMEOUT_MS) }] : [],
      });
    }
    return { NewExpression: check, CallExpression: check };
  },
});
