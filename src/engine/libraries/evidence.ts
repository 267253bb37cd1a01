/**
 * Library knowledge both languages share, in one home: what a pool's vocabulary looks like when the
 * pool's origin cannot be resolved (a parameter, an unknown import), what a default server grants,
 * and the timeouts dbhealth suggests. The per-driver tables (src/python/libraries/,
 * src/javascript/libraries/) read their shared numbers from here.
 */

/**
 * An acquire method and the release that proves its result is a checkout. Precision first: the
 * acquisition counts only when the same function also releases what it took (one half alone is
 * ordinary code: `lock.acquire()`, `socket.connect()`), and, where the pair is common outside
 * databases, when the result is also used the way a connection is (`usedAs`).
 *
 * `releaseOn`: `owner` means `<pool>.<release>(conn)`, `handle` means `conn.<release>()`.
 */
export interface CheckoutVocabulary {
  readonly acquire: string;
  readonly releases: readonly { readonly method: string; readonly on: 'owner' | 'handle' }[];
  /** Methods of which at least one must also be called on the result; empty when the pair is proof enough. */
  readonly usedAs: readonly string[];
}

/** Methods that only a database connection has (cursors, queries, transactions). */
const CONNECTION_USE: readonly string[] = [
  'cursor', 'execute', 'executemany', 'fetch', 'fetchrow', 'fetchval', 'fetchone', 'fetchall', 'copy_expert', 'commit', 'rollback',
  'query', 'begin', 'beginTransaction', 'transaction', 'prepare', 'copy_records_to_table',
];

export const PYTHON_CHECKOUT_VOCABULARY: readonly CheckoutVocabulary[] = [
  // psycopg2 / psycopg_pool
  { acquire: 'getconn', releases: [{ method: 'putconn', on: 'owner' }], usedAs: [] },
  // asyncpg, aiomysql, aiopg
  { acquire: 'acquire', releases: [{ method: 'release', on: 'owner' }, { method: 'release', on: 'handle' }, { method: 'close', on: 'handle' }], usedAs: CONNECTION_USE },
  // mysql-connector pooling
  { acquire: 'get_connection', releases: [{ method: 'close', on: 'handle' }], usedAs: CONNECTION_USE },
  // SQLAlchemy
  { acquire: 'raw_connection', releases: [{ method: 'close', on: 'handle' }], usedAs: CONNECTION_USE },
  { acquire: 'connect', releases: [{ method: 'close', on: 'handle' }], usedAs: CONNECTION_USE },
];

export const JAVASCRIPT_CHECKOUT_VOCABULARY: readonly CheckoutVocabulary[] = [
  // pg: pool.connect() → client.release()
  { acquire: 'connect', releases: [{ method: 'release', on: 'handle' }], usedAs: CONNECTION_USE },
  // mysql, mysql2: pool.getConnection() → connection.release()
  { acquire: 'getConnection', releases: [{ method: 'release', on: 'handle' }, { method: 'destroy', on: 'handle' }], usedAs: CONNECTION_USE },
];

/**
 * What a server with default settings grants to ordinary users: PostgreSQL's max_connections (100)
 * minus superuser_reserved_connections (3), MySQL/MariaDB's max_connections (151, of which none is
 * reserved for ordinary users; one extra is kept for SUPER/CONNECTION_ADMIN).
 * https://www.postgresql.org/docs/current/runtime-config-connection.html
 * https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_max_connections
 */
export const DEFAULT_SERVER_CONNECTION_BUDGET = { postgresql: 97, mysql: 151 } as const;
export const DEFAULT_MAX_CONNECTIONS = { postgresql: 100, mysql: 151 } as const;

/**
 * Timeouts dbhealth proposes when it adds one, in seconds. They bound a *wait* that by default has
 * no bound, so a fault fails fast instead of hanging a request: connecting (a TCP connect to a dead
 * host otherwise waits for the operating system, about two minutes on Linux) and waiting for a pool
 * checkout (a saturated pool otherwise queues callers without limit). Ten seconds is longer than any
 * healthy connect or checkout and shorter than common request timeouts (30-60 s at load balancers).
 * Statement timeouts depend on the workload; 30 s is proposed as a starting point, never applied.
 */
export const SUGGESTED_TIMEOUT_SECONDS = { connect: 10, acquire: 10, statement: 30 } as const;

/** Seconds as a JS millisecond literal (`10_000`). */
export function millisecondsLiteral(seconds: number): string {
  const ms = seconds * 1000;
  return ms >= 10_000 ? `${Math.floor(ms / 1000)}_${String(ms % 1000).padStart(3, '0')}` : String(ms);
}
