import type { Fix } from '../../engine/types';
import { PYTHON_CHECKOUT_VOCABULARY } from '../../engine/libraries/evidence';
import { genericTable, methodFor } from '../libraries';
import type { Release } from '../libraries/types';
import { bindingOfHolding, indirectReleases, unwrap, type Acquisition, type PythonFile, type Scope } from '../model';
import { enclosingFinally, firstExitBetween, nextSibling, statementOf, wrapInTryFinally } from '../paths';
import type { PythonRule } from '../rule';
import { ancestors, field, type PyNode } from '../tree';
import { BROAD_EXCEPTIONS, caughtExceptions } from './common';

type Use =
  | { kind: 'release'; node: PyNode; statement: PyNode }
  | { kind: 'managed'; node: PyNode }
  | { kind: 'transfer'; node: PyNode }
  | { kind: 'argument'; node: PyNode }
  | { kind: 'other'; node: PyNode };

const EXIT_WORD: Record<string, string> = {
  return_statement: 'return',
  raise_statement: 'raise',
  break_statement: 'break',
  continue_statement: 'continue',
};

export const noLeakedConnection: PythonRule = {
  name: 'no-leaked-connection',
  check(file, report) {
    for (const scope of file.scopes) {
      if (scope.isModule) continue; // module-level connections live as long as the process
      for (const node of file.nodesIn(scope, ['with_item', 'assignment'])) {
        if (node.type === 'with_item') checkWithItem(file, scope, node, report);
        if (node.type !== 'assignment') continue;
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (!left || !right) continue;
        if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
          // `conn, cur = get_conn()` where the helper returns the connection in a tuple.
          const unpacked = unpackedAcquisition(file, scope, left, right);
          if (unpacked) checkAcquisition(file, scope, node, unpacked.name, unpacked.acquisition, report);
          continue;
        }
        if (left.type !== 'identifier') continue;
        const acquisition = file.acquisitionOf(right, scope) ?? evidentCheckout(file, scope, file.text(left), right, node.end);
        if (acquisition) checkAcquisition(file, scope, node, file.text(left), acquisition, report);
      }
    }
  },
};

/**
 * Evidence from use: `conn = <something>.getconn()` where the pool's origin is unknown (a parameter,
 * an attribute set elsewhere), and the same function gives `conn` back with the matching release
 * (`<something>.putconn(conn)`) — proof that every path must — and, for words common outside
 * databases, uses it as a connection (`conn.cursor()`). See src/engine/libraries/evidence.ts.
 */
function evidentCheckout(file: PythonFile, scope: Scope, name: string, value: PyNode, after: number): Acquisition | undefined {
  const call = unwrap(value);
  if (call.type !== 'call') return undefined;
  const callee = field(call, 'function');
  if (callee?.type !== 'attribute') return undefined;
  const owner = field(callee, 'object');
  const method = field(callee, 'attribute');
  if (!owner || !method) return undefined;
  const word = PYTHON_CHECKOUT_VOCABULARY.find((w) => w.acquire === file.text(method));
  if (!word) return undefined;
  // A known library object whose table does not call this an acquisition is not one.
  if (file.valueOf(owner, scope) !== undefined) return undefined;
  if (file.qualifiedName(owner) !== undefined) return undefined;
  let released = false;
  let used = word.usedAs.length === 0;
  for (const other of file.nodesIn(scope, ['call'])) {
    if (other.start < after) continue;
    const otherCallee = field(other, 'function');
    if (otherCallee?.type !== 'attribute') continue;
    const otherMethod = file.text(field(otherCallee, 'attribute')!);
    const object = field(otherCallee, 'object');
    const first = file.callArguments(other).positional[0];
    const onHandle = object?.type === 'identifier' && file.text(object) === name;
    const toOwner = first?.type === 'identifier' && file.text(first) === name;
    if (word.releases.some((r) => r.method === otherMethod && (r.on === 'handle' ? onHandle : toOwner))) released = true;
    if (onHandle && word.usedAs.includes(otherMethod)) used = true;
  }
  if (!released || !used) return undefined;
  const spec = methodFor(genericTable, 'pool', word.acquire);
  if (!spec) return undefined;
  return {
    binding: { role: 'connection', table: genericTable, call, method: spec, owner, checkout: true },
    release: spec.release ?? [],
    withReleases: spec.withReleases ?? false,
  };
}

