/**
 * MySQL/MariaDB side of the runbook: processlist inspection and KILL QUERY / KILL.
 *
 * Why KILL is built the way it is: KILL takes a literal thread id, and server-side prepared
 * statements do not accept it on every server version, so a `?` sent through the binary protocol
 * (mysql2 `execute`) is not portable. The id is therefore validated as a positive safe integer and
 * passed through mysql2's client-side placeholder (`query`), which renders a number as digits only.
 * And because the check and the KILL are two statements (KILL cannot carry a WHERE clause), the
 * processlist row is re-read right before KILL and must still match id, user, host (which includes
 * the client port, so it names one connection) and the expected command — thread ids only grow,
 * so an id that still matches user@host:port is the same connection.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { RunbookSession } from './session';

/** Background threads and replication: never listed, never killed. */
const BACKGROUND_USERS = ['system user', 'event_scheduler'];
const BACKGROUND_COMMANDS = ['Daemon', 'Binlog Dump', 'Binlog Dump GTID', 'Slave_IO', 'Slave_SQL', 'Slave_worker'];

const SESSION_COLUMNS = 'p.ID AS id, p.USER AS user, p.HOST AS host, p.DB AS db, p.COMMAND AS command, p.TIME AS time, p.INFO AS info';

export const MYSQL_ACTIONABLE = `
  p.ID <> CONNECTION_ID()
  AND p.USER NOT IN (${BACKGROUND_USERS.map(() => '?').join(', ')})
  AND p.COMMAND NOT IN (${BACKGROUND_COMMANDS.map(() => '?').join(', ')})`;
export const MYSQL_ACTIONABLE_VALUES: readonly string[] = [...BACKGROUND_USERS, ...BACKGROUND_COMMANDS];

export const MYSQL_LONG_RUNNING = `
SELECT ${SESSION_COLUMNS} FROM information_schema.PROCESSLIST p
WHERE ${MYSQL_ACTIONABLE} AND p.COMMAND = 'Query' AND p.TIME >= ?
ORDER BY p.TIME DESC`;

export const MYSQL_IDLE_OLDER_THAN = `
SELECT ${SESSION_COLUMNS} FROM information_schema.PROCESSLIST p
WHERE ${MYSQL_ACTIONABLE} AND p.COMMAND = 'Sleep' AND p.TIME >= ?
ORDER BY p.TIME DESC`;

export const MYSQL_SESSION_BY_ID = `
SELECT ${SESSION_COLUMNS} FROM information_schema.PROCESSLIST p WHERE p.ID = ?`;

export const MYSQL_CONNECTIONS_PER_USER = `
SELECT p.USER AS user, COUNT(*) AS count FROM information_schema.PROCESSLIST p
WHERE p.USER NOT IN (${BACKGROUND_USERS.map(() => '?').join(', ')}) AND p.COMMAND NOT IN (${BACKGROUND_COMMANDS.map(() => '?').join(', ')})
GROUP BY p.USER ORDER BY COUNT(*) DESC`;

/** Per-account limits (CREATE USER … WITH MAX_USER_CONNECTIONS); needs SELECT on mysql.user. */
export const MYSQL_ACCOUNT_LIMITS = `SELECT User AS user, Host AS host, max_user_connections AS lim FROM mysql.user`;

/** dbhealth's own sessions, by connect attribute — only where performance_schema is on. */
export const MYSQL_OWN_SESSIONS = `
SELECT PROCESSLIST_ID AS id FROM performance_schema.session_connect_attrs
WHERE ATTR_NAME = 'program_name' AND ATTR_VALUE LIKE 'dbhealth-%'`;

export const MYSQL_LIMIT_VARIABLES = [
  'max_connections', 'max_user_connections', 'wait_timeout', 'interactive_timeout', 'connect_timeout',
  'net_read_timeout', 'net_write_timeout', 'innodb_lock_wait_timeout', 'lock_wait_timeout', 'max_execution_time',
  'max_statement_time', 'idle_transaction_timeout', 'max_allowed_packet',
];

export const MYSQL_LIMITS = 'SHOW GLOBAL VARIABLES WHERE Variable_name IN (?)';

interface ProcessRow extends RowDataPacket {
  id: number;
  user: string | null;
  host: string | null;
  db: string | null;
  command: string | null;
  time: number | null;
  info: string | null;
}

export function toRunbookSession(row: ProcessRow): RunbookSession {
  return {
    id: String(row.id),
    backendStart: null,
    user: row.user,
    client: row.host,
    database: row.db,
    applicationName: null,
    state: row.command,
    stateAgeSeconds: row.time === null ? null : Number(row.time),
    queryAgeSeconds: row.command === 'Query' && row.time !== null ? Number(row.time) : null,
    query: row.info,
  };
}

/** Ids of dbhealth's own sessions when performance_schema can tell; empty when it is off. */
export async function ownMysqlSessionIds(connection: Connection): Promise<Set<string>> {
  try {
    const [rows] = await connection.query<RowDataPacket[]>(MYSQL_OWN_SESSIONS);
    return new Set(rows.map((row) => String(row.id)));
  } catch {
    return new Set();
  }
}

export async function listMysqlSessions(connection: Connection, sql: string, values: unknown[], excludeIds: ReadonlySet<string>): Promise<RunbookSession[]> {
  const [rows] = await connection.query<ProcessRow[]>(sql, [...MYSQL_ACTIONABLE_VALUES, ...values]);
  return rows.map(toRunbookSession).filter((session) => !excludeIds.has(session.id));
}

export async function readMysqlSession(connection: Connection, id: number): Promise<RunbookSession | null> {
  const [rows] = await connection.query<ProcessRow[]>(MYSQL_SESSION_BY_ID, [id]);
  return rows[0] ? toRunbookSession(rows[0]) : null;
}

export function isBackgroundMysqlSession(session: RunbookSession): boolean {
  return BACKGROUND_USERS.includes(session.user ?? '') || BACKGROUND_COMMANDS.includes(session.state ?? '');
}

/** Validates a processlist id: a positive safe integer written only with digits. */
export function parseThreadId(id: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(id)) return null;
  const value = Number(id);
  return Number.isSafeInteger(value) ? value : null;
}
