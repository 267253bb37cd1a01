import { own, type FunctionFacts } from '../../engine/project/facts';
import { keptBeyondCall } from '../facts';
import {
  APP_CLASSES, DEPENDENCY_MARKERS, EVENT_DECORATOR_METHOD, HANDLER_DECORATOR_METHODS, HANDLER_DECORATORS, HANDLER_PARAMETER_TYPES,
  HANDLER_REGISTRATION_CLASSES, HANDLER_REGISTRATION_METHODS, PATH_ROUTE_METHODS, ROUTE_METHODS,
} from '../libraries/frameworks';
import type { PythonFile, Scope } from '../model';
import type { PythonRule } from '../rule';
import { ancestors, field, walk, type PyNode } from '../tree';
import { isCached } from '../facts';
import { calleeText } from './common';

function appObjects(file: PythonFile): Set<string> {
  const names = new Set<string>();
  for (const statement of file.root.children) {
    const assignment = statement.type === 'expression_statement' ? statement.children[0] : undefined;
    if (assignment?.type !== 'assignment') continue;
    const left = field(assignment, 'left');
    const right = field(assignment, 'right');
    const callee = right?.type === 'call' ? field(right, 'function') : undefined;
    const qualified = callee ? file.qualifiedName(callee) : undefined;
    if (left?.type === 'identifier' && qualified && APP_CLASSES.has(qualified)) names.add(file.text(left));
  }
  return names;
}

/** Functions this file registers as handlers by a call: `dp.register_message_handler(start)`, `CommandHandler("x", start)`. */
function registeredHandlers(file: PythonFile): Set<string> {
  const names = new Set<string>();
  for (const { call } of file.calls()) {
    const callee = field(call, 'function');
    if (!callee) continue;
    const method = callee.type === 'attribute' ? file.text(field(callee, 'attribute')!) : undefined;
    const qualified = file.qualifiedName(callee);
    if (!(method && HANDLER_REGISTRATION_METHODS.has(method)) && !(qualified && HANDLER_REGISTRATION_CLASSES.has(qualified))) continue;
    const args = file.callArguments(call);
    for (const arg of [...args.positional, ...[...args.keywords.entries()].filter(([k]) => k === 'view_func' || k === 'endpoint' || k === 'callback').map(([, v]) => v)]) {
      if (arg.type === 'identifier') names.add(file.text(arg));
    }
  }
  return names;
}

/** Whether `fn` runs once per request, message or event: decorated as a route or command, registered, or typed as one. */
function isRequestHandler(file: PythonFile, fn: PyNode, apps: ReadonlySet<string>, registered: ReadonlySet<string>): boolean {
  const name = field(fn, 'name');
  if (name && registered.has(file.text(name))) return true;
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  // A cached view runs once per timeout, not per request.
  if (isCached(file, fn)) return false;
  for (const decorator of decorated?.children.filter((c) => c.type === 'decorator') ?? []) {
    const expression = decorator.children.find((c) => c.named);
    const call = expression?.type === 'call' ? expression : undefined;
    const target = call ? field(call, 'function') : expression;
    if (!target) continue;
    const qualified = file.qualifiedName(target);
    if (qualified && HANDLER_DECORATORS.has(qualified)) return true;
    if (target.type !== 'attribute') continue;
    const object = field(target, 'object');
    const method = file.text(field(target, 'attribute')!);
    if (object?.type === 'identifier' && apps.has(file.text(object)) && ROUTE_METHODS.has(method)) return true;
    const path = call ? file.stringValue(file.callArguments(call).positional[0]) : undefined;
    if (call && PATH_ROUTE_METHODS.has(method) && path !== undefined && (path === '' || path.startsWith('/'))) return true;
    // `command` is also click's and typer's (a CLI command runs once per process).
    if (HANDLER_DECORATOR_METHODS.has(method) && !(method === 'command' && usesCliFramework(file))) return true;
    if (method === EVENT_DECORATOR_METHOD && name && file.text(name).startsWith('on_')) return true;
  }
  // `async def start(message: types.Message)`, `def view(request: HttpRequest)`.
  const parameters = field(fn, 'parameters');
  // A Django function view: `def view(request)` at module level of a file that uses django.http/shortcuts.
  if (fn.parent?.type === 'module' || fn.parent?.parent?.type === 'module') {
    const first = parameters?.children.find((c) => c.type === 'identifier' || c.type === 'typed_parameter');
    const firstName = first?.type === 'identifier' ? file.text(first) : undefined;
    if (firstName === 'request' && usesDjangoViews(file)) return true;
  }
  for (const parameter of parameters?.children ?? []) {
    if (parameter.type !== 'typed_parameter' && parameter.type !== 'typed_default_parameter') continue;
    const type = field(parameter, 'type')?.children[0];
    const annotated = type ? file.qualifiedName(type) : undefined;
    if (annotated && HANDLER_PARAMETER_TYPES.has(annotated)) return true;
  }
  return false;
}

