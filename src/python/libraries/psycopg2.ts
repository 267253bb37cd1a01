import type { LibraryTable } from './types';

const POOL_CLASSES = ['SimpleConnectionPool', 'ThreadedConnectionPool', 'PersistentConnectionPool', 'AbstractConnectionPool'];

/**
 * psycopg2 (https://www.psycopg.org/docs/): `with conn:` ends the transaction but does NOT close the
 * connection (docs/connection.html). Pools (docs/pool.html): `getconn()` takes no timeout and raises
 * PoolError at once when the pool is exhausted; the slot returns only through `putconn()`. Extra
 * pool arguments are passed to `connect()`. libpq's `connect_timeout` defaults to waiting forever.
 */
export const psycopg2Table: LibraryTable = {
  library: 'psycopg2',
  database: 'postgresql',
  docs: ['https://www.psycopg.org/docs/connection.html', 'https://www.psycopg.org/docs/pool.html', 'https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-CONNECT-TIMEOUT'],
  classes: { 'psycopg2.pool.SimpleConnectionPool': 'pool', 'psycopg2.pool.ThreadedConnectionPool': 'pool', 'psycopg2.extensions.connection': 'connection' },
  factories: [
    {
      callee: 'psycopg2.connect',
      produces: 'connection',
      release: [{ kind: 'method', name: 'close' }],
      withReleases: false,
      connectTimeout: { keyword: 'connect_timeout', defaultSeconds: null },
      dsnConnectTimeoutKey: 'connect_timeout',
      dsnPosition: 0,
      dsnKeywords: ['dsn'],
    },
    ...POOL_CLASSES.map((name) => ({
      callee: `psycopg2.pool.${name}`,
      produces: 'pool' as const,
      minSize: { keyword: 'minconn', position: 0 },
      maxSize: { keyword: 'maxconn', position: 1 },
      connectTimeout: { keyword: 'connect_timeout', defaultSeconds: null },
      dsnConnectTimeoutKey: 'connect_timeout',
      dsnPosition: 2,
      dsnKeywords: ['dsn'],
      statementTimeout: { keyword: 'options' },
    })),
  ],
  methods: [
    { on: 'pool', name: 'getconn', kind: 'acquire', produces: 'connection', release: [{ kind: 'owner-method', name: 'putconn' }], withReleases: false },
    { on: 'connection', name: 'commit', kind: 'commit' },
    { on: 'connection', name: 'rollback', kind: 'rollback' },
  ],
  exceptions: {
    base: ['psycopg2.Error', 'psycopg2.DatabaseError'],
    transient: ['psycopg2.OperationalError', 'psycopg2.InterfaceError', 'psycopg2.extensions.TransactionRollbackError', 'psycopg2.errors.SerializationFailure', 'psycopg2.errors.DeadlockDetected', 'psycopg2.pool.PoolError'],
    permanent: ['psycopg2.ProgrammingError', 'psycopg2.IntegrityError', 'psycopg2.DataError', 'psycopg2.NotSupportedError', 'psycopg2.errors.UniqueViolation', 'psycopg2.errors.SyntaxError', 'psycopg2.errors.UndefinedTable'],
  },
};
