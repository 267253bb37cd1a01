/**
 * The PostgreSQL monitor's statements: read-only, parameterised, one round trip each.
 * Two statements per poll (overview + activity); the settings' names and limits come as parameters.
 */

/** Settings the snapshot reports under `limits.settings`. */
export const POSTGRES_REPORTED_SETTINGS = [
  'max_connections',
  'superuser_reserved_connections',
  'reserved_connections',
  'statement_timeout',
  'idle_in_transaction_session_timeout',
  'idle_session_timeout',
  'lock_timeout',
  'tcp_keepalives_idle',
] as const;

/** Applied on the monitor's own session after connecting ($1 = milliseconds as text). */
export const SET_MONITOR_STATEMENT_TIMEOUT = `SELECT set_config('statement_timeout', $1, false)`;

/**
 * Server clock, version, settings, cumulative counters per database (keyed by oid), and the roles and
 * databases that carry their own connection limit with their current use.
 * $1 = setting names.
 */
export const POSTGRES_OVERVIEW = `
SELECT
  (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS server_time_ms,
  current_setting('server_version') AS server_version,
  current_setting('server_version_num')::int AS server_version_num,
  (SELECT json_object_agg(name, CASE WHEN unit IS NULL OR unit = '' THEN reset_val ELSE reset_val || ' ' || unit END)
     FROM pg_settings WHERE name = ANY($1::text[])) AS settings,
  (SELECT json_object_agg(datid::text, json_build_object(
      'commits', xact_commit,
      'rollbacks', xact_rollback,
      'blocksHit', blks_hit,
      'blocksRead', blks_read,
      'deadlocks', coalesce(deadlocks, 0)))
     FROM pg_stat_database) AS counters,
  (SELECT coalesce(json_agg(json_build_object('role', r.rolname, 'limit', r.rolconnlimit,
            'current', (SELECT count(*) FROM pg_stat_activity a WHERE a.usesysid = r.oid)) ORDER BY r.rolname), '[]'::json)
     FROM pg_roles r WHERE r.rolconnlimit <> -1 AND r.rolcanlogin) AS role_limits,
  (SELECT coalesce(json_agg(json_build_object('database', d.datname, 'limit', d.datconnlimit,
            'current', (SELECT count(*) FROM pg_stat_activity a WHERE a.datid = d.oid)) ORDER BY d.datname), '[]'::json)
     FROM pg_database d WHERE d.datconnlimit <> -1 AND d.datallowconn) AS database_limits,
  pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS can_read_all_stats,
  pg_backend_pid() AS monitor_pid,
  current_setting('statement_timeout') AS monitor_statement_timeout
`;

/**
 * Every client backend (and every row the role may not see: those have a NULL backend_type and are
 * counted as hidden when they belong to a database, which background processes mostly do not).
 * pg_blocking_pids is evaluated only for sessions waiting on a heavyweight lock: it is the
 * expensive part. $1 = maximum query text length.
 */
export const POSTGRES_ACTIVITY = `
SELECT
  pid,
  to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS backend_start,
  usename,
  application_name,
  CASE WHEN client_addr IS NULL THEN CASE WHEN backend_type = 'client backend' THEN 'local' END
       ELSE host(client_addr) END AS client,
  datname,
  state,
  backend_type,
  extract(epoch FROM clock_timestamp() - backend_start)::float8 AS backend_age,
  extract(epoch FROM clock_timestamp() - state_change)::float8 AS state_age,
  extract(epoch FROM clock_timestamp() - xact_start)::float8 AS xact_age,
  extract(epoch FROM clock_timestamp() - query_start)::float8 AS query_age,
  CASE WHEN wait_event_type IS NULL THEN NULL ELSE wait_event_type || ':' || coalesce(wait_event, '') END AS wait_event,
  left(query, $1::int) AS query,
  CASE WHEN wait_event_type = 'Lock' THEN pg_blocking_pids(pid) ELSE '{}'::int[] END AS blocked_by,
  pid = pg_backend_pid() AS is_monitor
FROM pg_stat_activity
WHERE backend_type = 'client backend' OR (backend_type IS NULL AND datid IS NOT NULL)
`;