function usesCliFramework(file: PythonFile): boolean {
  for (const qualified of file.imports.values()) if (/^(click|typer)(\.|$)/.test(qualified)) return true;
  return false;
}

function usesDjangoViews(file: PythonFile): boolean {
  for (const qualified of file.imports.values()) if (/^django\.(http|shortcuts|views)(\.|$)/.test(qualified)) return true;
  return false;
}

const CONFIGURATION_ITERABLE = /(database|dsn|db|conn|connection|host|server|shard|tenant|cluster|config|url|node|replica)s?\b/i;

/**
 * The `for` loop that runs `call` once per item, unless the call is a retry (inside a `try`, which
 * require-retry-backoff judges) or connects to something different each time (its arguments use the
 * loop's variable, over configured databases).
 */
function enclosingItemLoop(file: PythonFile, call: PyNode, scope: Scope): PyNode | undefined {
  for (const ancestor of ancestors(call)) {
    if (ancestor === scope.node) return undefined;
    if (ancestor.type === 'try_statement') return undefined;
    if (ancestor.type === 'for_statement') {
      const body = field(ancestor, 'body');
      if (!body || call.start < body.start) return undefined;
      // `for _ in range(retries)`: attempts, not items (require-retry-backoff judges retries).
      if (isAttemptLoop(file, ancestor)) return undefined;
      const variables = loopVariables(file, ancestor);
      const usesLoopVariable = argumentsUse(file, call, variables);
      const iterable = field(ancestor, 'right');
      const left = field(ancestor, 'left');
      if (usesLoopVariable && (isFactoryLike(file, call) || (iterable && CONFIGURATION_ITERABLE.test(file.text(iterable))) || (left && CONFIGURATION_ITERABLE.test(file.text(left))) || targetsLoopDatabase(file, call, variables) || file.callFacts(call, scope)?.retargets)) return undefined;
      return ancestor;
    }
  }
  return undefined;
}

/** Keyword arguments that say which database to connect to. */
const TARGET_KEYWORDS: ReadonlySet<string> = new Set(['dbname', 'database', 'db', 'dsn', 'host', 'url', 'conninfo', 'connstring', 'conn_config', 'config']);

/** `connect(dbname=database)`: the keyword naming the target takes a value from the loop. */
function targetsLoopDatabase(file: PythonFile, call: PyNode, variables: ReadonlySet<string>): boolean {
  for (const [keyword, value] of file.callArguments(call).keywords) {
    if (!TARGET_KEYWORDS.has(keyword)) continue;
    let found = false;
    walk(value, (n) => {
      if (n.type === 'identifier' && variables.has(file.text(n))) found = true;
      return !found;
    });
    if (value.type === 'identifier' && variables.has(file.text(value))) found = true;
    if (found) return true;
  }
  return false;
}

/** `for _ in range(n)` / `for attempt in range(n)`: a counted repetition, not a walk over items. */
function isAttemptLoop(file: PythonFile, loop: PyNode): boolean {
  const iterable = field(loop, 'right');
  const left = field(loop, 'left');
  if (iterable?.type !== 'call' || left?.type !== 'identifier') return false;
  const callee = field(iterable, 'function');
  if (!callee || file.text(callee) !== 'range') return false;
  return /^(_+|attempts?|retr(y|ies)|tries|try_?count|n_?tries)$/i.test(file.text(left));
}

function isFactoryLike(file: PythonFile, call: PyNode): boolean {
  return file.factoryCallAt(call) !== undefined;
}

/**
 * The loop's variables, and names the body derives from them (`config["dbname"] = name`,
 * `dsn = base + name`): a connect that reads them connects somewhere different each round.
 */
function loopVariables(file: PythonFile, loop: PyNode): Set<string> {
  const names = new Set<string>();
  const left = field(loop, 'left');
  if (left?.type === 'identifier') names.add(file.text(left));
  else if (left) walk(left, (n) => void (n.type === 'identifier' && names.add(file.text(n))));
  const body = field(loop, 'body');
  if (body) {
    walk(body, (node) => {
      if (node.type !== 'assignment') return;
      const target = field(node, 'left');
      const value = field(node, 'right');
      if (!target || !value) return;
      let usesLoop = false;
      walk(node, (n) => {
        if (n.type === 'identifier' && names.has(file.text(n))) usesLoop = true;
        return !usesLoop;
      });
      const base = target.type === 'subscript' || target.type === 'attribute' ? target.children[0] : target;
      if (usesLoop && base?.type === 'identifier') names.add(file.text(base));
    });
  }
  return names;
}

