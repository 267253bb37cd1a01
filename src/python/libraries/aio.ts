import type { LibraryTable } from './types';

/**
 * aiomysql (https://aiomysql.readthedocs.io/en/stable/pool.html, connection.html) and aiopg
 * (https://aiopg.readthedocs.io/en/stable/core.html): `create_pool()` makes a pool whose
 * `acquire()` is used as `async with pool.acquire() as conn` or paired with `pool.release(conn)`;
 * `connect()` opens a connection that `close()` ends. aiomysql's `connect_timeout` defaults to 10 s,
 * aiopg's `timeout` to 60 s.
 */
export const aiomysqlTable: LibraryTable = {
  library: 'aiomysql',
  database: 'mysql',
  docs: ['https://aiomysql.readthedocs.io/en/stable/pool.html', 'https://aiomysql.readthedocs.io/en/stable/connection.html'],
  factories: [
    { callee: 'aiomysql.connect', produces: 'connection', isAsync: true, release: [{ kind: 'method', name: 'close' }], withReleases: true, connectTimeout: { keyword: 'connect_timeout', defaultSeconds: 10 } },
    { callee: 'aiomysql.create_pool', produces: 'pool', minSize: { keyword: 'minsize', defaultValue: 1 }, maxSize: { keyword: 'maxsize', defaultValue: 10 } },
  ],
  methods: [
    { on: 'pool', name: 'acquire', kind: 'acquire', produces: 'connection', isAsync: true, release: [{ kind: 'owner-method', name: 'release' }], withReleases: true },
    { on: 'connection', name: 'commit', kind: 'commit' },
    { on: 'connection', name: 'rollback', kind: 'rollback' },
    { on: 'connection', name: 'begin', kind: 'begin' },
  ],
  exceptions: {
    base: ['aiomysql.Error', 'aiomysql.MySQLError', 'pymysql.err.MySQLError'],
    transient: ['aiomysql.OperationalError', 'aiomysql.InterfaceError'],
    permanent: ['aiomysql.ProgrammingError', 'aiomysql.IntegrityError', 'aiomysql.DataError'],
  },
};

export const aiopgTable: LibraryTable = {
  library: 'aiopg',
  database: 'postgresql',
  docs: ['https://aiopg.readthedocs.io/en/stable/core.html'],
  factories: [
    { callee: 'aiopg.connect', produces: 'connection', isAsync: true, release: [{ kind: 'method', name: 'close' }], withReleases: true, connectTimeout: { keyword: 'timeout', defaultSeconds: 60 } },
    { callee: 'aiopg.create_pool', produces: 'pool', minSize: { keyword: 'minsize', defaultValue: 1 }, maxSize: { keyword: 'maxsize', defaultValue: 10 } },
  ],
  methods: [{ on: 'pool', name: 'acquire', kind: 'acquire', produces: 'connection', isAsync: true, release: [{ kind: 'owner-method', name: 'release' }], withReleases: true }],
  exceptions: {
    base: ['psycopg2.Error'],
    transient: ['psycopg2.OperationalError', 'psycopg2.InterfaceError'],
    permanent: ['psycopg2.ProgrammingError', 'psycopg2.IntegrityError'],
  },
};
