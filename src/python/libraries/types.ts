/**
 * Library knowledge as data. Each driver's table says which calls open, hand out, release and
 * configure connections, which options exist with their documented defaults, and which errors are
 * worth retrying. The rules read only these tables, so a new driver is a new table plus tests.
 */

export type LibraryName =
  | 'psycopg2'
  | 'psycopg'
  | 'psycopg_pool'
  | 'asyncpg'
  | 'sqlalchemy'
  | 'pymysql'
  | 'mysqlclient'
  | 'mysql-connector'
  | 'aiomysql'
  | 'aiopg'
  /** A pool or connection known only from how the code uses it (see src/engine/libraries/evidence.ts). */
  | 'unknown';

/** What an object made by a library call is, as far as the rules care. */
export type Role = 'connection' | 'pool' | 'engine' | 'transaction' | 'session-factory' | 'session' | 'object';

export type Database = 'postgresql' | 'mysql';

/** How a resource handed out by a call is given back. */
export type Release =
  /** `resource.close()` */
  | { readonly kind: 'method'; readonly name: string }
  /** `owner.putconn(resource)`: a method of the object that handed it out, with the resource as first argument */
  | { readonly kind: 'owner-method'; readonly name: string };

/** A keyword argument with its documented default (`null` default means "none": waits forever). */
export interface OptionFact {
  readonly keyword: string;
  /** 0-based position when the option may also be passed positionally. */
  readonly position?: number;
  /** Documented default in seconds, or null for "no limit", or undefined when not a duration. */
  readonly defaultSeconds?: number | null;
}

export interface FactorySpec {
  /** Fully qualified callee, e.g. "psycopg2.pool.ThreadedConnectionPool". */
  readonly callee: string;
  readonly produces: Role;
  /** Must be awaited (asyncpg.connect). */
  readonly isAsync?: boolean;
  /** How a connection from this call is released; for pools/engines: how they are closed. */
  readonly release?: readonly Release[];
  /** Whether `with call() as x` / `async with` releases the resource at block end. */
  readonly withReleases?: boolean;
  /** Connect timeout option, when the call opens connections. */
  readonly connectTimeout?: OptionFact;
  /** Option inside a libpq DSN / URL that also sets the connect timeout. */
  readonly dsnConnectTimeoutKey?: string;
  /** Position of the DSN argument (keyword alternatives in dsnKeywords). */
  readonly dsnPosition?: number;
  readonly dsnKeywords?: readonly string[];
  /** Pool bounds. */
  readonly minSize?: OptionFact & { readonly defaultValue?: number };
  readonly maxSize?: OptionFact & { readonly defaultValue?: number; readonly hardLimit?: number };
  /** Statement/command timeout option when the call creates a long-lived pool. */
  readonly statementTimeout?: OptionFact;
  /** Keyword that passes extra connection arguments on (psycopg_pool kwargs=, SQLAlchemy connect_args=). */
  readonly connectionKwargs?: string;
}

export interface MethodSpec {
  /** Role of the receiver this method is called on. */
  readonly on: Role;
  readonly name: string;
  readonly kind: 'acquire' | 'release' | 'begin' | 'commit' | 'rollback';
  readonly produces?: Role;
  readonly isAsync?: boolean;
  readonly release?: readonly Release[];
  readonly withReleases?: boolean;
  /** Acquire timeout keyword and its documented default (null: waits forever). */
  readonly acquireTimeout?: OptionFact;
}

export interface LibraryTable {
  readonly library: LibraryName;
  readonly database: Database | 'any';
  /** Where the facts in this table come from. */
  readonly docs: readonly string[];
  readonly factories: readonly FactorySpec[];
  /** Classes seen in type annotations (`pool: asyncpg.Pool`) and what their instances are. */
  readonly classes?: Readonly<Record<string, Role>>;
  readonly methods: readonly MethodSpec[];
  /** Fully qualified exception classes. */
  readonly exceptions: {
    /** Every database error this library raises derives from one of these. */
    readonly base: readonly string[];
    /** Worth retrying: the connection or server failed, not the statement. */
    readonly transient: readonly string[];
    /** Retrying cannot help: the statement or data is wrong. */
    readonly permanent: readonly string[];
  };
}
