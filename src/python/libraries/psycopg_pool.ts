import type { LibraryTable } from './types';

/**
 * psycopg_pool (https://www.psycopg.org/psycopg3/docs/api/pool.html): `min_size` defaults to 4,
 * `max_size` to `min_size`; `getconn()` / `connection()` wait at most `timeout`, 30 s by default, then
 * raise PoolTimeout. `connection()` is a context manager that returns the connection on exit;
 * `getconn()` needs `putconn()`. Connection arguments go in `kwargs=`.
 */
const POOLS = ['psycopg_pool.ConnectionPool', 'psycopg_pool.AsyncConnectionPool', 'psycopg_pool.NullConnectionPool', 'psycopg_pool.AsyncNullConnectionPool'];

export const psycopgPoolTable: LibraryTable = {
  library: 'psycopg_pool',
  database: 'postgresql',
  docs: ['https://www.psycopg.org/psycopg3/docs/api/pool.html', 'https://www.psycopg.org/psycopg3/docs/advanced/pool.html'],
  classes: { 'psycopg_pool.ConnectionPool': 'pool', 'psycopg_pool.AsyncConnectionPool': 'pool' },
  factories: POOLS.map((callee) => ({
    callee,
    produces: 'pool' as const,
    // ConnectionPool keeps 4 by default; the Null pools keep none (min_size defaults to 0).
    minSize: { keyword: 'min_size', defaultValue: callee.includes('Null') ? 0 : 4 },
    maxSize: { keyword: 'max_size' },
    connectionKwargs: 'kwargs',
    statementTimeout: { keyword: 'options' },
  })),
  methods: [
    { on: 'pool', name: 'getconn', kind: 'acquire', produces: 'connection', release: [{ kind: 'owner-method', name: 'putconn' }], withReleases: false, acquireTimeout: { keyword: 'timeout', defaultSeconds: 30 } },
    { on: 'pool', name: 'connection', kind: 'acquire', produces: 'connection', release: [], withReleases: true, acquireTimeout: { keyword: 'timeout', defaultSeconds: 30 } },
  ],
  exceptions: {
    base: ['psycopg_pool.PoolTimeout', 'psycopg_pool.TooManyRequests'],
    transient: ['psycopg_pool.PoolTimeout', 'psycopg_pool.TooManyRequests'],
    permanent: [],
  },
};
