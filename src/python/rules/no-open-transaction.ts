import { neverReturningCall } from '../facts';
import { databaseException } from '../libraries';
import type { PythonFile, Scope } from '../model';
import type { PythonRule } from '../rule';
import { ancestors, field, walk, type PyNode } from '../tree';
import { nextSibling, statementOf } from '../paths';
import { BROAD_EXCEPTIONS, caughtExceptions, within } from './common';
import { ABORTING_LIBRARIES, connectionBehind, isShared, poisonsOnFailure, STATEMENT_METHODS } from '../sharing';

const ENDING_METHODS: ReadonlySet<string> = new Set(['rollback', 'close', 'putconn', 'release']);

/** Whether `node` (a block/clause) calls rollback/close/putconn/release on anything. */
function endsTransaction(file: PythonFile, node: PyNode): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.type === 'call') {
      const callee = field(n, 'function');
      const method = callee?.type === 'attribute' ? field(callee, 'attribute') : undefined;
      if (method && ENDING_METHODS.has(file.text(method))) found = true;
      // `cur.execute("ROLLBACK")`
      const args = file.callArguments(n);
      const sql = file.stringValue(args.positional[0]);
      if (sql && /^\s*rollback\b/i.test(sql)) found = true;
    }
    return !found;
  });
  return found;
}

/** A try statement whose error paths end the transaction: rollback/close in an except that catches broadly, or in finally. */
function guards(file: PythonFile, tryStatement: PyNode): boolean {
  return tryStatement.children.some((c) => (c.type === 'finally_clause' || c.type === 'except_clause') && endsTransaction(file, c));
}

function isBeginSql(file: PythonFile, call: PyNode): boolean {
  const callee = field(call, 'function');
  const method = callee?.type === 'attribute' ? field(callee, 'attribute') : undefined;
  if (!method || file.text(method) !== 'execute') return false;
  const sql = file.stringValue(file.callArguments(call).positional[0]);
  return sql !== undefined && /^\s*(begin|start\s+transaction)\b/i.test(sql);
}

/** Method names that can begin a transaction in some driver table, or run a BEGIN statement. */
const BEGIN_METHOD_NAMES: ReadonlySet<string> = new Set(['execute', 'begin', 'transaction', 'start_transaction']);

function isExplicitBegin(file: PythonFile, scope: Scope, call: PyNode): string | undefined {
  const callee = field(call, 'function');
  const attribute = callee?.type === 'attribute' ? field(callee, 'attribute') : undefined;
  if (!attribute || !BEGIN_METHOD_NAMES.has(file.text(attribute))) return undefined;
  if (isBeginSql(file, call)) return file.text(call);
  const method = file.methodCall(call, scope);
  if (method?.spec.kind !== 'begin') return undefined;
  // `with conn.begin():` / `async with conn.transaction():` end the transaction themselves.
  if (call.parent?.type === 'with_item' || (call.parent?.type === 'as_pattern' && call.parent.parent?.type === 'with_item')) return undefined;
  if (call.parent?.type === 'await' && call.parent.parent?.type === 'with_item') return undefined;
  // asyncpg: `tr = conn.transaction()` only begins at `await tr.start()`; the assignment is where we point.
  return `${file.text(call)}`;
}

export const noOpenTransaction: PythonRule = {
  name: 'no-open-transaction',
  check(file, report) {
    for (const scope of file.scopes) {
      if (scope.isModule) continue;
      for (const node of file.nodesIn(scope, ['call', 'try_statement'])) {
        if (node.type === 'call') {
          const begin = isExplicitBegin(file, scope, node);
          if (!begin) continue;
          const statement = statementOf(node);
          const insideGuard = ancestors(node).some((a) => a.type === 'try_statement' && guards(file, a) && field(a, 'body') && node.start >= field(a, 'body')!.start && node.end <= field(a, 'body')!.end);
          if (insideGuard) continue;
          // `begin` then a guarded try right after it.
          const next = nextSibling(statement);
          if (next?.type === 'try_statement' && guards(file, next)) continue;
          // Only the BEGIN here (a transaction class's `begin()` beside its `commit()` and `rollback()`):
          // the caller runs, and ends, the transaction.
          if (!usedAgainAfter(file, scope, node)) continue;
          if (inTransactionClass(file, scope)) continue;
          report({
            at: node,
            message: `\`${begin}\` starts a transaction that an exception leaves open ("idle in transaction", holding locks): roll back in an \`except\`/\`finally\`, or use the transaction as a context manager.`,
          });
        }
        if (node.type === 'try_statement') checkSwallowingTry(file, scope, node, report);
      }
    }
  },
};


/**
 * The shape that poisons a service: a handler that swallows a failed statement on a connection or
 * session that outlives the call (a module-level one, an object's, an imported one), without rolling
 * back — every later statement on it fails. A connection made in the same call, a pooled one (pools
 * roll back on return) or one passed in as a parameter is not judged here.
 */
