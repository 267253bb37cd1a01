import { databaseException } from '../libraries';
import type { PythonFile, Scope } from '../model';
import type { PythonRule } from '../rule';
import { field, type PyNode } from '../tree';
import { caughtExceptions, containsDatabaseCall, isSleepCall, within } from './common';

const LOOP_TYPES: ReadonlySet<string> = new Set(['for_statement', 'while_statement']);

/** An except handler that lets the loop go round again (no raise/return/break at its end). */
function retries(handler: PyNode): boolean {
  const body = handler.children.find((c) => c.type === 'block');
  const statements = body?.children.filter((c) => c.named && c.type !== 'comment') ?? [];
  const last = statements[statements.length - 1];
  return !last || !['raise_statement', 'return_statement', 'break_statement'].includes(last.type);
}

function isWhileTrue(file: PythonFile, loop: PyNode): boolean {
  if (loop.type !== 'while_statement') return false;
  const condition = field(loop, 'condition');
  return condition !== undefined && (condition.type === 'true' || file.text(condition) === '1');
}

/** Iterables of attempt loops (`for attempt in range(5)`); any other `for` walks over items, each tried once. */
const ATTEMPT_ITERABLES: ReadonlySet<string> = new Set(['builtins.range', 'itertools.count', 'itertools.repeat']);

function isAttemptLoop(file: PythonFile, loop: PyNode): boolean {
  if (loop.type === 'while_statement') return true;
  const iterable = field(loop, 'right');
  const callee = iterable?.type === 'call' ? field(iterable, 'function') : undefined;
  if (!callee) return false;
  const qualified = file.qualifiedName(callee) ?? (callee.type === 'identifier' ? `builtins.${file.text(callee)}` : undefined);
  if (qualified === undefined || !ATTEMPT_ITERABLES.has(qualified)) return false;
  // `for i in range(1, n): part = participants[i]`: an index over items, not an attempt counter.
  const left = field(loop, 'left');
  const body = field(loop, 'body');
  if (left?.type !== 'identifier' || !body) return false;
  const name = file.text(left);
  return !within(body, 'subscript').some((subscript) => {
    const index = field(subscript, 'subscript');
    return index?.type === 'identifier' && file.text(index) === name;
  });
}

/** The attempt leaves the loop when it succeeds: a `break`/`return` in the try's body or `else`, or right after the try. */
function leavesOnSuccess(attempt: PyNode): boolean {
  const regions = [field(attempt, 'body'), attempt.children.find((c) => c.type === 'else_clause')].filter((r): r is PyNode => r !== undefined);
  const next = nextStatement(attempt);
  if (next && (next.type === 'break_statement' || next.type === 'return_statement')) return true;
  return regions.some((region) => within(region, new Set(['break_statement', 'return_statement'])).some((exit) => {
    for (let p = exit.parent; p && p !== attempt; p = p.parent) if (LOOP_TYPES.has(p.type)) return false;
    return true;
  }));
}

/** `while pool is None: try: pool = create_pool() …`: the loop's condition stops once the attempt's result is set. */
function conditionEndsOnSuccess(file: PythonFile, loop: PyNode, attempt: PyNode): boolean {
  if (loop.type !== 'while_statement') return false;
  const condition = field(loop, 'condition');
  const body = field(attempt, 'body');
  if (!condition || !body) return false;
  const assigned = new Set(within(body, 'assignment').flatMap((a) => {
    const left = field(a, 'left');
    return left?.type === 'identifier' ? [file.text(left)] : [];
  }));
  return within(condition, 'identifier').some((id) => assigned.has(file.text(id))) || (condition.type === 'identifier' && assigned.has(file.text(condition)));
}

function nextStatement(node: PyNode): PyNode | undefined {
  const siblings = node.parent?.children.filter((c) => c.named && c.type !== 'comment') ?? [];
  return siblings[siblings.indexOf(node) + 1];
}