function unpackedAcquisition(file: PythonFile, scope: Scope, left: PyNode, right: PyNode): { name: string; acquisition: Acquisition } | undefined {
  const call = unwrap(right);
  if (call.type !== 'call') return undefined;
  const facts = file.callFacts(call, scope);
  if (!facts?.returns || facts.returnsAt === undefined) return undefined;
  const target = left.children.filter((c) => c.named && c.type !== 'comment')[facts.returnsAt];
  if (target?.type !== 'identifier') return undefined;
  const binding = bindingOfHolding(facts.returns, call);
  if (!binding || (binding.role !== 'connection' && binding.role !== 'session')) return undefined;
  return { name: file.text(target), acquisition: { binding, release: indirectReleases(binding), withReleases: true } };
}

function describeCall(file: PythonFile, acquisition: Acquisition): string {
  const callee = field(acquisition.binding.call, 'function');
  return `${callee ? file.text(callee) : 'connect'}()`;
}

function isAsyncAcquisition(acquisition: Acquisition): boolean {
  return Boolean(acquisition.binding.factory?.isAsync || acquisition.binding.method?.isAsync);
}

function releaseCode(file: PythonFile, acquisition: Acquisition, name: string): string {
  const release: Release | undefined = acquisition.release[0];
  const prefix = isAsyncAcquisition(acquisition) ? 'await ' : '';
  if (release?.kind === 'owner-method' && acquisition.binding.owner) return `${prefix}${file.text(acquisition.binding.owner)}.${release.name}(${name})`;
  return `${prefix}${name}.${release?.kind === 'method' ? release.name : 'close'}()`;
}

function checkWithItem(file: PythonFile, scope: Scope, item: PyNode, report: Parameters<PythonRule['check']>[1]): void {
  const value = item.children[0]?.type === 'as_pattern' ? item.children[0].children[0] : item.children[0];
  if (!value) return;
  const acquisition = file.acquisitionOf(value, scope);
  if (!acquisition || acquisition.withReleases) return;
  const alias = item.children[0]?.type === 'as_pattern' ? field(item.children[0], 'alias') : undefined;
  const name = alias ? file.text(alias) : 'conn';
  // Released explicitly in a finally, or handed on: the `with` only manages the transaction then.
  const statement = statementOf(item);
  const uses = usesOf(file, scope, name, statement.start, acquisition);
  if (uses.some((u) => u.kind === 'release' && enclosingFinally(u.node)) || uses.some((u) => u.kind === 'transfer')) return;
  const call = describeCall(file, acquisition);
  const what = acquisition.binding.role === 'connection' && acquisition.release[0]?.kind === 'owner-method'
    ? `does not return the connection to the pool: call \`${releaseCode(file, acquisition, name)}\` in a \`finally\` block`
    : `ends the transaction but does not close the connection: wrap it in \`contextlib.closing()\` or close it in a \`finally\` block`;
  report({ at: value, message: `\`with ${call}\` ${what}.` });
}