function checkSwallowingTry(file: PythonFile, scope: Scope, tryStatement: PyNode, report: Parameters<PythonRule['check']>[1]): void {
  const body = field(tryStatement, 'body');
  if (!body || usesAutocommit(file)) return;
  const shared = sharedStatementIn(file, scope, body);
  if (!shared) return;
  if (tryStatement.children.some((c) => c.type === 'finally_clause' && endsTransaction(file, c))) return;
  for (const handler of tryStatement.children.filter((c) => c.type === 'except_clause')) {
    if (!catchesDatabaseErrors(file, handler)) continue;
    if (endsTransaction(file, handler)) continue;
    let leaves = false;
    walk(handler, (n) => {
      if (n.type === 'raise_statement') leaves = true;
      // Ends the process, or raises (like `raise`: the caller sees the failure and owns the clean-up).
      if (n.type === 'call' && neverReturningCall(file, n, scope) !== undefined) leaves = true;
      return !leaves && n.type !== 'function_definition';
    });
    if (leaves) continue;
    report({
      at: { start: handler.children[0].start, end: handler.children[0].end },
      message: `This handler goes on after a failed statement on \`${shared}\`, which outlives this call, without rolling back: the transaction stays aborted and every later statement on it fails until someone calls rollback(). Roll back here.`,
    });
  }
}

/** Whether an except clause can catch a database error: a bare `except`, a broad class, or a database exception. */
function catchesDatabaseErrors(file: PythonFile, handler: PyNode): boolean {
  const caught = caughtExceptions(file, handler);
  if (caught.bare) return true;
  return caught.names.some((name) => BROAD_EXCEPTIONS.has(name) || databaseException(name) !== undefined);
}

/** The text of the long-lived connection or session a statement in `body` runs on, if any. */
function sharedStatementIn(file: PythonFile, scope: Scope, body: PyNode): string | undefined {
  for (const call of within(body, 'call')) {
    const callee = field(call, 'function');
    if (callee?.type === 'attribute' && STATEMENT_METHODS.has(file.text(field(callee, 'attribute')!))) {
      const receiver = field(callee, 'object')!;
      const binding = connectionBehind(file, scope, receiver, 0);
      if (binding && poisonsOnFailure(binding.binding, file.text(field(callee, 'attribute')!)) && !binding.binding.autocommit && isShared(file, scope, binding.binding) && ABORTING_LIBRARIES.has(binding.binding.table.library) && !isTransactionControl(file, call)) return file.text(binding.node);
    }
    // A helper that runs statements on such a connection (`create_user()` on the global session).
    const shared = file.callFacts(call, scope)?.sharedConnection;
    if (shared?.library && !shared.autocommit && ABORTING_LIBRARIES.has(shared.library)) return `${file.text(callee ?? call)}()`;
  }
  return undefined;
}


/** Whether the receiver of `call` (or the transaction it returns) is used again later in the function. */
function usedAgainAfter(file: PythonFile, scope: Scope, call: PyNode): boolean {
  const callee = field(call, 'function');
  const receiver = callee?.type === 'attribute' ? field(callee, 'object') : undefined;
  if (!receiver) return true;
  const receiverText = file.text(receiver);
  const assigned = call.parent?.type === 'assignment' ? field(call.parent, 'left') : call.parent?.type === 'await' && call.parent.parent?.type === 'assignment' ? field(call.parent.parent, 'left') : undefined;
  const names = new Set([receiverText, ...(assigned?.type === 'identifier' ? [file.text(assigned)] : [])]);
  for (const other of file.nodesIn(scope, ['call'])) {
    if (other.start <= call.end) continue;
    const otherCallee = field(other, 'function');
    const object = otherCallee?.type === 'attribute' ? field(otherCallee, 'object') : undefined;
    if (object && names.has(file.text(object))) return true;
    if (object?.type === 'call') {
      const inner = field(object, 'function');
      const base = inner?.type === 'attribute' ? field(inner, 'object') : undefined;
      if (base && names.has(file.text(base))) return true; // conn.cursor().execute(...)
    }
  }
  return false;
}

/**
 * A method of a transaction class — one that also has `commit` and `rollback` methods (a library's
 * or project's Transaction object): its `begin()` starts what its siblings end.
 */
function inTransactionClass(file: PythonFile, scope: Scope): boolean {
  if (!scope.parentClass) return false;
  const methods = file.methodsOf(scope.parentClass);
  return methods.has('commit') && methods.has('rollback');
}

const autocommitFiles = new WeakMap<PythonFile, boolean>();

/**
 * The file turns autocommit on (`conn.autocommit = True`, `connect(..., autocommit=True)`): a failed
 * statement then ends with nothing open, and only explicit transactions are judged.
 */
function usesAutocommit(file: PythonFile): boolean {
  const known = autocommitFiles.get(file);
  if (known !== undefined) return known;
  let found = false;
  for (const scope of file.scopes) {
    for (const node of file.nodesIn(scope, ['assignment', 'call'])) {
      if (node.type === 'assignment') {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (left?.type === 'attribute' && file.text(field(left, 'attribute')!) === 'autocommit' && right?.type === 'true') found = true;
      } else {
        const value = file.callArguments(node).keywords.get('autocommit');
        if (value?.type === 'true') found = true;
      }
    }
  }
  autocommitFiles.set(file, found);
  return found;
}

/** `execute("BEGIN")` / `("ROLLBACK")` / `("COMMIT")`: if that fails, the connection is gone and there is no work to roll back. */
function isTransactionControl(file: PythonFile, call: PyNode): boolean {
  const sql = file.stringValue(file.callArguments(call).positional[0]);
  return sql !== undefined && /^\s*(begin|rollback|commit|start\s+transaction|end)\s*;?\s*$/i.test(sql);
}
