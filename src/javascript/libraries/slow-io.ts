/**
 * Calls that wait on the network or on a timer: made while a connection is checked out, they keep
 * it from every other request for as long as the remote side takes.
 */

/** Modules whose default export / namespace is an HTTP client, and the methods that send requests. */
export const HTTP_CLIENT_MODULES: Readonly<Record<string, { readonly callable: boolean; readonly methods: readonly string[] }>> = {
  axios: { callable: true, methods: ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'] },
  got: { callable: true, methods: ['get', 'post', 'put', 'patch', 'delete', 'head'] },
  'node-fetch': { callable: true, methods: [] },
  undici: { callable: false, methods: ['fetch', 'request'] },
  superagent: { callable: false, methods: ['get', 'post', 'put', 'patch', 'delete', 'head'] },
  http: { callable: false, methods: ['request', 'get'] },
  https: { callable: false, methods: ['request', 'get'] },
  // Mail APIs over HTTP.
  '@sendgrid/mail': { callable: false, methods: ['send', 'sendMultiple'] },
  mailgun: { callable: false, methods: ['messages'] },
};

/** Global functions that send HTTP requests. */
export const GLOBAL_HTTP_FUNCTIONS: ReadonlySet<string> = new Set(['fetch']);

/** `setTimeout` exported by this module returns a promise: `await setTimeout(ms)` sleeps. */
export const PROMISE_TIMER_MODULES: ReadonlySet<string> = new Set(['timers/promises']);

/** Names that, awaited, conventionally sleep (`await sleep(1000)`): project helpers around setTimeout. */
export const SLEEP_FUNCTION_NAMES: ReadonlySet<string> = new Set(['sleep', 'delay', 'wait', 'pause']);
