import { DEFAULT_SERVER_CONNECTION_BUDGET } from '../../engine/libraries/evidence';

/**
 * What each supported driver's API does, as data: which calls create pools and connections, which
 * check a connection out, which give it back, and what its options mean. The rules read these
 * tables; a new driver is a new entry here plus tests. Facts are from each library's own docs and
 * source (node-postgres / pg-pool 8.x, mysql2 3.x, mysqljs/mysql 2.x).
 */

export type DriverName = 'pg' | 'mysql2' | 'mysql';

/** A pool hands out connections; a connection is one session; a checkout is a connection lent by a pool. */
export type HandleKind = 'pool' | 'connection' | 'checkout';

export interface Factory {
  readonly kind: Exclude<HandleKind, 'checkout'>;
  /** `new Pool(...)` versus `mysql.createPool(...)`. */
  readonly construct: 'new' | 'call';
}

export interface PoolOptionFacts {
  /** Option that bounds how long a checkout waits; absent when the driver has none. */
  readonly acquireTimeoutOption?: string;
  /** The pool queues checkouts unless this option is `false` (mysql, mysql2: `waitForConnections`). */
  readonly waitOption?: string;
  /** Option bounding the queue of waiting checkouts; a positive value makes overload fail fast. */
  readonly queueLimitOption?: string;
  readonly maxOption: string;
  readonly minOption?: string;
  /** What `max` defaults to when unset. */
  readonly defaultMax: number;
}

export interface DriverFacts {
  readonly driver: DriverName;
  /** Module specifiers and whether the API they export returns promises. */
  readonly modules: Readonly<Record<string, { readonly promise: boolean }>>;
  /** Keyed by the exported name: `Pool`, `createPool`. */
  readonly factories: Readonly<Record<string, Factory>>;
  /** Methods on a pool that check a connection out. */
  readonly checkoutMethods: readonly string[];
  /** Methods on a checked-out connection that give it back (or destroy it). */
  readonly checkoutReleaseMethods: readonly string[];
  /** Methods that close a standalone connection. */
  readonly connectionCloseMethods: readonly string[];
  readonly pool: PoolOptionFacts;
  /** Option naming the connect timeout, and its default in ms (0 = waits for the operating system). */
  readonly connectTimeout: { readonly option: string; readonly defaultMs: number };
  /** Options that bound statement run time on every query of the pool/connection. */
  readonly statementTimeoutOptions: readonly string[];
  /** The most connections a server with default settings grants to ordinary users. */
  readonly defaultServerConnectionBudget: number;
}

const pg: DriverFacts = {
  driver: 'pg',
  modules: { pg: { promise: true } },
  factories: { Pool: { kind: 'pool', construct: 'new' }, Client: { kind: 'connection', construct: 'new' } },
  // pool.connect() resolves to a PoolClient; pool.connect((err, client, done) => ...) is the callback form.
  checkoutMethods: ['connect'],
  checkoutReleaseMethods: ['release'],
  connectionCloseMethods: ['end'],
  pool: {
    // pg-pool: connectionTimeoutMillis defaults to 0, and 0 means a checkout waits forever.
    acquireTimeoutOption: 'connectionTimeoutMillis',
    maxOption: 'max',
    minOption: 'min',
    defaultMax: 10,
  },
  // pg Client: connectionTimeoutMillis defaults to 0, "no timeout"; PGCONNECT_TIMEOUT only reaches pg-native.
  connectTimeout: { option: 'connectionTimeoutMillis', defaultMs: 0 },
  // statement_timeout is enforced by the server, query_timeout by the client; both are per-connection config.
  statementTimeoutOptions: ['statement_timeout', 'query_timeout'],
  // PostgreSQL: max_connections 100 minus superuser_reserved_connections 3 (shared with the Python rules).
  defaultServerConnectionBudget: DEFAULT_SERVER_CONNECTION_BUDGET.postgresql,
};

const mysql2: DriverFacts = {
  driver: 'mysql2',
  modules: { mysql2: { promise: false }, 'mysql2/promise': { promise: true } },
  factories: {
    createPool: { kind: 'pool', construct: 'call' },
    createConnection: { kind: 'connection', construct: 'call' },
  },
  checkoutMethods: ['getConnection'],
  checkoutReleaseMethods: ['release', 'destroy'],
  connectionCloseMethods: ['end', 'destroy'],
  pool: {
    // No acquire timeout exists: with waitForConnections (default true) getConnection queues without limit.
    waitOption: 'waitForConnections',
    queueLimitOption: 'queueLimit',
    maxOption: 'connectionLimit',
    defaultMax: 10,
  },
  // connectTimeout defaults to 10000 ms, so only an explicit 0 disables it.
  connectTimeout: { option: 'connectTimeout', defaultMs: 10_000 },
  statementTimeoutOptions: [],
  // MySQL/MariaDB max_connections defaults to 151.
  defaultServerConnectionBudget: DEFAULT_SERVER_CONNECTION_BUDGET.mysql,
};

const mysql: DriverFacts = {
  driver: 'mysql',
  modules: { mysql: { promise: false } },
  factories: {
    createPool: { kind: 'pool', construct: 'call' },
    createConnection: { kind: 'connection', construct: 'call' },
  },
  checkoutMethods: ['getConnection'],
  checkoutReleaseMethods: ['release', 'destroy'],
  connectionCloseMethods: ['end', 'destroy'],
  pool: {
    // acquireTimeout bounds the connect/ping of an acquired connection, not the wait in the queue.
    waitOption: 'waitForConnections',
    queueLimitOption: 'queueLimit',
    maxOption: 'connectionLimit',
    defaultMax: 10,
  },
  connectTimeout: { option: 'connectTimeout', defaultMs: 10_000 },
  statementTimeoutOptions: [],
  defaultServerConnectionBudget: DEFAULT_SERVER_CONNECTION_BUDGET.mysql,
};

export const DRIVERS: readonly DriverFacts[] = [pg, mysql2, mysql];

export function driverForModule(specifier: string): { facts: DriverFacts; promise: boolean } | undefined {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  for (const facts of DRIVERS) {
    const entry = facts.modules[bare];
    if (entry) return { facts, promise: entry.promise };
  }
  return undefined;
}

export function driverFacts(driver: DriverName): DriverFacts {
  return DRIVERS.find((d) => d.driver === driver) as DriverFacts;
}

/** Methods that run SQL or talk to the server on any handle of any supported driver. */
export const DATABASE_CALL_METHODS: ReadonlySet<string> = new Set([
  'query', 'execute', 'connect', 'getConnection', 'beginTransaction', 'commit', 'rollback',
]);

/** Checkout methods of a pool whose driver is unknown (imported from another module of the project). */
export const ANY_CHECKOUT_METHODS: ReadonlySet<string> = new Set(DRIVERS.flatMap((d) => d.checkoutMethods));
export const ANY_CHECKOUT_RELEASE_METHODS: ReadonlySet<string> = new Set(DRIVERS.flatMap((d) => d.checkoutReleaseMethods));

/** Whether a text names a driver module in quotes (`'pg'`, `"mysql2/promise"`): a cheap pre-check, not analysis. */
export function driverMentionedIn(text: string): boolean {
  for (const facts of DRIVERS) {
    for (const module of Object.keys(facts.modules)) if (text.includes(`'${module}'`) || text.includes(`"${module}"`) || text.includes(`\`${module}\``)) return true;
  }
  return false;
}
