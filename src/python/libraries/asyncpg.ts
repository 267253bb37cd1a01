import type { LibraryTable } from './types';

/**
 * asyncpg (https://magicstack.github.io/asyncpg/current/api/index.html): `connect(timeout=60)` bounds
 * connecting; `command_timeout` (default None) bounds statements; `create_pool(min_size=10,
 * max_size=10, max_inactive_connection_lifetime=300.0)`; `Pool.acquire(timeout=None)` waits for a
 * free connection with no limit by default; `async with pool.acquire()` releases, else
 * `pool.release(conn)`. A plain connection is not an async context manager.
 */
export const asyncpgTable: LibraryTable = {
  library: 'asyncpg',
  database: 'postgresql',
  docs: ['https://magicstack.github.io/asyncpg/current/api/index.html'],
  classes: { 'asyncpg.Pool': 'pool', 'asyncpg.pool.Pool': 'pool', 'asyncpg.Connection': 'connection', 'asyncpg.connection.Connection': 'connection' },
  factories: [
    {
      callee: 'asyncpg.connect',
      produces: 'connection',
      isAsync: true,
      release: [{ kind: 'method', name: 'close' }],
      withReleases: false,
      connectTimeout: { keyword: 'timeout', defaultSeconds: 60 },
    },
    {
      callee: 'asyncpg.create_pool',
      produces: 'pool',
      minSize: { keyword: 'min_size', defaultValue: 10 },
      maxSize: { keyword: 'max_size', defaultValue: 10 },
      connectTimeout: { keyword: 'timeout', defaultSeconds: 60 },
      statementTimeout: { keyword: 'command_timeout', defaultSeconds: null },
    },
  ],
  methods: [
    {
      on: 'pool',
      name: 'acquire',
      kind: 'acquire',
      produces: 'connection',
      isAsync: true,
      release: [{ kind: 'owner-method', name: 'release' }],
      withReleases: true,
      acquireTimeout: { keyword: 'timeout', defaultSeconds: null },
    },
    { on: 'connection', name: 'transaction', kind: 'begin', produces: 'transaction' },
  ],
  exceptions: {
    base: ['asyncpg.PostgresError', 'asyncpg.exceptions.PostgresError', 'asyncpg.InterfaceError', 'asyncpg.exceptions.InterfaceError'],
    transient: [
      'asyncpg.exceptions.ConnectionDoesNotExistError', 'asyncpg.ConnectionDoesNotExistError', 'asyncpg.exceptions.TooManyConnectionsError',
      'asyncpg.TooManyConnectionsError', 'asyncpg.exceptions.CannotConnectNowError', 'asyncpg.CannotConnectNowError',
      'asyncpg.exceptions.SerializationError', 'asyncpg.SerializationError', 'asyncpg.exceptions.DeadlockDetectedError', 'asyncpg.DeadlockDetectedError',
      'asyncpg.exceptions.ConnectionFailureError', 'asyncpg.exceptions.PostgresConnectionError',
    ],
    permanent: [
      'asyncpg.exceptions.UniqueViolationError', 'asyncpg.UniqueViolationError', 'asyncpg.exceptions.PostgresSyntaxError', 'asyncpg.PostgresSyntaxError',
      'asyncpg.exceptions.UndefinedTableError', 'asyncpg.UndefinedTableError', 'asyncpg.exceptions.DataError', 'asyncpg.DataError',
      'asyncpg.exceptions.IntegrityConstraintViolationError', 'asyncpg.IntegrityConstraintViolationError',
    ],
  },
};
