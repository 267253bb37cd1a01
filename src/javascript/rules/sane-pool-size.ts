import type { TSESTree } from '@typescript-eslint/utils';
import { fileModel } from '../analysis/model';
import { optionState } from '../analysis/options';
import { createDbhealthRule } from './create-rule';

export default createDbhealthRule('sane-pool-size', {
  messages: {
    notPositive: '`{{option}}: {{value}}` leaves the pool without connections: every checkout fails or waits.',
    minAboveMax: '`{{minOption}}: {{min}}` is above `{{maxOption}}: {{max}}`: the pool cannot keep more clients than it may open.',
    aboveServer: '`{{option}}: {{value}}` is more than a {{server}} server with default settings grants ({{budget}} connections for ordinary users); and every process of the service opens its own pool. Lower it, or raise the server limit knowingly.',
  },
  create(context) {
    const model = fileModel(context);
    function check(node: TSESTree.NewExpression | TSESTree.CallExpression): void {
      const creation = model.creation(node);
      if (!creation || creation.kind !== 'pool') return;
      const facts = creation.driver.pool;
      const max = optionState(creation, facts.maxOption);
      const maxValue = max.state === 'literal' && typeof max.value === 'number' ? max.value : undefined;
      if (max.state === 'literal' && maxValue !== undefined) {
        if (maxValue <= 0) {
          context.report({ node: max.node, messageId: 'notPositive', data: { option: facts.maxOption, value: String(maxValue) } });
          return;
        }
        if (maxValue > creation.driver.defaultServerConnectionBudget) {
          context.report({
            node: max.node,
            messageId: 'aboveServer',
            data: {
              option: facts.maxOption,
              value: String(maxValue),
              server: creation.driver.driver === 'pg' ? 'PostgreSQL' : 'MySQL/MariaDB',
              budget: String(creation.driver.defaultServerConnectionBudget),
            },
          });
        }
      }
      if (!facts.minOption) return;
      const min = optionState(creation, facts.minOption);
      if (min.state !== 'literal' || typeof min.value !== 'number') return;
      const effectiveMax = maxValue ?? (max.state === 'absent' ? facts.defaultMax : undefined);
      if (effectiveMax !== undefined && min.value > effectiveMax) {
        context.report({
          node: min.node,
          messageId: 'minAboveMax',
          data: { minOption: facts.minOption, min: String(min.value), maxOption: facts.maxOption, max: String(effectiveMax) },
        });
      }
    }
    return { NewExpression: check, CallExpression: check };
  },
});
