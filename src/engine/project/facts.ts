/**
 * What a name holds, in terms both front ends share. A front end reads a module and says what its
 * names hold (a pool, an engine, a connection…) and what its functions do with connections (hand a
 * new one out, release an argument, never return); the project index keeps these facts per module
 * and answers other modules' questions from them. Nothing here knows a language's syntax.
 *
 * Facts are plain JSON-able data: they are compared (a module's facts changed, so its importers are
 * linted again), cached per file, and sent between threads.
 */

/**
 * - `pool`, `engine`: shared, long-lived; taking a connection from them is a checkout.
 * - `session-factory`: makes sessions (SQLAlchemy `sessionmaker`), itself shared.
 * - `session`: an ORM session, which holds a pooled connection while in a transaction; its holder closes it.
 * - `connection`: one server session opened for the holder, who must close it.
 * - `checkout`: a connection lent by a pool, which the holder must give back.
 * - `transaction`: begun on a connection, which the holder must end.
 * - `object`: an instance of a project class whose methods and attributes are known.
 */
export type HoldingKind = 'pool' | 'engine' | 'session-factory' | 'session' | 'connection' | 'checkout' | 'transaction' | 'object';

export interface Holding {
  readonly kind: HoldingKind;
  /** The library's name as its front end knows it (`psycopg2`, `asyncpg`, `pg`, `mysql2`); absent when only use gave it away. */
  readonly library?: string;
  /** The factory or method that made it (`psycopg2.pool.ThreadedConnectionPool`, `getconn`), for the front end's own tables. */
  readonly origin?: string;
  /** JS: its methods return promises (pg, `mysql2/promise`, `.promise()`). */
  readonly promise?: boolean;
  /** A connection in autocommit mode: a failed statement leaves no transaction open. */
  readonly autocommit?: true;
  /** For `object`: what its methods do and what its attributes hold. */
  readonly members?: ObjectFacts;
}

export interface ObjectFacts {
  readonly attributes: Readonly<Record<string, Holding>>;
  readonly methods: Readonly<Record<string, FunctionFacts>>;
}

/** What calling a function does, as far as connections go. Absent fields mean "nothing known". */
export interface FunctionFacts {
  /** The caller receives this: a new connection or checkout it must release, or a shared pool/engine. */
  readonly returns?: Holding;
  /** `returns` is this element of a returned tuple (`return conn, cur`). */
  readonly returnsAt?: number;
  /** Every call opens a new connection, pool or engine (returned or not): calling it per request opens one per request. */
  readonly opens?: 'connection' | 'pool' | 'engine';
  /** Positions (0-based, not counting Python's `self`/`cls`) of arguments it releases or closes. */
  readonly releases?: readonly number[];
  /** No call returns normally: it always raises (`abort()`, a helper that always raises) or ends the process. */
  readonly neverReturns?: 'raises' | 'exits';
  /**
   * A generator or context manager that yields a handle and releases it itself afterwards
   * (`@contextmanager`, a FastAPI dependency): whoever uses it does not own the handle.
   */
  readonly yields?: Holding;
  /** JS: calls its function argument at this position with a connection it releases afterwards (`withClient(fn)`). */
  readonly lendsToCallback?: number;
  /**
   * It points the connection settings it is given at another database before connecting
   * (`config["dbname"] = …`): called once per item, it may open one per database, not per item.
   */
  readonly retargets?: true;
  /** Positions of arguments it rolls back (`rollback(connection, res)`): a call to it ends the transaction. */
  readonly rollsBack?: readonly number[];
  /** It waits on the network or a timer (an HTTP call, a mail sent, a sleep), itself or through helpers. */
  readonly slowIo?: true;
  /** It runs statements on the database (itself or through helpers): an error it raises may be a database error. */
  readonly queries?: true;
  /**
   * It runs statements on a connection or session that outlives the call (a module-level one, an
   * object's): a failed statement there, swallowed by a caller, can leave that shared connection in
   * a failed transaction.
   */
  readonly sharedConnection?: Holding;
}

/** Everything a module offers to its importers. */
export interface ModuleFacts {
  /** Module-level names (and JS exports, `default` included) that hold something. */
  readonly names: Readonly<Record<string, Holding>>;
  readonly functions: Readonly<Record<string, FunctionFacts>>;
  /** Classes, for `Db()` / `new Db()` in an importer: the instance's members. */
  readonly classes: Readonly<Record<string, ObjectFacts>>;
  /**
   * Names this module takes from another and offers in turn: Python `from .db import pool`, JS
   * `export { pool } from './db'`. `name` is the name in `specifier`; `*` re-exports everything.
   */
  readonly reexports: Readonly<Record<string, { readonly specifier: string; readonly name: string }>>;
  /**
   * Names bound to a database library itself (Python `import psycopg2`, `from psycopg2 import pool`;
   * JS `module.exports = require('pg')`): name → the library module and the path inside it. A
   * project package that wraps a driver (`from .. import psycopg`) passes it on to its importers.
   */
  readonly libraries: Readonly<Record<string, { readonly module: string; readonly path: readonly string[] }>>;
  /** Module specifiers the module imports (for the dependency graph). */
  readonly imports: readonly string[];
  /**
   * Attributes assigned a handle on objects this module does not define (`app.state.pool = …`,
   * `bot.db = …`, `app.locals.db = …`): attribute name → holding, or null when it is also assigned
   * other things. Other modules read such attributes through the same name.
   */
  readonly attributes: Readonly<Record<string, Holding | null>>;
}

export const EMPTY_MODULE_FACTS: ModuleFacts = { names: {}, functions: {}, classes: {}, reexports: {}, libraries: {}, imports: [], attributes: {} };

/** A connection the holder must give back: opened for it, or lent by a pool. */
export function mustRelease(holding: Holding | undefined): boolean {
  return holding !== undefined && (holding.kind === 'connection' || holding.kind === 'checkout' || holding.kind === 'session');
}

/** What a function's facts say nothing about: treated as unknown. */
export function isEmptyFunctionFacts(facts: FunctionFacts): boolean {
  return (
    facts.returns === undefined &&
    facts.opens === undefined &&
    (facts.releases === undefined || facts.releases.length === 0) &&
    facts.neverReturns === undefined &&
    facts.yields === undefined &&
    facts.lendsToCallback === undefined &&
    facts.queries === undefined &&
    facts.rollsBack === undefined &&
    facts.retargets === undefined &&
    facts.slowIo === undefined &&
    facts.sharedConnection === undefined
  );
}

/** A stable text of facts, for equality: object keys sorted at every level. */
export function factsKey(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
      return sorted;
    }
    return inner;
  });
}

/**
 * Attribute facts of several modules merged: a name that two modules assign different kinds of
 * handle (or one assigns something else) is ambiguous, so null.
 */
export function mergeAttributeFacts(into: Map<string, Holding | null>, facts: Readonly<Record<string, Holding | null>>): void {
  for (const [name, holding] of Object.entries(facts)) {
    if (!into.has(name)) into.set(name, holding);
    else {
      const existing = into.get(name);
      if (existing === null || holding === null || existing!.kind !== holding.kind || existing!.library !== holding.library) into.set(name, null);
    }
  }
}

/** A record's own entry (facts are plain objects: `constructor` or `toString` must not come from the prototype). */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