function checkAcquisition(
  file: PythonFile,
  scope: Scope,
  assignment: PyNode,
  name: string,
  acquisition: Acquisition,
  report: Parameters<PythonRule['check']>[1],
): void {
  const statement = statementOf(assignment);
  const uses = usesOf(file, scope, name, assignment.end, acquisition);
  if (uses.some((u) => u.kind === 'transfer' || u.kind === 'managed')) return;
  if (declaredNonLocal(file, scope, name)) return;
  const releases = uses.filter((u): u is Extract<Use, { kind: 'release' }> => u.kind === 'release');
  const call = describeCall(file, acquisition);
  const releaseText = releaseCode(file, acquisition, name);
  const verb = acquisition.release[0]?.kind === 'owner-method' ? 'returned to the pool' : 'closed';
  const at = unwrap(field(assignment, 'right')!);

  if (releases.length === 0) {
    if (uses.some((u) => u.kind === 'argument')) return; // handed to a helper that may own it
    const edit = wrapInTryFinally(file, statement, undefined, releaseText, false);
    const suggestions: Fix[] = edit ? [{ title: `Release ${name} in a finally block`, edits: [edit] }] : [];
    report({ at, message: `\`${name}\` from \`${call}\` is never ${verb}: call \`${releaseText}\` in a \`finally\` block${acquisition.withReleases ? ' or use `with`' : ''}.`, suggestions });
    return;
  }
  if (releases.some((r) => enclosingFinally(r.node) && coversAcquisition(file, enclosingFinally(r.node)!, assignment))) return;
  if (releasedByBroadExceptAndAfter(releases, statement)) return;
  if (releasedByEnclosingBroadExcept(file, scope, releases, assignment)) return;

  const first = releases.reduce((a, b) => (a.node.start <= b.node.start ? a : b));
  const last = releases.reduce((a, b) => (a.node.start >= b.node.start ? a : b));
  // Nothing between taking and giving back (a log line at most): nothing can fail in between.
  if (first.statement.parent === statement.parent && releases.length === 1 && onlyHarmlessBetween(file, statement, first.statement)) return;

  const exit = firstExitBetween(file, scope, statement, statement.end, last.node.start);
  const releaseLine = file.source.positionAt(first.node.start).line;
  const message = exit && !releaseInside(releases, exit)
    ? `\`${name}\` from \`${call}\` is not ${verb} when the \`${EXIT_WORD[exit.type]}\` on line ${file.source.positionAt(exit.start).line} runs: call \`${releaseText}\` in a \`finally\` block.`
    : `\`${name}\` from \`${call}\` is not ${verb} if an exception is raised before line ${releaseLine}: call \`${releaseText}\` in a \`finally\` block.`;

  let fix: Fix | undefined;
  if (releases.length === 1 && first.statement.parent === statement.parent && isBareCall(first.statement)) {
    const edit = wrapInTryFinally(file, statement, first.statement, file.text(first.statement), true);
    if (edit) fix = { title: `Release ${name} in a finally block`, edits: [edit] };
  }
  const related = releases.map((release) => ({ at: release.node, message: `\`${file.text(release.node).slice(0, 60)}\` is skipped when the function leaves early or raises` }));
  report({ at, message, related, ...(fix ? { fix } : {}) });
}

function releaseInside(releases: readonly { node: PyNode }[], exit: PyNode): boolean {
  // `pool.putconn(conn); return x` inside a branch: that exit gives the connection back first.
  const block = exit.parent;
  return releases.some((r) => block !== null && r.node.start >= block.start && r.node.end <= exit.start);
}

function isBareCall(statement: PyNode): boolean {
  if (statement.type !== 'expression_statement') return false;
  const inner = statement.children.filter((c) => c.named);
  return inner.length === 1 && unwrap(inner[0]).type === 'call';
}

/** The try whose finally releases must have started before the acquisition ended, or come right after it. */
function coversAcquisition(file: PythonFile, finallyClause: PyNode, assignment: PyNode): boolean {
  const tryStatement = finallyClause.parent;
  if (!tryStatement) return false;
  if (tryStatement.start <= assignment.start && tryStatement.end >= assignment.end) return true;
  const statement = statementOf(assignment);
  return tryStatement.start >= assignment.end && tryStatement.parent === statement.parent && onlyHarmlessBetween(file, statement, tryStatement);
}

/** `try: ... except Exception: release; raise` followed by a release on the normal path. */
/**
 * `try: conn = pool.getconn(); …; pool.putconn(conn)  except Exception: pool.putconn(conn); raise`:
 * the try around the acquisition gives it back on the error path, the body on the normal one.
 */
function releasedByEnclosingBroadExcept(file: PythonFile, scope: Scope, releases: readonly Extract<Use, { kind: 'release' }>[], assignment: PyNode): boolean {
  for (const tryStatement of ancestors(assignment)) {
    if (tryStatement === scope.node) return false;
    if (tryStatement.type !== 'try_statement') continue;
    const body = field(tryStatement, 'body');
    if (!body || assignment.start < body.start || assignment.end > body.end) continue;
    const handlers = tryStatement.children.filter((c) => c.type === 'except_clause');
    const broad = handlers.some((handler) => {
      const caught = caughtExceptions(file, handler);
      return (caught.bare || caught.names.some((name) => BROAD_EXCEPTIONS.has(name))) && releases.some((r) => r.node.start >= handler.start && r.node.end <= handler.end);
    });
    if (!broad) continue;
    const normal = releases.find((r) => r.node.start >= assignment.end && r.node.end <= body.end);
    if (!normal) continue;
    return firstExitBetween(file, scope, statementOf(assignment), assignment.end, normal.node.start) === undefined;
  }
  return false;
}

