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
 * Of those, what leaves an ORM session needing `rollback()` when it fails: a flush (writes staged with
 * add/delete/merge, or a commit). A failed read leaves a SQLAlchemy session usable unless the
 * connection itself was lost (orm/session_basics.html, "Rolling Back").
 */
export const SESSION_WRITE_METHODS: ReadonlySet<string> = new Set(['commit', 'flush', 'add', 'add_all', 'delete', 'merge', 'bulk_save_objects', 'bulk_insert_mappings', 'bulk_update_mappings']);

/** Whether a failed `method` on this connection or session leaves it needing a rollback. */
export function poisonsOnFailure(binding: Binding, method: string): boolean {
  if (binding.role === 'session') return SESSION_WRITE_METHODS.has(method);
  return STATEMENT_METHODS.has(method);
}


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

/** The call a local name is assigned from (its only assignment in the scope, or `with <call> as name`). */
function assignedCall(file: PythonFile, scope: Scope, name: string): PyNode | undefined {
  let found: PyNode | undefined;
  for (const node of file.nodesIn(scope, ['as_pattern'])) {
    if (node.parent?.type !== 'with_item') continue;
    const alias = field(node, 'alias')?.children.find((c) => c.type === 'identifier');
    const value = node.children[0];
    if (alias && value && file.text(alias) === name && unwrap(value).type === 'call') {
      if (found) return undefined;
      found = unwrap(value);
    }
  }
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

const DB_METHODS = new Set([
  'execute', 'executemany', 'fetch', 'fetchval', 'fetchrow', 'fetchone', 'fetchall', 'fetchmany', 'commit', 'callproc', 'copy_expert', 'copy_from',
  // pandas reading and writing through a SQLAlchemy engine or DB-API connection
  'to_sql', 'read_sql', 'read_sql_query', 'read_sql_table',
]);

/**
 * Whether a call talks to the database: a known factory or acquisition, a DB-API cursor or
 * connection method, or a helper whose facts say it runs statements.
 */
export function isDatabaseCall(file: PythonFile, scope: Scope, call: PyNode): boolean {
  const callee = field(call, 'function');
  if (!callee) return false;
  const qualified = file.qualifiedName(callee);
  if (qualified && file.factoryCallAt(call)) return true;
  if (file.acquisitionOf(call, scope)) return true;
  if (callee.type === 'attribute') {
    const attribute = field(callee, 'attribute');
    const receiver = field(callee, 'object')!;
    // `Job.fetch(...)` on a class is not a cursor; a Redis pipeline's `execute()` runs no SQL.
    const onClass = receiver.type === 'identifier' && /^[A-Z]/.test(file.text(receiver)) && file.valueOf(receiver, scope) === undefined;
    if (attribute && DB_METHODS.has(file.text(attribute)) && !onClass && !isPipeline(file, scope, receiver)) return true;
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

/** Calls that block on the network or the clock: the I/O a held connection must not wait for. */
export const SLOW_IO_CALLS: ReadonlySet<string> = new Set([
  'requests.get', 'requests.post', 'requests.put', 'requests.patch', 'requests.delete', 'requests.head', 'requests.request',
  'httpx.get', 'httpx.post', 'httpx.put', 'httpx.patch', 'httpx.delete', 'httpx.head', 'httpx.request', 'httpx.stream',
  'urllib.request.urlopen', 'time.sleep', 'asyncio.sleep', 'smtplib.SMTP', 'smtplib.SMTP_SSL', 'socket.create_connection',
  'subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output',
]);

/** Constructors of clients whose methods wait on the network, and those methods. */
export const SLOW_CLIENT_CLASSES: Readonly<Record<string, ReadonlySet<string>>> = {
  'requests.Session': new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request', 'send']),
  'requests.session': new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request', 'send']),
  'httpx.Client': new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request', 'send', 'stream']),
  'httpx.AsyncClient': new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request', 'send', 'stream']),
  'aiohttp.ClientSession': new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request']),
  // Flask-Mail sends over SMTP: `mail = Mail(app)`; `mail.send(message)`.
  'flask_mail.Mail': new Set(['send', 'send_message']),
};

/** Whether a call waits on slow I/O: a known call, a method of a known client, or a helper whose facts say so. */
export function isSlowCall(file: PythonFile, scope: Scope, call: PyNode): boolean {
  const callee = field(call, 'function');
  if (!callee) return false;
  const qualified = file.qualifiedName(callee);
  if (qualified !== undefined && SLOW_IO_CALLS.has(qualified)) {
    if (qualified === 'asyncio.sleep' || qualified === 'time.sleep') return file.numberValue(file.callArguments(call).positional[0]) !== 0;
    return true;
  }
  if (callee.type === 'attribute') {
    const object = field(callee, 'object');
    const method = file.text(field(callee, 'attribute')!);
    const client = object ? clientClassOf(file, scope, object) : undefined;
    if (client && SLOW_CLIENT_CLASSES[client]?.has(method)) return true;
  }
  return file.callFacts(call, scope)?.slowIo === true;
}

/** The client class an expression was made from (`session = requests.Session()`, module-level `mail = Mail(app)`). */
function clientClassOf(file: PythonFile, scope: Scope, node: PyNode): string | undefined {
  const inner = unwrap(node);
  if (inner.type === 'call') {
    const callee = field(inner, 'function');
    const qualified = callee ? file.qualifiedName(callee) : undefined;
    return qualified && SLOW_CLIENT_CLASSES[qualified] ? qualified : undefined;
  }
  if (inner.type !== 'identifier') return undefined;
  const name = file.text(inner);
  for (const where of [scope, file.moduleScope]) {
    const made = onlyAssignedCall(file, where, name);
    if (made) return clientClassOf(file, where, made);
    for (const node of file.nodesIn(where, ['as_pattern'])) {
      const alias = field(node, 'alias')?.children.find((c) => c.type === 'identifier');
      if (alias && file.text(alias) === name && node.children[0]) return clientClassOf(file, where, node.children[0]);
    }
  }
  return undefined;
}
