import type { TSESTree } from '@typescript-eslint/utils';
import { fileModel } from '../analysis/model';
import { canAddOption, optionState, type OptionState } from '../analysis/options';
import { addOptionFix, replaceOptionFix } from '../analysis/option-fix';
import { createDbhealthRule } from './create-rule';

const isLiteral = (state: OptionState, predicate: (value: number | boolean | string) => boolean): boolean =>
  state.state === 'literal' && predicate(state.value);
const isSet = (state: OptionState): boolean => state.state !== 'absent';

export default createDbhealthRule('require-pool-recycle', {
  hasSuggestions: true,
  messages: {
    pgIdleForever: 'Idle clients of this pool are never closed ({{why}}) and TCP keepalive is off: a firewall or load balancer that drops idle connections leaves dead clients that fail the next query. Set `keepAlive: true` or `maxLifetimeSeconds`.',
    mysqlNoKeepAlive: '`enableKeepAlive: false` with idle connections kept forever (`maxIdle` equals `connectionLimit` by default): connections dropped by the network or by `wait_timeout` are handed out dead. Keep keepalive on, or set `maxIdle` below `connectionLimit` with an `idleTimeout` under `wait_timeout`.',
    addKeepAlive: 'Set `keepAlive: true`',
    enableKeepAlive: 'Set `enableKeepAlive: true`',
  },
  create(context) {
    const model = fileModel(context);
    const sourceCode = context.sourceCode;
    function check(node: TSESTree.NewExpression | TSESTree.CallExpression): void {
      const creation = model.creation(node);
      if (!creation || creation.kind !== 'pool') return;
      if (creation.driver.driver === 'pg') {
        // pg-pool closes clients idle for idleTimeoutMillis (default 10 s) unless that is 0. It also
        // keeps `min` clients open, but only from pg-pool 3.10 (pg 8.16): the installed version is not
        // known here, so `min` alone is not judged (docs/rules/require-pool-recycle.md).
        const idle = optionState(creation, 'idleTimeoutMillis');
        const idleForever = isLiteral(idle, (v) => v === 0);
        if (!idleForever) return;
        const keepAlive = optionState(creation, 'keepAlive');
        if (isSet(keepAlive) && !isLiteral(keepAlive, (v) => v === false)) return;
        if (isSet(optionState(creation, 'maxLifetimeSeconds'))) return;
        context.report({
          node,
          messageId: 'pgIdleForever',
          data: { why: '`idleTimeoutMillis: 0`' },
          suggest:
            keepAlive.state === 'literal'
              ? [{ messageId: 'addKeepAlive', fix: replaceOptionFix(keepAlive.node, 'true') }]
              : canAddOption(creation)
                ? [{ messageId: 'addKeepAlive', fix: addOptionFix(sourceCode, creation, 'keepAlive', 'true') }]
                : [],
        });
        return;
      }
      if (creation.driver.driver === 'mysql2') {
        // mysql2 keeps keepalive on unless disabled; mysqljs pings every connection it hands out.
        const keepAlive = optionState(creation, 'enableKeepAlive');
        if (!(keepAlive.state === 'literal' && keepAlive.value === false)) return;
        if (isSet(optionState(creation, 'maxIdle'))) return;
        context.report({ node: keepAlive.node, messageId: 'mysqlNoKeepAlive', suggest: [{ messageId: 'enableKeepAlive', fix: replaceOptionFix(keepAlive.node, 'true') }] });
      }
    }
    return { NewExpression: check, CallExpression: check };
  },
});
