/**
 * What the project index keeps of a Python module, and what each function of it does with
 * connections (src/engine/project/facts.ts): computed from the file's model, once per function.
 *
 * A function's facts:
 * - `returns`: the library object its `return` statements hand back (a connection from
 *   `psycopg2.connect()`, a checkout from `pool.getconn()`, a pool, a project object);
 * - `opens`: it opens a new connection, pool or engine on every call, not kept in a global or on an
 *   object (a lazily created singleton) — a per-request or per-item cost where it is called;
 * - `releases`: the positions of the arguments it closes or gives back to a pool;
 * - `neverReturns`: every path raises, or ends the process (`sys.exit`), or the annotation says so;
 * - `yields`: a generator (a `@contextmanager`, a FastAPI dependency) that yields a connection.
 */
import type { FunctionFacts, Holding, ModuleFacts, ObjectFacts } from '../engine/project/facts';
import { EXITING_BUILTINS, NEVER_RETURNING_ANNOTATIONS, NEVER_RETURNING_CALLS } from './libraries/control-flow';
import { CACHING_DECORATOR_NAMES } from './libraries/frameworks';
import { databaseException, LIBRARY_MODULES } from './libraries';
import type { Binding, PythonFile, Scope } from './model';
import { connectionBehind, isDatabaseCall, isShared, isSlowCall, poisonsOnFailure, STATEMENT_METHODS } from './sharing';
import { field, walk, type PyNode } from './tree';

/** The library object a binding holds, in the index's terms; undefined for what the index does not keep. */
export function holdingOf(binding: Binding | undefined): Holding | undefined {
  if (!binding) return undefined;
  const library = binding.table.library === 'unknown' ? undefined : binding.table.library;
  const origin = binding.factory?.callee ?? binding.method?.name;
  const base = { ...(library ? { library } : {}), ...(origin ? { origin } : {}), ...(binding.autocommit ? { autocommit: true as const } : {}) };
  switch (binding.role) {
    case 'connection':
      return { kind: binding.checkout || binding.method?.kind === 'acquire' ? 'checkout' : 'connection', ...base };
    case 'pool':
    case 'engine':
    case 'session-factory':
    case 'session':
    case 'transaction':
      return { kind: binding.role, ...base };
    case 'object':
      return binding.members && hasMembers(binding.members) ? { kind: 'object', members: binding.members } : undefined;
  }
}

function hasMembers(members: ObjectFacts): boolean {
  return Object.keys(members.attributes).length > 0 || Object.keys(members.methods).length > 0;
}

/** Ranks what a function may return: a connection the caller must release first, then shared objects. */
const RETURN_PREFERENCE: Readonly<Record<Holding['kind'], number>> = {
  checkout: 6, connection: 6, session: 5, pool: 4, engine: 4, 'session-factory': 3, object: 2, transaction: 1,
};

/** How a call ends the path it is on, if it never returns. */
export function neverReturningCall(file: PythonFile, call: PyNode, scope: Scope): 'raises' | 'exits' | undefined {
  const callee = field(call, 'function');
  if (!callee) return undefined;
  const qualified = file.qualifiedName(callee);
  if (qualified && NEVER_RETURNING_CALLS[qualified]) return NEVER_RETURNING_CALLS[qualified];
  if (callee.type === 'identifier' && EXITING_BUILTINS.has(file.text(callee)) && !file.imports.has(file.text(callee)) && !file.functionsByName.has(file.text(callee))) return 'exits';
  return file.callFacts(call, scope)?.neverReturns;
}

