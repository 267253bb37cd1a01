/**
 * How request handlers are recognised: Express, Fastify, Koa routers and Next.js API routes. A
 * function is a handler when it is registered through one of these methods, or exported under one
 * of the Next.js route names.
 */

/** `app.get(path, handler)`, `router.post(...)`, `fastify.route(...)`, `app.use(handler)`. */
export const ROUTE_REGISTRATION_METHODS: ReadonlySet<string> = new Set([
  'get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options', 'use', 'route',
]);

/** First parameter names of handler functions (Express/Next `req`, Fastify `request`, Koa `ctx`). */
export const HANDLER_FIRST_PARAMETER_NAMES: ReadonlySet<string> = new Set(['req', 'request', 'ctx', 'context']);

/** Next.js app-router route exports (`export async function GET(request)`). */
export const NEXT_ROUTE_EXPORTS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * The first two parameter names of a handler, wherever it is defined: Express/Next `(req, res)`,
 * Koa `(ctx, next)`, Fastify `(request, reply)`, Hapi `(request, h)`. A function with this signature
 * runs once per request even when the route table that registers it lives in another file.
 */
export const HANDLER_PARAMETER_PAIRS: readonly (readonly [string, string])[] = [
  ['req', 'res'], ['request', 'response'], ['request', 'reply'], ['request', 'h'], ['ctx', 'next'], ['req', 'reply'],
];
