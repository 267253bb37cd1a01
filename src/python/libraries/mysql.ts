import type { FactorySpec, LibraryTable } from './types';

function mysqlConnect(callee: string, connectTimeout: FactorySpec['connectTimeout']): FactorySpec {
  return { callee, produces: 'connection', release: [{ kind: 'method', name: 'close' }], withReleases: true, connectTimeout };
}

function dbapiErrors(prefix: string): LibraryTable['exceptions'] {
  return {
    base: [`${prefix}.Error`, `${prefix}.MySQLError`, `${prefix}.DatabaseError`],
    transient: [`${prefix}.OperationalError`, `${prefix}.InterfaceError`, `${prefix}.err.OperationalError`, `${prefix}.err.InterfaceError`],
    permanent: [`${prefix}.ProgrammingError`, `${prefix}.IntegrityError`, `${prefix}.DataError`, `${prefix}.NotSupportedError`, `${prefix}.err.ProgrammingError`, `${prefix}.err.IntegrityError`, `${prefix}.err.DataError`],
  };
}

/** PyMySQL (https://pymysql.readthedocs.io/en/latest/modules/connections.html): connect_timeout=10, read_timeout=None. */
export const pymysqlTable: LibraryTable = {
  library: 'pymysql',
  database: 'mysql',
  docs: ['https://pymysql.readthedocs.io/en/latest/modules/connections.html'],
  classes: { 'pymysql.Connection': 'connection', 'pymysql.connections.Connection': 'connection' },
  factories: ['pymysql.connect', 'pymysql.Connect', 'pymysql.Connection', 'pymysql.connections.Connection'].map((callee) =>
    mysqlConnect(callee, { keyword: 'connect_timeout', defaultSeconds: 10 }),
  ),
  methods: [
    { on: 'connection', name: 'commit', kind: 'commit' },
    { on: 'connection', name: 'rollback', kind: 'rollback' },
    { on: 'connection', name: 'begin', kind: 'begin' },
  ],
  exceptions: dbapiErrors('pymysql'),
};

/**
 * mysqlclient / MySQLdb (https://mysqlclient.readthedocs.io/user_guide.html): `connect_timeout` has no
 * default, so connecting waits as long as the operating system's TCP connect does.
 */
export const mysqlclientTable: LibraryTable = {
  library: 'mysqlclient',
  database: 'mysql',
  docs: ['https://mysqlclient.readthedocs.io/user_guide.html'],
  classes: { 'MySQLdb.Connection': 'connection', 'MySQLdb.connections.Connection': 'connection' },
  factories: ['MySQLdb.connect', 'MySQLdb.Connect', 'MySQLdb.Connection', 'MySQLdb.connections.Connection'].map((callee) =>
    mysqlConnect(callee, { keyword: 'connect_timeout', defaultSeconds: null }),
  ),
  methods: [
    { on: 'connection', name: 'commit', kind: 'commit' },
    { on: 'connection', name: 'rollback', kind: 'rollback' },
    { on: 'connection', name: 'begin', kind: 'begin' },
  ],
  exceptions: dbapiErrors('MySQLdb'),
};

/**
 * mysql-connector-python (https://dev.mysql.com/doc/connector-python/en/connector-python-connectargs.html,
 * connector-python-connection-pooling.html): `connection_timeout` (alias `connect_timeout`) has no
 * documented default; `MySQLConnectionPool(pool_size=5)` accepts at most 32; `get_connection()`
 * raises PoolError at once when exhausted; `close()` on a pooled connection returns it to the pool.
 */
export const mysqlConnectorTable: LibraryTable = {
  library: 'mysql-connector',
  database: 'mysql',
  docs: [
    'https://dev.mysql.com/doc/connector-python/en/connector-python-connectargs.html',
    'https://dev.mysql.com/doc/connector-python/en/connector-python-connection-pooling.html',
  ],
  classes: { 'mysql.connector.MySQLConnection': 'connection', 'mysql.connector.pooling.MySQLConnectionPool': 'pool', 'mysql.connector.pooling.PooledMySQLConnection': 'connection' },
  factories: [
    ...['mysql.connector.connect', 'mysql.connector.MySQLConnection', 'mysql.connector.connection.MySQLConnection'].map((callee) =>
      mysqlConnect(callee, { keyword: 'connection_timeout', defaultSeconds: null }),
    ),
    {
      callee: 'mysql.connector.pooling.MySQLConnectionPool',
      produces: 'pool',
      maxSize: { keyword: 'pool_size', defaultValue: 5, hardLimit: 32 },
    },
  ],
  methods: [
    { on: 'pool', name: 'get_connection', kind: 'acquire', produces: 'connection', release: [{ kind: 'method', name: 'close' }], withReleases: true },
    { on: 'connection', name: 'commit', kind: 'commit' },
    { on: 'connection', name: 'rollback', kind: 'rollback' },
    { on: 'connection', name: 'start_transaction', kind: 'begin' },
  ],
  exceptions: {
    base: ['mysql.connector.Error', 'mysql.connector.errors.Error', 'mysql.connector.DatabaseError', 'mysql.connector.errors.DatabaseError'],
    transient: ['mysql.connector.OperationalError', 'mysql.connector.errors.OperationalError', 'mysql.connector.InterfaceError', 'mysql.connector.errors.InterfaceError', 'mysql.connector.errors.PoolError'],
    permanent: ['mysql.connector.ProgrammingError', 'mysql.connector.errors.ProgrammingError', 'mysql.connector.IntegrityError', 'mysql.connector.errors.IntegrityError', 'mysql.connector.DataError', 'mysql.connector.errors.DataError'],
  },
};
