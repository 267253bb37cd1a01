import { DBAPI_EXCEPTION_ROWS, PHRASE_ROWS } from './phrases';
import { MYSQL_ERROR_ROWS } from './mysql';
import { SQLSTATE_ROWS } from './sqlstate';
import type { ErrorKnowledge, MySqlErrorRow, PhraseRow, RetryAdvice, RunbookScenario, SqlStateRow } from './types';

export interface ErrorExplanation {
  /** False when nothing in the text was recognised; the other fields then say so. */
  readonly recognised: boolean;
  readonly title: string;
  readonly meaning: string;
  readonly retry: RetryAdvice;
  /** The retry verdict as a sentence a user can act on. */
  readonly retryAdvice: string;
  readonly runbookStep: string;
  readonly scenario?: RunbookScenario;
  readonly sqlstate?: string;
  readonly mysqlErrno?: number;
  /** Every signal recognised in the text, most specific first, e.g. "SQLSTATE 53300 (too_many_connections)". */
  readonly evidence: readonly string[];
}

const RETRY_ADVICE: Record<RetryAdvice, string> = {
  transient: 'Transient: retry with exponential backoff and jitter, with a cap on attempts; retry the whole unit of work (transaction), and only if it is idempotent.',
  permanent: 'Permanent: retrying the same thing fails the same way. Fix the code, the data or the configuration first.',
  depends: 'Depends on the cause: read the meaning above before retrying; retry with backoff only when the cause is temporary.',
};

const sqlStateByCode = new Map(SQLSTATE_ROWS.map((row) => [row.sqlstate, row]));
const mysqlByErrno = new Map(MYSQL_ERROR_ROWS.map((row) => [row.errno, row]));
const mysqlBySymbol = new Map(MYSQL_ERROR_ROWS.map((row) => [row.symbol, row]));
const dbapiByClass = new Map(DBAPI_EXCEPTION_ROWS.map((row) => [row.className, row]));

/** psycopg2.errors / psycopg.errors name classes CamelCase(condition); asyncpg adds "Error" (with exceptions). */
const sqlStateByClassName = (() => {
  const byName = new Map<string, SqlStateRow>();
  for (const row of SQLSTATE_ROWS) {
    if (!row.condition) continue;
    const camel = row.condition.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
    byName.set(camel, row);
    byName.set(`${camel}Error`, row);
    for (const name of row.asyncpgNames ?? []) byName.set(name, row);
  }
  return byName;
})();