function releasedByBroadExceptAndAfter(releases: readonly Extract<Use, { kind: 'release' }>[], statement: PyNode): boolean {
  const tryStatement = nextSibling(statement);
  if (!tryStatement || tryStatement.type !== 'try_statement') return false;
  const inExcept = releases.some((r) => ancestors(r.node).some((a) => a.type === 'except_clause' && a.parent === tryStatement));
  const after = releases.some((r) => r.node.start >= tryStatement.end && r.statement.parent === statement.parent);
  return inExcept && after;
}

function declaredNonLocal(file: PythonFile, scope: Scope, name: string): boolean {
  return file.nodesIn(scope, ['global_statement', 'nonlocal_statement']).some((node) => node.children.some((c) => c.type === 'identifier' && file.text(c) === name));
}

/** Classifies every later mention of `name` in the function (including nested functions: a closure owns it). */
function usesOf(file: PythonFile, scope: Scope, name: string, after: number, acquisition: Acquisition): Use[] {
  const uses: Use[] = [];
  const body = field(scope.node, 'body');
  if (!body) return uses;
  // A generator keeps what it yields: the code after the `yield` (its caller's `with` block ending,
  // or an exception thrown in at the `yield`) decides whether it is released.
  const generator = file.nodesIn(scope, ['yield']).length > 0;
  const stack: PyNode[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.end <= after) continue;
    if (node.type === 'identifier' && node.start >= after && file.text(node) === name) uses.push(classify(file, scope, node, acquisition, generator));
    for (const child of node.children) stack.push(child);
  }
  return uses.sort((a, b) => a.node.start - b.node.start);
}

/** `stack.enter_context(conn)`, `stack.enter_context(closing(conn))`, `stack.callback(conn.close)`, `stack.push(conn)`. */
const EXIT_STACK_METHODS: ReadonlySet<string> = new Set(['enter_context', 'enter_async_context', 'callback', 'push', 'push_async_callback', 'push_async_exit']);

function classify(file: PythonFile, scope: Scope, use: PyNode, acquisition: Acquisition, generator: boolean): Use {
  const parent = use.parent;
  if (!parent) return { kind: 'other', node: use };
  for (const ancestor of ancestors(use)) {
    if (ancestor.type === 'function_definition' || ancestor.type === 'lambda') {
      return { kind: 'transfer', node: use }; // captured by a closure: its lifetime is no longer this function's
    }
    if (ancestor.type === 'block' || ancestor.type === 'module') break;
  }
  // name.close()
  if (parent.type === 'attribute' && field(parent, 'object') === use) {
    const attribute = field(parent, 'attribute');
    const call = parent.parent;
    if (attribute && call?.type === 'call' && field(call, 'function') === parent) {
      const method = file.text(attribute);
      if (acquisition.release.some((r) => r.kind === 'method' && r.name === method)) return { kind: 'release', node: call, statement: statementOf(call) };
    }
    // `stack.callback(conn.close)`: the ExitStack releases it.
    if (attribute && call?.type === 'argument_list' && acquisition.release.some((r) => r.kind === 'method' && r.name === file.text(attribute)) && isExitStackCall(file, call.parent)) {
      return { kind: 'managed', node: use };
    }
    return { kind: 'other', node: use };
  }
  // owner.putconn(name)
  if (parent.type === 'argument_list') {
    const call = parent.parent;
    const callee = call ? field(call, 'function') : undefined;
    if (call && callee?.type === 'attribute') {
      const method = file.text(field(callee, 'attribute')!);
      if (acquisition.release.some((r) => r.kind === 'owner-method' && r.name === method)) return { kind: 'release', node: call, statement: statementOf(call) };
    }
    if (call && callee && isClosing(file, callee) && (call.parent?.type === 'with_item' || isExitStackCall(file, call.parent?.parent))) {
      return { kind: 'managed', node: use };
    }
    if (call && isExitStackCall(file, call)) return { kind: 'managed', node: use };
    // A helper of the project that releases what it is given (`release_conn(conn)`, `db.put(conn)`).
    if (call) {
      const position = file.callArguments(call).positional.indexOf(use);
      if (position !== -1 && file.callFacts(call, scope)?.releases?.includes(position)) return { kind: 'release', node: call, statement: statementOf(call) };
    }
    return { kind: 'argument', node: use };
  }
  if (parent.type === 'with_item' || (parent.type === 'as_pattern' && parent.parent?.type === 'with_item' && parent.children[0] === use)) {
    return acquisition.withReleases ? { kind: 'managed', node: use } : { kind: 'other', node: use };
  }
  for (const ancestor of ancestors(use)) {
    if (ancestor.type === 'yield' && generator) return { kind: 'other', node: use };
    if (ancestor.type === 'return_statement' || ancestor.type === 'yield') return { kind: 'transfer', node: use };
    if (ancestor.type === 'assignment') {
      const left = field(ancestor, 'left');
      const right = field(ancestor, 'right');
      if (right && use.start >= right.start && left && left.type !== 'identifier') return { kind: 'transfer', node: use };
      if (right && use.start >= right.start && left?.type === 'identifier') return { kind: 'transfer', node: use }; // aliased: tracked no further
      break;
    }
    if (ancestor.type === 'argument_list') return { kind: 'argument', node: use };
    if (ancestor.type === 'expression_statement' || ancestor.type === 'block') break;
  }
  return { kind: 'other', node: use };
}

