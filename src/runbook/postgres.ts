/**
 * PostgreSQL side of the runbook: inspect queries and the cancel/terminate statements. Every
 * statement is parameterised; every action re-validates its target in the same statement that
 * signals it, so a pid reused by a newer session (different backend_start), a background process
 * or one of dbhealth's own sessions can never be hit.
 */
import type { Client } from 'pg';
import type { RunbookSession } from './session';

/** Columns shared by every session listing. */
const SESSION_COLUMNS = `
  a.pid::text AS id,
  to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS backend_start,
  a.usename AS user,
  CASE WHEN a.client_addr IS NULL THEN 'local' ELSE host(a.client_addr) || ':' || a.client_port END AS client,
  a.datname AS database,
  a.application_name,
  a.state,
  extract(epoch FROM clock_timestamp() - a.state_change)::float8 AS state_age,
  extract(epoch FROM clock_timestamp() - a.query_start)::float8 AS query_age,
  left(a.query, 2000) AS query`;

/**
 * Which sessions the runbook may list or act on: client backends only (no autovacuum, walsender,
 * background workers), never this connection, never a dbhealth-tagged one (monitor, runbook, check).
 */
const ACTIONABLE = `
  a.backend_type = 'client backend'
  AND a.pid <> pg_backend_pid()
  AND coalesce(a.application_name, '') NOT LIKE 'dbhealth-%'`;

export const PG_LONG_RUNNING = `
SELECT ${SESSION_COLUMNS}
FROM pg_stat_activity a
WHERE ${ACTIONABLE}
  AND a.state = 'active'
  AND a.query_start < clock_timestamp() - make_interval(secs => $1)
ORDER BY a.query_start`;

export const PG_SESSION_BY_PID = `
SELECT ${SESSION_COLUMNS}
FROM pg_stat_activity a
WHERE ${ACTIONABLE} AND a.pid = $1`;

export const PG_IDLE_STATES = ['idle', 'idle in transaction', 'idle in transaction (aborted)'];

export const PG_IDLE_OLDER_THAN = `
SELECT ${SESSION_COLUMNS}
FROM pg_stat_activity a
WHERE ${ACTIONABLE}
  AND a.state = ANY($2::text[])
  AND a.state_change < clock_timestamp() - make_interval(secs => $1)
ORDER BY a.state_change`;

export const PG_CONNECTIONS_PER_USER = `
SELECT a.usename AS user, count(*)::int AS count, r.rolconnlimit AS limit
FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.rolname = a.usename
WHERE a.backend_type = 'client backend'
GROUP BY a.usename, r.rolconnlimit
ORDER BY count(*) DESC`;

export const PG_LIMIT_SETTINGS = [
  'max_connections', 'superuser_reserved_connections', 'reserved_connections', 'statement_timeout', 'lock_timeout',
  'idle_in_transaction_session_timeout', 'idle_session_timeout', 'tcp_keepalives_idle', 'tcp_keepalives_interval',
  'tcp_keepalives_count', 'authentication_timeout', 'deadlock_timeout',
];

export const PG_LIMITS = `
SELECT name, setting || coalesce(unit, '') AS value FROM pg_settings WHERE name = ANY($1::text[]) ORDER BY name`;

function signalStatement(signal: 'pg_cancel_backend' | 'pg_terminate_backend', extraCondition = ''): string {
  return `
SELECT a.pid, ${signal}(a.pid) AS signalled
FROM pg_stat_activity a
WHERE a.pid = $1
  AND a.backend_start = $2::timestamptz
  AND ${ACTIONABLE}${extraCondition}`;
}

export const PG_CANCEL = signalStatement('pg_cancel_backend');
export const PG_TERMINATE = signalStatement('pg_terminate_backend');
/** Bulk idle termination: the idle state and its age are re-checked too, at execution time. */
export const PG_TERMINATE_IF_STILL_IDLE = signalStatement(
  'pg_terminate_backend',
  `
  AND a.state = ANY($4::text[])
  AND a.state_change < clock_timestamp() - make_interval(secs => $3)`,
);

/** Why a target did not pass re-validation, for a message that says what changed. */
export const PG_WHY_NOT_ACTIONABLE = `
SELECT a.pid, to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS backend_start,
       a.backend_type, a.application_name, a.pid = pg_backend_pid() AS is_self, a.state,
       extract(epoch FROM clock_timestamp() - a.state_change)::float8 AS state_age
FROM pg_stat_activity a WHERE a.pid = $1`;

interface SessionRow {
  id: string;
  backend_start: string | null;
  user: string | null;
  client: string | null;
  database: string | null;
  application_name: string | null;
  state: string | null;
  state_age: number | null;
  query_age: number | null;
  query: string | null;
}

export function toRunbookSession(row: SessionRow): RunbookSession {
  return {
    id: row.id,
    backendStart: row.backend_start,
    user: row.user,
    client: row.client,
    database: row.database,
    applicationName: row.application_name,
    state: row.state,
    stateAgeSeconds: row.state_age,
    queryAgeSeconds: row.query_age,
    query: row.query,
  };
}

export async function listPostgresSessions(client: Client, sql: string, values: unknown[]): Promise<RunbookSession[]> {
  const result = await client.query<SessionRow>(sql, values);
  return result.rows.map(toRunbookSession);
}

export async function explainNotActionable(client: Client, pid: number, backendStart: string): Promise<string> {
  const result = await client.query<{ backend_start: string | null; backend_type: string | null; application_name: string | null; is_self: boolean; state: string | null }>(PG_WHY_NOT_ACTIONABLE, [pid]);
  const row = result.rows[0];
  if (!row) return `session ${pid} no longer exists`;
  if (row.backend_start !== null && row.backend_start !== backendStart) {
    return `pid ${pid} now belongs to a different session (started ${row.backend_start}, expected ${backendStart}): PostgreSQL reused the pid, nothing was done`;
  }
  if (row.is_self) return `session ${pid} is the runbook's own connection`;
  if ((row.application_name ?? '').startsWith('dbhealth-')) return `session ${pid} is one of dbhealth's own sessions (${row.application_name}) and is never ended`;
  if (row.backend_type !== 'client backend') return `pid ${pid} is a server background process (${row.backend_type ?? 'unknown type'}), not a client session`;
  return `session ${pid} no longer matches (state now ${row.state ?? 'unknown'})`;
}