/** The statement at the end of a block, when it is a bare call that never returns. */
function endsWithNeverReturning(file: PythonFile, block: PyNode, scope: Scope): 'raises' | 'exits' | undefined {
  const statements = block.children.filter((child) => child.named && child.type !== 'comment');
  const last = statements[statements.length - 1];
  if (!last) return undefined;
  if (last.type === 'raise_statement') return 'raises';
  if (last.type === 'expression_statement') {
    const inner = last.children.find((child) => child.named);
    const call = inner?.type === 'await' ? inner.children.find((child) => child.type === 'call') : inner;
    if (call?.type === 'call') return neverReturningCall(file, call, scope);
  }
  if (last.type === 'if_statement') {
    // Every branch (with an `else`) ends the path.
    const branches = [field(last, 'consequence'), ...last.children.filter((c) => c.type === 'elif_clause' || c.type === 'else_clause').map((c) => field(c, 'consequence') ?? field(c, 'body'))];
    if (!last.children.some((c) => c.type === 'else_clause')) return undefined;
    let outcome: 'raises' | 'exits' | undefined = 'exits';
    for (const branch of branches) {
      const ends = branch ? endsWithNeverReturning(file, branch, scope) : undefined;
      if (!ends) return undefined;
      if (ends === 'raises') outcome = 'raises';
    }
    return outcome;
  }
  return undefined;
}

