import type { Fix } from '../../engine/types';
import type { PythonRule } from '../rule';
import { addKeywordArgument, calleeText, engineUrl } from './common';

/** MySQL's default wait_timeout: the server closes connections idle for longer. */
const MYSQL_DEFAULT_WAIT_TIMEOUT_SECONDS = 28800;

export const requirePoolRecycle: PythonRule = {
  name: 'require-pool-recycle',
  check(file, report) {
    for (const { call, factory, args } of file.factoryCalls()) {
      if (factory.produces !== 'engine' || args.hasSplat) continue;
      if (args.keywords.has('poolclass')) continue; // NullPool/StaticPool and custom pools: no idle pooled connections to recycle
      const url = engineUrl(file, args, { partial: true });
      if (!url || url.database !== 'mysql') continue;
      const prePing = args.keywords.get('pool_pre_ping');
      if (prePing && file.text(prePing) !== 'False') continue;
      const recycleNode = args.keywords.get('pool_recycle');
      const recycle = recycleNode ? file.numberValue(recycleNode) : -1;
      if (recycleNode && recycle === undefined) continue; // computed: trust it
      if (recycle !== undefined && recycle > 0 && recycle < MYSQL_DEFAULT_WAIT_TIMEOUT_SECONDS) continue;
      const edit = prePing ? { start: prePing.start, end: prePing.end, text: 'True' } : addKeywordArgument(file, args, 'pool_pre_ping=True');
      const suggestion: Fix | undefined = edit ? { title: 'Enable pool_pre_ping', edits: [edit] } : undefined;
      const why = recycleNode && recycle !== undefined && recycle > 0
        ? `pool_recycle=${recycle} is not below MySQL's default wait_timeout (${MYSQL_DEFAULT_WAIT_TIMEOUT_SECONDS} s)`
        : 'neither pool_pre_ping nor pool_recycle is set';
      report({
        at: call,
        message: `\`${calleeText(file, call)}()\` for MySQL can hand out connections the server already closed ("MySQL server has gone away"): ${why}. Set pool_pre_ping=True or a pool_recycle below wait_timeout.`,
        suggestions: suggestion ? [suggestion] : [],
      });
    }
  },
};
