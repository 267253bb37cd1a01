import type { Fix } from '../../engine/types';
import { SUGGESTED_TIMEOUT_SECONDS } from '../../engine/libraries/evidence';
import type { Binding, PythonFile, Scope } from '../model';
import type { PythonRule } from '../rule';
import { field } from '../tree';
import { addKeywordArgument, calleeText } from './common';

const SUGGESTED_ACQUIRE_TIMEOUT_SECONDS = SUGGESTED_TIMEOUT_SECONDS.acquire;

/**
 * A checkout with nobody waiting on the other end: in the function that just created the pool
 * (start-up work on an empty pool), or in a function only called from a loop (below).
 */
function isBackgroundCheckout(file: PythonFile, scope: Scope, owner: Binding): boolean {
  if (owner.call.type === 'call' && owner.call.start >= scope.node.start && owner.call.end <= scope.node.end) return true;
  return calledOnlyFromLoops(file, scope);
}

/**
 * A function this file calls only from `while` loops (a timer or queue worker's round: `while not
 * closed: timer = await self.wait_for_active_timers()`): the loop waits for a connection as its work,
 * and a timeout there would only kill the task.
 */
function calledOnlyFromLoops(file: PythonFile, scope: Scope): boolean {
  const name = scope.isModule ? undefined : field(scope.node, 'name');
  if (!name) return false;
  const sites = file.calls().filter(({ call }) => {
    const callee = field(call, 'function');
    const called = callee?.type === 'attribute' ? field(callee, 'attribute') : callee;
    return called !== undefined && file.text(called) === file.text(name);
  });
  return sites.length > 0 && sites.every(({ call, scope: caller }) => {
    for (let p = call.parent; p && p !== caller.node; p = p.parent) if (p.type === 'while_statement') return true;
    return false;
  });
}

export const requireAcquireTimeout: PythonRule = {
  name: 'require-acquire-timeout',
  check(file, report) {
    // Checkouts whose documented default is to wait forever (asyncpg Pool.acquire(timeout=None)).
    for (const { call, scope } of file.calls()) {
      const method = file.methodCall(call, scope);
      const option = method?.spec.acquireTimeout;
      if (!method || !option || option.defaultSeconds !== null) continue;
      if (isBackgroundCheckout(file, scope, method.owner)) continue;
      const args = file.callArguments(call);
      if (args.hasSplat) continue;
      const given = args.keywords.get(option.keyword);
      if (given && file.text(given) !== 'None') continue;
      const edit = given ? { start: given.start, end: given.end, text: String(SUGGESTED_ACQUIRE_TIMEOUT_SECONDS) } : addKeywordArgument(file, args, `${option.keyword}=${SUGGESTED_ACQUIRE_TIMEOUT_SECONDS}`);
      const suggestion: Fix | undefined = edit ? { title: `Wait at most ${SUGGESTED_ACQUIRE_TIMEOUT_SECONDS} s for a connection`, edits: [edit] } : undefined;
      report({
        at: call,
        message: `\`${calleeText(file, call)}()\` waits forever when the pool is exhausted (${method.owner.table.library} default ${option.keyword}=None): pass ${option.keyword}=<seconds> so a saturated pool fails fast.`,
        suggestions: suggestion ? [suggestion] : [],
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
        suggestions: [{ title: `Set pool_timeout=${30}`, edits: [{ start: timeout.start, end: timeout.end, text: '30' }] }],
      });
    }
  },
};