function checkLoop(file: PythonFile, scope: Scope, loop: PyNode, report: Parameters<PythonRule['check']>[1]): void {
  const body = field(loop, 'body');
  if (!body || !isAttemptLoop(file, loop)) return;
  const tries = within(body, 'try_statement').filter((t) => {
    // The try must belong to this loop, not to a loop nested inside it.
    for (let p = t.parent; p && p !== loop; p = p.parent) if (LOOP_TYPES.has(p.type)) return false;
    return true;
  });
  for (const attempt of tries) {
    const tryBody = field(attempt, 'body');
    if (!tryBody || !containsDatabaseCall(file, scope, tryBody)) continue;
    // A worker loop that handles one job per round (and carries on after a failure) retries nothing.
    if (!leavesOnSuccess(attempt) && !conditionEndsOnSuccess(file, loop, attempt)) continue;
    const handlers = attempt.children.filter((c) => c.type === 'except_clause' && retries(c));
    if (handlers.length === 0) continue;
    for (const handler of handlers) {
      const caught = caughtExceptions(file, handler);
      const permanent = caught.names.filter((name) => databaseException(name)?.kind === 'permanent');
      if (permanent.length > 0) {
        report({ at: caught.nodes[caught.names.indexOf(permanent[0])], message: `This loop retries on \`${permanent[0].split('.').pop()}\`, which a retry cannot fix (the statement or data is wrong): retry only transient errors such as OperationalError.` });
        return;
      }
    }
    // Only a pause on the failure path spaces out retries: a sleep before `break` on success does not.
    const sleeps = within(body, 'call').filter((call) => isSleepCall(file, call) && !(call.start >= tryBody.start && call.end <= tryBody.end));
    const keyword = loop.children[0];
    if (sleeps.length === 0) {
      report({ at: keyword, message: 'This loop retries a database call with no delay between attempts: it hammers a struggling server. Sleep with a growing, capped delay (exponential backoff with jitter).' });
      return;
    }
    const delays = sleeps.map((call) => file.callArguments(call).positional[0]);
    const constant = delays.every((d) => d !== undefined && file.numberValue(d) !== undefined);
    if (constant && isWhileTrue(file, loop)) {
      report({ at: keyword, message: 'This loop retries a database call forever at a fixed delay: cap the attempts and grow the delay (exponential backoff with jitter).' });
      return;
    }
  }
}

function checkTenacity(file: PythonFile, fn: PyNode, scope: Scope, report: Parameters<PythonRule['check']>[1]): void {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  if (!decorated) return;
  for (const decorator of decorated.children.filter((c) => c.type === 'decorator')) {
    const expression = decorator.children.find((c) => c.named);
    if (!expression) continue;
    const callee = expression.type === 'call' ? field(expression, 'function') : expression;
    if (!callee || file.qualifiedName(callee) !== 'tenacity.retry') continue;
    const body = field(fn, 'body');
    if (!body || !containsDatabaseCall(file, scope, body)) return;
    const args = expression.type === 'call' ? file.callArguments(expression) : undefined;
    if (args?.hasSplat) return;
    const missing = [!args?.keywords.has('wait') ? 'wait' : '', !args?.keywords.has('stop') ? 'stop' : ''].filter(Boolean);
    if (missing.length === 0) return;
    report({
      at: expression,
      message: `\`@${file.text(callee)}\` without ${missing.join(' and ')} retries ${missing.includes('wait') ? 'immediately' : ''}${missing.length === 2 ? ' and ' : ''}${missing.includes('stop') ? 'forever' : ''}: pass wait=wait_exponential_jitter(...) and stop=stop_after_attempt(...).`,
    });
  }
}

export const requireRetryBackoff: PythonRule = {
  name: 'require-retry-backoff',
  check(file, report) {
    for (const scope of file.scopes) {
      if (!scope.isModule) checkTenacity(file, scope.node, scope, report);
      for (const node of file.nodesIn(scope, ['for_statement', 'while_statement'])) checkLoop(file, scope, node, report);
    }
  },
};
