/**
 * Which connection a statement runs on, and whether that connection outlives the call: what the
 * transaction rule and the functions' facts (`sharedConnection`) need to tell a request's own
 * connection from one every request shares.
 */
import { unwrap, type Binding, type PythonFile, type Scope } from './model';
import { field, type PyNode } from './tree';

/** Methods that run a statement, or flush a session, on a connection, cursor or session. */
export const STATEMENT_METHODS: ReadonlySet<string> = new Set(['execute', 'executemany', 'commit', 'flush', 'add', 'add_all', 'delete', 'merge', 'query', 'scalar', 'scalars', 'copy_expert', 'copy_from', 'callproc']);


/**
 * Libraries in which a failed statement leaves the connection (or session) unusable until someone
 * rolls back: PostgreSQL aborts the whole transaction ("current transaction is aborted, commands
 * ignored until end of transaction block"), and psycopg2/psycopg open one implicitly; a SQLAlchemy
 * session or connection whose flush or statement failed refuses work until `rollback()`
 * (PendingRollbackError), whatever the database. MySQL drivers are left out: MySQL rolls back only
 * the failed statement and the transaction stays usable. asyncpg and aiopg run outside transactions
 * unless one is begun explicitly.
 */
export const ABORTING_LIBRARIES: ReadonlySet<string> = new Set(['psycopg2', 'psycopg', 'psycopg_pool', 'sqlalchemy']);

/** The connection or session behind a receiver: itself, or the connection a cursor was made from. */
export function connectionBehind(file: PythonFile, scope: Scope, receiver: PyNode, depth: number): { binding: Binding; node: PyNode } | undefined {
  if (depth > 4) return undefined;
  const binding = file.valueOf(receiver, scope);
  if (binding && (binding.role === 'connection' || binding.role === 'session')) return { binding, node: receiver };
  const inner = unwrap(receiver);
  // `conn.cursor().execute(...)` / `cur = conn.cursor()`
  const cursorCall = inner.type === 'call' ? inner : inner.type === 'identifier' ? assignedCall(file, scope, file.text(inner)) : undefined;
  const callee = cursorCall ? field(cursorCall, 'function') : undefined;
  if (callee?.type === 'attribute' && file.text(field(callee, 'attribute')!) === 'cursor') return connectionBehind(file, scope, field(callee, 'object')!, depth + 1);
  return undefined;
}

/** The call a local name is assigned from (its only assignment in the scope). */
function assignedCall(file: PythonFile, scope: Scope, name: string): PyNode | undefined {
  let found: PyNode | undefined;
  for (const node of file.nodesIn(scope, ['assignment'])) {
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (left?.type !== 'identifier' || file.text(left) !== name || !right) continue;
    if (found) return undefined;
    found = unwrap(right).type === 'call' ? unwrap(right) : undefined;
  }
  return found;
}

/**
 * Outlives the call: made at module level, on an object, in another module, or by a project-wide
 * attribute — anything but a call made in this function. Flask's `g` lives one request: not shared.
 */
export function isShared(file: PythonFile, scope: Scope, binding: Binding): boolean {
  const made = binding.call;
  if (made.type === 'parameter' || made.type === 'typed_parameter' || made.type === 'typed_default_parameter') return false;
  if (made.type === 'attribute') {
    const object = field(made, 'object');
    if (object && file.qualifiedName(object) === 'flask.g') return false;
    return true;
  }
  if (made.type === 'identifier' || made.type === 'subscript') return true;
  if (made.type !== 'call') return false;
  if (scope.isModule) return false;
  const inside = made.start >= scope.node.start && made.end <= scope.node.end;
  if (inside) return false;
  // Made in another function of this file: kept at module level or on an object.
  return file.scopeOf(made).isModule || binding.indirect === true || isAttributeAssigned(made);
}

function isAttributeAssigned(call: PyNode): boolean {
  const parent = call.parent?.type === 'await' ? call.parent.parent : call.parent;
  return parent?.type === 'assignment' && field(parent, 'left')?.type === 'attribute';
}

const DB_METHODS = new Set(['execute', 'executemany', 'fetch', 'fetchval', 'fetchrow', 'fetchone', 'fetchall', 'fetchmany', 'commit', 'callproc', 'copy_expert', 'copy_from']);

/**
 * Whether a call talks to the database: a known factory or acquisition, a DB-API cursor or
 * connection method, or a helper whose facts say it runs statements.
 */
export function isDatabaseCall(file: PythonFile, scope: Scope, call: PyNode): boolean {
  const callee = field(call, 'function');
  if (!callee) return false;
  const qualified = file.qualifiedName(callee);
  if (qualified && file.factoryCalls().some((f) => f.call === call)) return true;
  if (file.acquisitionOf(call, scope)) return true;
  if (callee.type === 'attribute') {
    const attribute = field(callee, 'attribute');
    if (attribute && DB_METHODS.has(file.text(attribute)) && !isPipeline(file, scope, field(callee, 'object')!)) return true;
  }
  return file.callFacts(call, scope)?.queries === true;
}

/** A Redis pipeline (`pipe = redis.pipeline()`; `pipe.execute()`) runs no SQL. */
function isPipeline(file: PythonFile, scope: Scope, receiver: PyNode): boolean {
  const inner = unwrap(receiver);
  const made = inner.type === 'call' ? inner : inner.type === 'identifier' ? onlyAssignedCall(file, scope, file.text(inner)) : undefined;
  const callee = made ? field(made, 'function') : undefined;
  return callee?.type === 'attribute' && file.text(field(callee, 'attribute')!) === 'pipeline';
}

function onlyAssignedCall(file: PythonFile, scope: Scope, name: string): PyNode | undefined {
  let found: PyNode | undefined;
  for (const node of file.nodesIn(scope, ['assignment'])) {
    const left = field(node, 'left');
    const right = field(node, 'right');
    if (left?.type !== 'identifier' || file.text(left) !== name || !right) continue;
    if (found) return undefined;
    found = unwrap(right).type === 'call' ? unwrap(right) : undefined;
  }
  return found;
}