function isClosing(file: PythonFile, callee: PyNode): boolean {
  return file.text(callee) === 'closing' || file.qualifiedName(callee) === 'contextlib.closing';
}

/** A call of an `ExitStack`'s registering methods (`stack.enter_context(...)`, `stack.callback(...)`). */
function isExitStackCall(file: PythonFile, call: PyNode | null | undefined): boolean {
  if (call?.type !== 'call') return false;
  const callee = field(call, 'function');
  return callee?.type === 'attribute' && EXIT_STACK_METHODS.has(file.text(field(callee, 'attribute')!));
}

const LOGGING_METHODS: ReadonlySet<string> = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log']);
const LOGGER_NAMES = /^(_?log(ger)?|LOG(GER)?|logging)$/;

/** Methods that only stage work in an ORM session, or make a cursor, without a statement (`session.add(obj)`, `conn.cursor()`). */
const STAGING_METHODS: ReadonlySet<string> = new Set(['add', 'add_all', 'expunge', 'merge', 'cursor']);

/**
 * Whether the statements strictly between two siblings cannot fail in practice: log lines and
 * `print`, values built from literals or model constructors (`user = User(name=name)`), work staged
 * in a session (`db.add(user)`), or none at all.
 */
function onlyHarmlessBetween(file: PythonFile, from: PyNode, to: PyNode): boolean {
  for (let next = nextSibling(from); next && next !== to; next = nextSibling(next)) {
    if (next.type !== 'expression_statement') return false;
    const inner = next.children.find((c) => c.named);
    if (inner?.type === 'assignment') {
      const right = field(inner, 'right');
      if (right && (isHarmlessValue(file, right) || isStagingCall(file, right))) continue;
      return false;
    }
    const callee = inner?.type === 'call' ? field(inner, 'function') : undefined;
    if (!callee) return false;
    if (callee.type === 'identifier' && file.text(callee) === 'print') continue;
    const object = callee.type === 'attribute' ? field(callee, 'object') : undefined;
    const method = callee.type === 'attribute' ? file.text(field(callee, 'attribute')!) : undefined;
    if (object && method && LOGGER_NAMES.test(file.text(object)) && LOGGING_METHODS.has(method)) continue;
    if (object && method && STAGING_METHODS.has(method)) continue;
    return false;
  }
  return true;
}

function isStagingCall(file: PythonFile, node: PyNode): boolean {
  const callee = node.type === 'call' ? field(node, 'function') : undefined;
  return callee?.type === 'attribute' && STAGING_METHODS.has(file.text(field(callee, 'attribute')!)) && file.callArguments(node).positional.length === 0;
}

/** A literal, a name, or a constructor call (a capitalised class) whose arguments are harmless too. */
function isHarmlessValue(file: PythonFile, node: PyNode): boolean {
  switch (node.type) {
    case 'string': case 'integer': case 'float': case 'true': case 'false': case 'none': case 'identifier':
      return true;
    case 'attribute':
      return true;
    case 'call': {
      const callee = field(node, 'function');
      const name = callee?.type === 'attribute' ? field(callee, 'attribute') : callee;
      if (!name || !/^[A-Z]/.test(file.text(name))) return false;
      const args = file.callArguments(node);
      return [...args.positional, ...args.keywords.values()].every((arg) => isHarmlessValue(file, arg));
    }
    default:
      return false;
  }
}
