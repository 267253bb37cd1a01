import type { Fix } from '../../engine/types';
import type { PythonRule } from '../rule';
import { addKeywordArgument, calleeText } from './common';

const SUGGESTED_ACQUIRE_TIMEOUT_SECONDS = 10;

export const requireAcquireTimeout: PythonRule = {
  name: 'require-acquire-timeout',
  check(file, report) {
    // Checkouts whose documented default is to wait forever (asyncpg Pool.acquire(timeout=None)).
    for (const { call, scope } of file.calls()) {
      const method = file.methodCall(call, scope);
      const option = method?.spec.acquireTimeout;
      if (!method || !option || option.defaultSeconds !== null) continue;
      const args = file.callArguments(call);
      if (args.hasSplat) continue;
      const given = args.keywords.get(option.keyword);
      if (given && file.text(given) !== 'None') continue;
      const edit = given ? { start: given.start, end: given.end, text: String(SUGGESTED_ACQUIRE_TIMEOUT_SECONDS) } : addKeywordArgument(file, args, `${option.keyword}=${SUGGESTED_ACQUIRE_TIMEOUT_SECONDS}`);
      const fix: Fix | undefined = edit ? { title: `Wait at most ${SUGGESTED_ACQUIRE_TIMEOUT_SECONDS} s for a connection`, edits: [edit] } : undefined;
      report({
        at: call,
        message: `\`${calleeText(file, call)}()\` waits forever when the pool is exhausted (${method.owner.table.library} default ${option.keyword}=None): pass ${option.keyword}=<seconds> so a saturated pool fails fast.`,
        ...(fix ? { fix } : {}),
      });
    }
    // SQLAlchemy: pool_timeout defaults to 30 s; only an explicit None waits forever.
    for (const { factory, args } of file.factoryCalls()) {
      if (factory.produces !== 'engine') continue;
      const timeout = args.keywords.get('pool_timeout');
      if (!timeout || file.text(timeout) !== 'None') continue;
      report({
        at: timeout,
        message: '`pool_timeout=None` makes checkouts wait forever when the pool is exhausted: leave the default (30 s) or set a bound.',
        fix: { title: `Set pool_timeout=${30}`, edits: [{ start: timeout.start, end: timeout.end, text: '30' }] },
      });
    }
  },
};