/** Parameter names in order, without `self`/`cls` of a method. */
export function parameterNames(file: PythonFile, fn: PyNode, isMethod: boolean): string[] {
  const parameters = field(fn, 'parameters');
  const names: string[] = [];
  for (const parameter of parameters?.children ?? []) {
    let nameNode: PyNode | undefined;
    if (parameter.type === 'identifier') nameNode = parameter;
    else if (parameter.type === 'typed_parameter') nameNode = parameter.children.find((c) => c.type === 'identifier');
    else if (parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter') nameNode = field(parameter, 'name');
    else continue;
    if (nameNode) names.push(file.text(nameNode));
  }
  if (isMethod && (names[0] === 'self' || names[0] === 'cls')) names.shift();
  return names;
}

/** Methods that close or give back the object they are called on, or the argument they are given. */
const RELEASE_METHODS_ON_HANDLE: ReadonlySet<string> = new Set(['close', 'release', 'dispose', 'terminate']);
const RELEASE_METHODS_OF_OWNER: ReadonlySet<string> = new Set(['putconn', 'release']);

/** Whether the scope releases the value of `name` anywhere (a call on it, to a pool, or through a helper that does). */
export function releasesName(file: PythonFile, scope: Scope, name: string): boolean {
  for (const call of file.nodesIn(scope, ['call'])) {
    const callee = field(call, 'function');
    if (!callee) continue;
    if (callee.type === 'attribute') {
      const object = field(callee, 'object');
      const method = field(callee, 'attribute');
      if (object && method && file.text(object) === name && RELEASE_METHODS_ON_HANDLE.has(file.text(method))) return true;
      if (method && RELEASE_METHODS_OF_OWNER.has(file.text(method))) {
        const first = file.callArguments(call).positional[0];
        if (first?.type === 'identifier' && file.text(first) === name) return true;
      }
    }
    const args = file.callArguments(call).positional;
    const position = args.findIndex((arg) => arg.type === 'identifier' && file.text(arg) === name);
    if (position !== -1 && file.callFacts(call, scope)?.releases?.includes(position)) return true;
  }
  return false;
}

/** Whether the value made at `call` is kept beyond the call: in a global, on an object (not Flask's per-request `g`), or in a container. */
export function keptBeyondCall(file: PythonFile, call: PyNode, scope: Scope): boolean {
  let node: PyNode = call;
  while (node.parent && (node.parent.type === 'await' || node.parent.type === 'parenthesized_expression')) node = node.parent;
  const parent = node.parent;
  if (parent?.type === 'assignment' && field(parent, 'right') === node) {
    const left = field(parent, 'left');
    if (left?.type === 'attribute') {
      const object = field(left, 'object');
      if (object && file.qualifiedName(object) === 'flask.g') return false;
      // `self.conn = connect()` in a constructor or `__enter__`: a new one per instance, not a singleton.
      if (object && file.text(object) === 'self' && isInstanceSetup(file, scope)) return false;
      return true;
    }
    if (left?.type === 'subscript') return true;
    if (left?.type === 'identifier') {
      if (scope.isModule) return true;
      const name = file.text(left);
      // `global pool; if pool is None: pool = create_pool()`: made once. Unguarded, it is made on every call.
      if (file.globalNames(scope).has(name)) return guardedBy(file, scope, parent, name);
      // `conn = connect(); self.conn = conn` / `cache[key] = conn`: kept on an object.
      return assignedOnward(file, scope, name, parent.end);
    }
  }
  return false;
}

const INSTANCE_SETUP_METHODS: ReadonlySet<string> = new Set(['__init__', '__enter__', '__aenter__']);

function isInstanceSetup(file: PythonFile, scope: Scope): boolean {
  const name = scope.isModule ? undefined : field(scope.node, 'name');
  return name !== undefined && INSTANCE_SETUP_METHODS.has(file.text(name));
}

/** An assignment to `name` that runs only when `name` is not set yet: inside an `if` that tests it, or after one that returns. */
function guardedBy(file: PythonFile, scope: Scope, assignment: PyNode, name: string): boolean {
  const mentions = (node: PyNode | undefined): boolean => {
    if (!node) return false;
    if (node.type === 'identifier' && file.text(node) === name) return true;
    let found = false;
    walk(node, (n) => {
      if (n.type === 'identifier' && file.text(n) === name) found = true;
      return !found;
    });
    return found;
  };
  for (let p = assignment.parent; p && p !== scope.node; p = p.parent) {
    if ((p.type === 'if_statement' || p.type === 'elif_clause' || p.type === 'while_statement') && mentions(field(p, 'condition'))) return true;
  }
  return file.nodesIn(scope, ['if_statement']).some((node) => node.end <= assignment.start && mentions(field(node, 'condition')));
}

function assignedOnward(file: PythonFile, scope: Scope, name: string, after: number): boolean {
  for (const assignment of file.nodesIn(scope, ['assignment'])) {
    if (assignment.start < after) continue;
    const left = field(assignment, 'left');
    const right = field(assignment, 'right');
    if (right?.type === 'identifier' && file.text(right) === name && (left?.type === 'attribute' || left?.type === 'subscript')) {
      const object = left.type === 'attribute' ? field(left, 'object') : undefined;
      if (object && file.qualifiedName(object) === 'flask.g') continue;
      return true;
    }
  }
  return false;
}

function isMethod(fn: PyNode): boolean {
  let parent = fn.parent;
  if (parent?.type === 'decorated_definition') parent = parent.parent;
  return parent?.type === 'block' && parent.parent?.type === 'class_definition';
}

/**
 * What a `return` hands the caller. A connection counts only when this call made it and kept it
 * nowhere else: `return g.db` or `return self.conn` lends a connection someone else owns (a Flask
 * teardown, the object), and the caller must not close it.
 */
function returnedHolding(file: PythonFile, scope: Scope, fn: PyNode, value: PyNode): Holding | undefined {
  const binding = file.valueOf(value, scope);
  const holding = holdingOf(binding);
  if (!holding || !binding) return undefined;
  if (holding.kind !== 'connection' && holding.kind !== 'checkout' && holding.kind !== 'session') return holding;
  const inner = unwrapValue(value);
  if (inner.type !== 'call' && inner.type !== 'identifier') return undefined;
  if (binding.call.start < fn.start || binding.call.end > fn.end || binding.call.type !== 'call') return undefined;
  if (keptBeyondCall(file, binding.call, scope) || isFlaskGlobal(file, binding.call)) return undefined;
  if (inner.type === 'identifier' && file.globalNames(scope).has(file.text(inner))) return undefined;
  // `ret = connect(...); ret.autocommit = True; return ret`: the caller gets an autocommit connection.
  if (inner.type === 'identifier' && setsAutocommit(file, scope, file.text(inner))) return { ...holding, autocommit: true };
  return holding;
}

function setsAutocommit(file: PythonFile, scope: Scope, name: string): boolean {
  return file.nodesIn(scope, ['assignment']).some((node) => {
    const left = field(node, 'left');
    const right = field(node, 'right');
    return left?.type === 'attribute' && right?.type === 'true' && file.text(field(left, 'attribute')!) === 'autocommit' && file.text(field(left, 'object')!) === name;
  });
}

/** `g.db = connect()`: the connection belongs to the request context (closed at teardown), not to whoever reads it. */
function isFlaskGlobal(file: PythonFile, call: PyNode): boolean {
  const parent = call.parent?.type === 'await' ? call.parent.parent : call.parent;
  if (parent?.type !== 'assignment') return false;
  const left = field(parent, 'left');
  const object = left?.type === 'attribute' ? field(left, 'object') : undefined;
  return object !== undefined && file.qualifiedName(object) === 'flask.g';
}

function unwrapValue(node: PyNode): PyNode {
  let current = node;
  while ((current.type === 'await' || current.type === 'parenthesized_expression') && current.children.some((c) => c.named)) current = current.children.find((c) => c.named && c.type !== 'comment')!;
  return current;
}

export function computeFunctionFacts(file: PythonFile, fn: PyNode): FunctionFacts {
  const scope = file.scopeOfFunction(fn);
  if (!scope) return {};
  const facts: { -readonly [K in keyof FunctionFacts]: FunctionFacts[K] } = {};
  const generator = file.nodesIn(scope, ['yield']).length > 0;

  if (generator) {
    for (const node of file.nodesIn(scope, ['yield'])) {
      const value = node.children.find((child) => child.named && child.type !== 'comment');
      const holding = value ? holdingOf(file.valueOf(value, scope)) : undefined;
      if (holding && (holding.kind === 'connection' || holding.kind === 'checkout' || holding.kind === 'session')) facts.yields = holding;
    }
  } else {
    let best: Holding | undefined;
    let bestAt: number | undefined;
    for (const node of file.nodesIn(scope, ['return_statement'])) {
      const value = node.children.find((child) => child.named && child.type !== 'comment');
      if (!value) continue;
      // `return conn, cur`: the connection travels in a tuple.
      const elements = value.type === 'expression_list' || value.type === 'tuple' ? value.children.filter((c) => c.named && c.type !== 'comment') : [value];
      elements.forEach((element, index) => {
        const holding = returnedHolding(file, scope, fn, element);
        if (holding && (!best || RETURN_PREFERENCE[holding.kind] > RETURN_PREFERENCE[best.kind])) {
          best = holding;
          bestAt = elements.length > 1 ? index : undefined;
        }
      });
    }
    if (best) facts.returns = best;
    if (best && bestAt !== undefined) facts.returnsAt = bestAt;
  }

  const cached = isCached(file, fn);
  for (const call of cached ? [] : file.nodesIn(scope, ['call'])) {
    const entry = file.factoryCallAt(call);
    if (!entry) continue;
    const factory = entry.factory;
    if (factory.produces !== 'connection' && factory.produces !== 'pool' && factory.produces !== 'engine') continue;
    // A connection cached on Flask's `g` is opened once per request context and reused by every
    // call in it (the Flask tutorial's pattern): calling the helper repeatedly opens nothing more.
    // A whole pool or engine there is still one per request.
    if (factory.produces === 'connection' && isFlaskGlobal(file, call)) continue;
    if (!keptBeyondCall(file, call, scope)) facts.opens = strongest(facts.opens, factory.produces);
  }
  for (const call of file.nodesIn(scope, ['call'])) {
    const opens = cached ? undefined : file.callFacts(call, scope)?.opens;
    if (opens && !keptBeyondCall(file, call, scope)) facts.opens = strongest(facts.opens, opens);
  }

  for (const call of file.nodesIn(scope, ['call'])) {
    // A statement whose failure this function catches and absorbs cannot reach a caller.
    if (caughtHere(file, call, scope)) continue;
    const callee = field(call, 'function');
    if (callee?.type === 'attribute' && STATEMENT_METHODS.has(file.text(field(callee, 'attribute')!))) {
      const behind = connectionBehind(file, scope, field(callee, 'object')!, 0);
      const poisons = behind !== undefined && poisonsOnFailure(behind.binding, file.text(field(callee, 'attribute')!));
      const holding = behind && poisons && isShared(file, scope, behind.binding) ? holdingOf(behind.binding) : undefined;
      if (holding) {
        facts.sharedConnection = holding;
        break;
      }
    }
    const through = file.callFacts(call, scope)?.sharedConnection;
    if (through) {
      facts.sharedConnection = through;
      break;
    }
  }

  if (file.nodesIn(scope, ['call']).some((call) => isDatabaseCall(file, scope, call))) facts.queries = true;
  // A sleep in an `except` is a retry's backoff, not a wait on the normal path.
  if (file.nodesIn(scope, ['call']).some((call) => isSlowCall(file, scope, call) && !insideExcept(call, scope))) facts.slowIo = true;

  if (facts.opens && retargetsArgument(file, scope, parameterNames(file, fn, isMethod(fn)))) facts.retargets = true;

  const method = isMethod(fn);
  const released = parameterNames(file, fn, method).flatMap((name, index) => (releasesName(file, scope, name) ? [index] : []));
  if (released.length > 0) facts.releases = released;

  const annotation = field(fn, 'return_type');
  const annotated = annotation ? (file.qualifiedName(annotation.children[0] ?? annotation) ?? file.text(annotation)) : undefined;
  if (annotated && NEVER_RETURNING_ANNOTATIONS.has(annotated)) facts.neverReturns = 'raises';
  else if (!generator && file.nodesIn(scope, ['return_statement']).length === 0) {
    const body = field(fn, 'body');
    const ends = body ? endsWithNeverReturning(file, body, scope) : undefined;
    if (ends) facts.neverReturns = ends;
  }
  return facts;
}

/** A function whose result a caching decorator keeps (`@cache.memoize(5)`, `@lru_cache`): its body does not run on every call. */
export function isCached(file: PythonFile, fn: PyNode): boolean {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  for (const decorator of decorated?.children.filter((c) => c.type === 'decorator') ?? []) {
    let expression = decorator.children.find((c) => c.named);
    if (expression?.type === 'call') expression = field(expression, 'function');
    const name = expression?.type === 'attribute' ? field(expression, 'attribute') : expression;
    if (name && CACHING_DECORATOR_NAMES.has(file.text(name))) return true;
  }
  return false;
}

/** Whether a call sits in a `try` body whose handlers catch broadly (or database errors) and do not re-raise. */
function caughtHere(file: PythonFile, call: PyNode, scope: Scope): boolean {
  for (let p = call.parent; p && p !== scope.node; p = p.parent) {
    if (p.type !== 'block' || p.parent?.type !== 'try_statement' || field(p.parent, 'body') !== p) continue;
    const handlers = p.parent.children.filter((c) => c.type === 'except_clause');
    if (handlers.length === 0) continue;
    // The function cleans up itself on failure (closes or rolls back the connection, then re-raises).
    const cleansUp = [...handlers, ...p.parent.children.filter((c) => c.type === 'finally_clause')].some((clause) => endsConnection(file, clause));
    if (cleansUp) return true;
    const absorbs = handlers.some((handler) => {
      const names = handlerExceptionNames(file, handler);
      let raises = false;
      walk(handler, (n) => {
        if (n.type === 'raise_statement') raises = true;
        return !raises;
      });
      return !raises && (names === undefined || names.some((name) => name === 'builtins.Exception' || name === 'builtins.BaseException' || databaseExceptionName(name)));
    });
    if (absorbs) return true;
  }
  return false;
}

const ENDING_METHODS: ReadonlySet<string> = new Set(['rollback', 'close', 'putconn', 'release']);

function endsConnection(file: PythonFile, clause: PyNode): boolean {
  let found = false;
  walk(clause, (n) => {
    if (n.type === 'call') {
      const callee = field(n, 'function');
      if (callee?.type === 'attribute' && ENDING_METHODS.has(file.text(field(callee, 'attribute')!))) found = true;
    }
    return !found;
  });
  return found;
}

/** Qualified names an except clause catches; undefined for a bare `except:`. */
function databaseExceptionName(name: string): boolean {
  return databaseException(name) !== undefined;
}

function handlerExceptionNames(file: PythonFile, handler: PyNode): string[] | undefined {
  const typeNode = handler.children.find((c) => c.named && c.type !== 'block' && c.type !== 'comment');
  if (!typeNode) return undefined;
  const target = typeNode.type === 'as_pattern' ? typeNode.children[0] : typeNode;
  const nodes = target.type === 'tuple' || target.type === 'parenthesized_expression' ? target.children.filter((c) => c.named) : [target];
  return nodes.map((n) => file.qualifiedName(n) ?? (n.type === 'identifier' ? `builtins.${file.text(n)}` : file.text(n)));
}

function insideExcept(node: PyNode, scope: Scope): boolean {
  for (let p = node.parent; p && p !== scope.node; p = p.parent) if (p.type === 'except_clause') return true;
  return false;
}

/** Keys of connection settings that choose the database. */
const TARGET_KEYS: ReadonlySet<string> = new Set(['dbname', 'database', 'db', 'host', 'dsn', 'url']);

/** `config["dbname"] = …` / `config.database = …` on a parameter. */
function retargetsArgument(file: PythonFile, scope: Scope, parameters: readonly string[]): boolean {
  return file.nodesIn(scope, ['assignment']).some((assignment) => {
    const left = field(assignment, 'left');
    if (left?.type === 'subscript') {
      const object = field(left, 'value');
      const key = file.stringValue(field(left, 'subscript'));
      return object?.type === 'identifier' && parameters.includes(file.text(object)) && key !== undefined && TARGET_KEYS.has(key);
    }
    if (left?.type === 'attribute') {
      const object = field(left, 'object');
      return object?.type === 'identifier' && parameters.includes(file.text(object)) && TARGET_KEYS.has(file.text(field(left, 'attribute')!));
    }
    return false;
  });
}

function strongest(current: FunctionFacts['opens'], next: NonNullable<FunctionFacts['opens']>): NonNullable<FunctionFacts['opens']> {
  const rank = { connection: 1, engine: 2, pool: 3 } as const;
  return current && rank[current] >= rank[next] ? current : next;
}

/** The module's facts for the project index. */
export function moduleFactsOf(file: PythonFile): ModuleFacts {
  file.collectAll();
  const names: Record<string, Holding> = {};
  for (const [name, binding] of file.moduleScope.locals) {
    const holding = binding ? holdingOf(binding) : undefined;
    if (holding) names[name] = holding;
  }
  const functions: Record<string, FunctionFacts> = {};
  for (const [name, fn] of file.functionsByName) {
    const facts = file.functionFacts(fn);
    if (Object.keys(facts).length > 0) functions[name] = facts;
  }
  const classes: Record<string, ObjectFacts> = {};
  for (const [name, cls] of file.classesByName) {
    const facts = file.classFacts(cls);
    if (hasMembers(facts)) classes[name] = facts;
  }
  const reexports: Record<string, { specifier: string; name: string }> = {};
  const imports = new Set<string>();
  for (const [local, origin] of file.projectImports) {
    imports.add(origin.specifier);
    if (origin.name !== undefined && !(local in names)) reexports[local] = { specifier: origin.specifier, name: origin.name };
  }
  const libraries: Record<string, { module: string; path: string[] }> = {};
  for (const [local, qualified] of file.imports) {
    const parts = qualified.split('.');
    if (LIBRARY_MODULES.has(parts[0])) libraries[local] = { module: parts[0], path: parts.slice(1) };
  }
  const attributes: Record<string, Holding | null> = {};
  for (const write of [...file.attributeWrites.values(), ...file.selfAttributeWrites.values()]) {
    const holding = holdingOf(write.binding);
    if (!holding) continue;
    const existing = attributes[write.attribute];
    if (existing === undefined) attributes[write.attribute] = holding;
    else if (existing !== null && (existing.kind !== holding.kind || existing.library !== holding.library)) attributes[write.attribute] = null;
  }
  return { names, functions, classes, reexports, libraries, imports: [...imports].sort(), attributes };
}
