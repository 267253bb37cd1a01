import type { LibraryTable } from './types';

/**
 * SQLAlchemy (https://docs.sqlalchemy.org/en/20/core/engines.html, core/pooling.html):
 * `create_engine(pool_size=5, max_overflow=10, pool_timeout=30, pool_recycle=-1, pool_pre_ping=False)`.
 * `engine.connect()` and `engine.begin()` are context managers; a Connection needs `close()`
 * otherwise. MySQL closes connections idle longer than `wait_timeout` (28800 s by default), which
 * SQLAlchemy's pooling docs answer with `pool_recycle` or `pool_pre_ping`.
 */
const ENGINE_FACTORIES = ['sqlalchemy.create_engine', 'sqlalchemy.engine.create_engine', 'sqlalchemy.ext.asyncio.create_async_engine'];
const SESSION_CLASSES = ['sqlalchemy.orm.Session', 'sqlalchemy.orm.session.Session', 'sqlalchemy.ext.asyncio.AsyncSession'];
const SESSION_FACTORIES = ['sqlalchemy.orm.sessionmaker', 'sqlalchemy.orm.session.sessionmaker', 'sqlalchemy.ext.asyncio.async_sessionmaker'];

export const sqlalchemyTable: LibraryTable = {
  library: 'sqlalchemy',
  database: 'any',
  docs: ['https://docs.sqlalchemy.org/en/20/core/engines.html', 'https://docs.sqlalchemy.org/en/20/core/pooling.html', 'https://docs.sqlalchemy.org/en/20/orm/session_basics.html'],
  classes: { 'sqlalchemy.orm.Session': 'session', 'sqlalchemy.ext.asyncio.AsyncSession': 'session', 'sqlalchemy.Engine': 'engine', 'sqlalchemy.engine.Engine': 'engine', 'sqlalchemy.ext.asyncio.AsyncEngine': 'engine', 'sqlalchemy.Connection': 'connection', 'sqlalchemy.engine.Connection': 'connection' },
  factories: [
    ...ENGINE_FACTORIES.map((callee) => ({
      callee,
      produces: 'engine' as const,
      dsnPosition: 0,
      dsnKeywords: ['url'],
      minSize: { keyword: 'pool_size', defaultValue: 5 },
      maxSize: { keyword: 'max_overflow', defaultValue: 10 },
      connectionKwargs: 'connect_args',
    })),
    // A Session takes a pooled connection at its first statement and gives it back at commit,
    // rollback or close (orm/session_basics.html); `with Session(...) as session:` closes it.
    ...SESSION_CLASSES.map((callee) => ({ callee, produces: 'session' as const, release: [{ kind: 'method' as const, name: 'close' }], withReleases: true })),
    ...SESSION_FACTORIES.map((callee) => ({ callee, produces: 'session-factory' as const })),
  ],
  methods: [
    { on: 'engine', name: 'connect', kind: 'acquire', produces: 'connection', release: [{ kind: 'method', name: 'close' }], withReleases: true },
    { on: 'engine', name: 'raw_connection', kind: 'acquire', produces: 'connection', release: [{ kind: 'method', name: 'close' }], withReleases: false },
    { on: 'session-factory', name: 'begin', kind: 'acquire', produces: 'session', release: [{ kind: 'method', name: 'close' }], withReleases: true },
    { on: 'connection', name: 'begin', kind: 'begin', produces: 'transaction' },
    { on: 'connection', name: 'commit', kind: 'commit' },
    { on: 'connection', name: 'rollback', kind: 'rollback' },
    { on: 'transaction', name: 'commit', kind: 'commit' },
    { on: 'transaction', name: 'rollback', kind: 'rollback' },
  ],
  exceptions: {
    base: ['sqlalchemy.exc.SQLAlchemyError', 'sqlalchemy.exc.DBAPIError', 'sqlalchemy.exc.DatabaseError'],
    transient: ['sqlalchemy.exc.OperationalError', 'sqlalchemy.exc.DisconnectionError', 'sqlalchemy.exc.TimeoutError', 'sqlalchemy.exc.InterfaceError'],
    permanent: ['sqlalchemy.exc.IntegrityError', 'sqlalchemy.exc.ProgrammingError', 'sqlalchemy.exc.DataError', 'sqlalchemy.exc.NoResultFound', 'sqlalchemy.exc.ArgumentError'],
  },
};