// Where drivers put a SQLSTATE: psycopg's "SQLSTATE 53300" / pgcode, node-postgres' `code: '53300'`,
// JSON dumps, JDBC-style "SQL state [40001]".
const SQLSTATE_PATTERNS: readonly RegExp[] = [
  /\bsql\s*state\b[\s:=[("']*([0-9A-Z]{5})\b/i,
  /\bpgcode\b[\s:=("']*([0-9A-Z]{5})\b/i,
  /\bsqlstate\b\s*[:=]\s*['"]?([0-9A-Z]{5})\b/i,
  /\bcode\b["']?\s*[:=]\s*['"]([0-9][0-9A-Z]{4})['"]/,
];

// Where drivers put a MySQL error number: PyMySQL/MySQLdb "(1226, '...')", the mysql client's
// "ERROR 1040 (08004): ...", mysql-connector-python "1045 (28000): ...", mysql2's `errno: 1040`.
const MYSQL_ERRNO_PATTERNS: readonly RegExp[] = [
  /\((\d{4}),\s*["']/,
  /\bERROR\s+(\d{4})\b/i,
  /\b(\d{4})\s*\((?:[0-9A-Z]{5})\)\s*:/,
  /\berrno\b["']?\s*[:=]\s*(\d{4})\b/i,
  /\berror code\s*:?\s*(\d{4})\b/i,
  /(?:^|\s)(\d{4}):\s+[A-Z]/,
];

/** Identifier-like words in the message, for exception class names and mysql2 `code` symbols. */
function wordsOf(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
}

function phraseMatches(row: PhraseRow, lowered: string): boolean {
  return row.phrases.some((alternative) =>
    typeof alternative === 'string' ? lowered.includes(alternative) : alternative.every((part) => lowered.includes(part)),
  );
}

function firstCapture(text: string, patterns: readonly RegExp[]): string | undefined {
  for (const pattern of patterns) {
    const found = pattern.exec(text);
    if (found) return found[1];
  }
  return undefined;
}

function sqlStateRowFor(code: string): SqlStateRow | undefined {
  return sqlStateByCode.get(code) ?? sqlStateByCode.get(code.slice(0, 2));
}

function describeSqlState(code: string, row: SqlStateRow): string {
  return row.sqlstate === code
    ? `SQLSTATE ${code}${row.condition ? ` (${row.condition})` : ''}`
    : `SQLSTATE ${code}, class ${row.sqlstate} (${row.title})`;
}

function describeMySql(row: MySqlErrorRow): string {
  return `MySQL ${row.origin} error ${row.errno} (${row.symbol})`;
}

/**
 * Explains a pasted database error: what it means, whether to retry, and the runbook step.
 * Specific codes beat wording, wording beats a SQLSTATE class, and a bare DB-API class is the last
 * resort — but a driver message that implies the very code found is preferred, being more precise
 * (53300 covers both "too many clients" and "too many connections for role").
 */
export function explainError(text: string): ErrorExplanation {
  const lowered = text.toLowerCase();
  const words = wordsOf(text);
  const evidence: string[] = [];

  let sqlstate = firstCapture(text, SQLSTATE_PATTERNS)?.toUpperCase();
  let sqlStateRow = sqlstate ? sqlStateRowFor(sqlstate) : undefined;
  const classNamed = [...words].map((word) => sqlStateByClassName.get(word)).find((row) => row !== undefined);
  // A code read off an exception class name is weaker than the driver's own wording: asyncpg, for
  // one, raises ConnectionDoesNotExistError (08003) when the server drops the connection mid-query.
  const sqlStateFromClassNameOnly = !sqlStateRow && classNamed !== undefined;
  if (!sqlStateRow && classNamed) {
    sqlStateRow = classNamed;
    sqlstate = classNamed.sqlstate;
  }

  const errnoText = firstCapture(text, MYSQL_ERRNO_PATTERNS);
  let mysqlRow = errnoText ? mysqlByErrno.get(Number(errnoText)) : undefined;
  const mysqlErrno = errnoText ? Number(errnoText) : undefined;
  if (!mysqlRow) mysqlRow = [...words].map((word) => mysqlBySymbol.get(word)).find((row) => row !== undefined);

  const phraseRow = PHRASE_ROWS.find((row) => phraseMatches(row, lowered));
  if (!sqlStateRow && phraseRow?.impliesSqlState) {
    sqlstate = phraseRow.impliesSqlState;
    sqlStateRow = sqlStateRowFor(sqlstate);
  }
  if (!mysqlRow && phraseRow?.impliesMySqlErrno) mysqlRow = mysqlByErrno.get(phraseRow.impliesMySqlErrno);

  const dbapiRow = [...dbapiByClass.keys()].filter((name) => words.has(name)).map((name) => dbapiByClass.get(name)!)[0];

  const exactSqlState = sqlStateRow && sqlstate && sqlStateRow.sqlstate === sqlstate ? sqlStateRow : undefined;
  const classOnlySqlState = sqlStateRow && !exactSqlState ? sqlStateRow : undefined;
  const phraseRefinesCode =
    phraseRow &&
    ((phraseRow.impliesSqlState !== undefined && phraseRow.impliesSqlState === exactSqlState?.sqlstate) ||
      (phraseRow.impliesMySqlErrno !== undefined && phraseRow.impliesMySqlErrno === mysqlRow?.errno));

  let primary: ErrorKnowledge | undefined;
  if (phraseRow && phraseRefinesCode) primary = phraseRow;
  else if (phraseRow && sqlStateFromClassNameOnly) primary = phraseRow;
  else primary = exactSqlState ?? mysqlRow ?? phraseRow ?? classOnlySqlState ?? dbapiRow;

  if (phraseRow) evidence.push(`wording: ${phraseRow.title} (${phraseRow.source})`);
  if (sqlStateRow && sqlstate) evidence.push(describeSqlState(sqlstate, sqlStateRow));
  if (mysqlRow) evidence.push(describeMySql(mysqlRow));
  else if (mysqlErrno !== undefined) evidence.push(`MySQL error ${mysqlErrno} (not in the table)`);
  const wrapped = /\(((?:[a-z_][a-z0-9_]*\.)+([A-Z][A-Za-z]*(?:Error|Exception|Violation|Failure)))\)/.exec(text);
  if (wrapped && /sqlalchemy|\bsqlalche\.me\b/i.test(text)) evidence.push(`SQLAlchemy wraps the driver's ${wrapped[1]}`);
  else if (wrapped) evidence.push(`driver exception ${wrapped[1]}`);
  if (dbapiRow) evidence.push(`DB-API class ${dbapiRow.className} (subclass of ${dbapiRow.parent})`);

  if (!primary) {
    return {
      recognised: false,
      title: 'not recognised',
      meaning: 'No SQLSTATE, MySQL error number, driver wording or DB-API exception class in this text matches the explainer\'s table.',
      retry: 'depends',
      retryAdvice: RETRY_ADVICE.depends,
      runbookStep: 'Look for a five-character SQLSTATE or a MySQL error number in the full error (the driver exception\'s code / errno attribute) and explain that.',
      evidence,
    };
  }
  return {
    recognised: true,
    title: primary.title,
    meaning: primary.meaning,
    retry: primary.retry,
    retryAdvice: RETRY_ADVICE[primary.retry],
    runbookStep: primary.runbookStep,
    scenario: primary.scenario ?? sqlStateRow?.scenario ?? mysqlRow?.scenario ?? dbapiRow?.scenario,
    sqlstate: sqlStateRow ? sqlstate : undefined,
    mysqlErrno: mysqlRow?.errno ?? mysqlErrno,
    evidence,
  };
}

/** Plain-text rendering used by the CLI and the output channel. */
export function formatExplanation(explanation: ErrorExplanation): string {
  const lines = [
    `${explanation.title}`,
    `  meaning:  ${explanation.meaning}`,
    `  retry:    ${explanation.retryAdvice}`,
    `  next:     ${explanation.runbookStep}`,
  ];
  if (explanation.scenario) lines.push(`  scenario: ${explanation.scenario}`);
  if (explanation.evidence.length > 0) lines.push(`  recognised: ${explanation.evidence.join('; ')}`);
  return lines.join('\n');
}
