import type { PythonFile, Scope } from '../model';
import type { PythonRule } from '../rule';
import { ancestors, field, type PyNode } from '../tree';
import { calleeText } from './common';

/** Web frameworks whose app/router objects register request handlers with decorators. */
const APP_CLASSES: ReadonlySet<string> = new Set([
  'flask.Flask', 'flask.Blueprint', 'fastapi.FastAPI', 'fastapi.APIRouter', 'quart.Quart', 'quart.Blueprint', 'sanic.Sanic', 'starlette.applications.Starlette',
]);
const ROUTE_METHODS: ReadonlySet<string> = new Set(['route', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'api_route', 'websocket']);
/** Decorators that by themselves make a function a request handler. */
const HANDLER_DECORATORS: ReadonlySet<string> = new Set([
  'rest_framework.decorators.api_view', 'django.views.decorators.http.require_http_methods', 'django.views.decorators.http.require_GET',
  'django.views.decorators.http.require_POST', 'django.views.decorators.http.require_safe',
]);

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

function isRequestHandler(file: PythonFile, fn: PyNode, apps: ReadonlySet<string>): boolean {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  if (!decorated) return false;
  for (const decorator of decorated.children.filter((c) => c.type === 'decorator')) {
    let expression = decorator.children.find((c) => c.named);
    if (expression?.type === 'call') expression = field(expression, 'function');
    if (!expression) continue;
    const qualified = file.qualifiedName(expression);
    if (qualified && HANDLER_DECORATORS.has(qualified)) return true;
    if (expression.type === 'attribute') {
      const object = field(expression, 'object');
      const method = field(expression, 'attribute');
      if (object?.type === 'identifier' && method && apps.has(file.text(object)) && ROUTE_METHODS.has(file.text(method))) return true;
    }
  }
  return false;
}

/** A `for` loop that is not a retry loop (retries reconnect on purpose: require-retry-backoff covers them). */
function enclosingIterationLoop(call: PyNode, scope: Scope): PyNode | undefined {
  for (const ancestor of ancestors(call)) {
    if (ancestor === scope.node) return undefined;
    if (ancestor.type === 'try_statement') return undefined;
    if (ancestor.type === 'for_statement') {
      const body = field(ancestor, 'body');
      return body && call.start >= body.start ? ancestor : undefined;
    }
  }
  return undefined;
}

export const noConnectPerRequest: PythonRule = {
  name: 'no-connect-per-request',
  check(file, report) {
    const apps = appObjects(file);
    for (const { call, factory, scope } of file.factoryCalls()) {
      const what = factory.produces === 'connection' ? 'a new connection' : factory.produces === 'pool' ? 'a new pool' : 'a new engine (and pool)';
      if (!scope.isModule && isRequestHandler(file, scope.node, apps)) {
        const name = field(scope.node, 'name');
        report({
          at: call,
          message: `\`${calleeText(file, call)}()\` opens ${what} on every request to \`${name ? file.text(name) : 'this handler'}\`: create it once at startup and take connections from a shared pool.`,
        });
        continue;
      }
      if (factory.produces === 'connection' && file.acquisitionOf(call, scope) === undefined) continue;
      const loop = enclosingIterationLoop(call, scope);
      if (loop) {
        report({ at: call, message: `\`${calleeText(file, call)}()\` opens ${what} on every iteration of the loop on line ${file.source.positionAt(loop.start).line}: open it once before the loop.` });
      }
    }
  },
};