function argumentsUse(file: PythonFile, call: PyNode, names: ReadonlySet<string>): boolean {
  const list = field(call, 'arguments');
  let found = false;
  if (list) walk(list, (n) => {
    if (n.type === 'identifier' && names.has(file.text(n))) found = true;
    return !found;
  });
  return found;
}

const WHAT: Record<NonNullable<FunctionFacts['opens']>, string> = { connection: 'a new connection', pool: 'a new pool', engine: 'a new engine (and pool)' };

/** What a call opens: a library factory, a helper whose facts say it opens, a class whose constructor or `__enter__` does. */
function opensAt(file: PythonFile, scope: Scope, call: PyNode): { what: string; via?: string } | undefined {
  const factory = file.factoryCallAt(call);
  if (factory) {
    const produces = factory.factory.produces;
    if (produces !== 'connection' && produces !== 'pool' && produces !== 'engine') return undefined;
    if (produces === 'connection' && file.acquisitionOf(call, scope) === undefined) return undefined;
    return { what: WHAT[produces] };
  }
  const callee = field(call, 'function');
  if (!callee) return undefined;
  const target = file.calleeOf(callee, scope);
  if (target?.kind === 'function' && target.facts.opens) return { what: WHAT[target.facts.opens], via: calleeText(file, call) };
  if (target?.kind === 'class') {
    const opening = ['__init__', '__enter__', '__aenter__'].map((m) => own(target.facts.methods, m)?.opens).find((o) => o !== undefined);
    if (opening) return { what: WHAT[opening], via: calleeText(file, call) };
  }
  return undefined;
}

export const noConnectPerRequest: PythonRule = {
  name: 'no-connect-per-request',
  check(file, report) {
    const apps = appObjects(file);
    const registered = registeredHandlers(file);
    for (const scope of file.scopes) {
      if (scope.isModule) continue;
      const handler = isRequestHandler(file, scope.node, apps, registered);
      const handlerName = field(scope.node, 'name');
      // One finding per handler and per loop: the first call that opens (later ones often reuse it, `g.db`).
      let handlerReported = false;
      const loopsReported = new Set<PyNode>();
      for (const call of file.nodesIn(scope, ['call'])) {
        const opened = opensAt(file, scope, call);
        if (!opened) continue;
        // A lazily created singleton (kept in a global or on an object) is opened once, not per call.
        if (keptBeyondCall(file, call, scope)) continue;
        const how = opened.via ? `\`${opened.via}()\` opens ${opened.what}` : `\`${calleeText(file, call)}()\` opens ${opened.what}`;
        if (handler) {
          if (handlerReported) continue;
          handlerReported = true;
          report({ at: call, message: `${how} on every request to \`${handlerName ? file.text(handlerName) : 'this handler'}\`: create it once at startup and take connections from a shared pool.` });
          continue;
        }
        const loop = enclosingItemLoop(file, call, scope);
        if (!loop || loopsReported.has(loop)) continue;
        loopsReported.add(loop);
        report({ at: call, message: `${how} on every iteration of the loop on line ${file.source.positionAt(loop.start).line}: open it once before the loop.` });
      }
      if (handler) checkDependencies(file, scope, report);
    }
  },
};

/** FastAPI: `conn = Depends(get_connection)` where the dependency opens a connection per request. */
function checkDependencies(file: PythonFile, scope: Scope, report: Parameters<PythonRule['check']>[1]): void {
  const parameters = field(scope.node, 'parameters');
  if (!parameters) return;
  walk(parameters, (node) => {
    if (node.type !== 'call') return;
    const callee = field(node, 'function');
    if (!callee || !DEPENDENCY_MARKERS.has(file.qualifiedName(callee) ?? '')) return;
    const dependency = file.callArguments(node).positional[0];
    const target = dependency ? file.calleeOf(dependency, file.moduleScope) : undefined;
    if (target?.kind !== 'function' || !target.facts.opens) return;
    report({ at: node, message: `\`${file.text(dependency!)}\` opens ${WHAT[target.facts.opens]} for every request that depends on it: take connections from a pool created once at startup.` });
  });
}


