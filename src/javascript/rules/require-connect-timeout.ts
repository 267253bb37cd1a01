import type { TSESTree } from '@typescript-eslint/utils';
import { fileModel } from '../analysis/model';
import { canAddOption, optionState } from '../analysis/options';
import { addOptionFix, replaceOptionFix } from '../analysis/option-fix';
import { createDbhealthRule } from './create-rule';
import { millisecondsLiteral, SUGGESTED_TIMEOUT_SECONDS } from '../../engine/libraries/evidence';

const SUGGESTED_CONNECT_TIMEOUT_MS = millisecondsLiteral(SUGGESTED_TIMEOUT_SECONDS.connect);

export default createDbhealthRule('require-connect-timeout', {
  hasSuggestions: true,
  messages: {
    noTimeout: 'Connecting waits as long as the operating system lets it (`{{option}}` defaults to 0, no limit): an unreachable server hangs this code for minutes. Set `{{option}}`.',
    disabled: '`{{option}}: 0` disables the connect timeout: an unreachable server hangs this code for minutes. Use a positive limit.',
    addTimeout: 'Set `{{option}}: 10000`',
  },
  create(context) {
    const model = fileModel(context);
    const sourceCode = context.sourceCode;
    function check(node: TSESTree.NewExpression | TSESTree.CallExpression): void {
      const creation = model.creation(node);
      if (!creation) return;
      const { option, defaultMs } = creation.driver.connectTimeout;
      // A pool's checkout timeout also bounds its connects (pg); that is require-acquire-timeout's finding.
      if (creation.kind === 'pool' && creation.driver.pool.acquireTimeoutOption === option) return;
      const state = optionState(creation, option);
      if (state.state === 'literal' && state.value === 0) {
        context.report({ node: state.node, messageId: 'disabled', data: { option }, suggest: [{ messageId: 'addTimeout', data: { option }, fix: replaceOptionFix(state.node, SUGGESTED_CONNECT_TIMEOUT_MS) }] });
        return;
      }
      // pg's Client takes the timeout only from its config (PGCONNECT_TIMEOUT reaches pg-native alone),
      // so a bare `new Client()` has none either. Drivers with a finite default are left alone.
      if (state.state !== 'absent' || defaultMs !== 0) return;
      context.report({
        node,
        messageId: 'noTimeout',
        data: { option },
        suggest: canAddOption(creation) ? [{ messageId: 'addTimeout', data: { option }, fix: addOptionFix(sourceCode, creation, option, SUGGESTED_CONNECT_TIMEOUT_MS) }] : [],
      });
    }
    return { NewExpression: check, CallExpression: check };
  },
});
