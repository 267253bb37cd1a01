import type { FactorySpec, LibraryTable } from './types';

function connectFactory(callee: string, isAsync: boolean): FactorySpec {
  return { callee, produces: 'connection', release: [{ kind: 'method', name: 'close' }], withReleases: true, isAsync };
}

/**
 * psycopg 3 (https://www.psycopg.org/psycopg3/docs/api/connections.html): a connection used as a
 * context manager commits or rolls back and then closes. Connecting goes through libpq, whose
 * `connect_timeout` is unset by default; psycopg's own behaviour without it changed between
 * releases, so the connect-timeout rule stays quiet for psycopg 3 rather than guess.
 */
export const psycopgTable: LibraryTable = {
  library: 'psycopg',
  database: 'postgresql',
  docs: ['https://www.psycopg.org/psycopg3/docs/api/connections.html', 'https://www.psycopg.org/psycopg3/docs/basic/transactions.html'],
  classes: { 'psycopg.Connection': 'connection', 'psycopg.AsyncConnection': 'connection' },
  factories: [
    connectFactory('psycopg.connect', false),
    connectFactory('psycopg.Connection.connect', false),
    connectFactory('psycopg.AsyncConnection.connect', true),
  ],
  methods: [
    { on: 'connection', name: 'commit', kind: 'commit' },
    { on: 'connection', name: 'rollback', kind: 'rollback' },
  ],
  exceptions: {
    base: ['psycopg.Error', 'psycopg.DatabaseError'],
    transient: ['psycopg.OperationalError', 'psycopg.InterfaceError', 'psycopg.errors.SerializationFailure', 'psycopg.errors.DeadlockDetected'],
    permanent: ['psycopg.ProgrammingError', 'psycopg.IntegrityError', 'psycopg.DataError', 'psycopg.NotSupportedError', 'psycopg.errors.UniqueViolation', 'psycopg.errors.SyntaxError', 'psycopg.errors.UndefinedTable'],
  },
};
