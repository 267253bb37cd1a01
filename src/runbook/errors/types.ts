/**
 * Shapes of the error explainer's knowledge. The tables next to this file are data: a new driver
 * or error code is a new row plus a test string, never new matching code.
 */

/** transient: retry with exponential backoff and jitter; permanent: fix code, data or config first. */
export type RetryAdvice = 'transient' | 'permanent' | 'depends';

/** The runbook scenarios that both the explainer and the diagnosis name. */
export type RunbookScenario =
  | 'too-many-connections'
  | 'pool-exhausted'
  | 'server-unreachable'
  | 'authentication-failure'
  | 'idle-in-transaction'
  | 'long-running-blocker'
  | 'connection-lost'
  | 'lock-conflict'
  | 'application-bug';

export interface ErrorKnowledge {
  /** Short name shown as the heading, e.g. "too many connections". */
  readonly title: string;
  readonly meaning: string;
  readonly retry: RetryAdvice;
  /** What to do next, in runbook terms. */
  readonly runbookStep: string;
  readonly scenario?: RunbookScenario;
}

/** A PostgreSQL SQLSTATE (five characters) or a class ("08" — matched when no code row exists). */
export interface SqlStateRow extends ErrorKnowledge {
  readonly sqlstate: string;
  /** PostgreSQL's condition name (errcodes appendix), which psycopg2.errors / psycopg.errors CamelCase. */
  readonly condition?: string;
  /** asyncpg's exception class names where they are not simply CamelCase(condition) + "Error". */
  readonly asyncpgNames?: readonly string[];
}

/** A MySQL/MariaDB server (1000–1999, 3000+, MariaDB 1900s) or client (2000–2999) error number. */
export interface MySqlErrorRow extends ErrorKnowledge {
  readonly errno: number;
  /** The symbol, which mysql2 and mysql expose as `error.code` (ER_CON_COUNT_ERROR, CR_SERVER_GONE_ERROR). */
  readonly symbol: string;
  readonly origin: 'server' | 'client';
}

/**
 * Recognised by wording: a driver's own message, a Node system error code, an exception class.
 * `phrases` are alternatives matched case-insensitively as plain substrings of the message; an
 * alternative given as a list matches only when every part appears.
 */
export interface PhraseRow extends ErrorKnowledge {
  readonly id: string;
  readonly phrases: readonly (string | readonly string[])[];
  /** Which drivers or layers produce it, for the "seen in" line. */
  readonly source: string;
  /** When set, the phrase also implies this code, so the code's row adds detail. */
  readonly impliesSqlState?: string;
  readonly impliesMySqlErrno?: number;
}

/** PEP 249 exception classes: the fallback when only the class is known. */
export interface ExceptionClassRow extends ErrorKnowledge {
  readonly className: string;
  /** Its base class in the PEP 249 hierarchy. */
  readonly parent: string;
}
