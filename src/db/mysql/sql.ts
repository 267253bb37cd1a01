/**
 * The MySQL/MariaDB monitor's statements: read-only; values go through mysql2's placeholders.
 */

export const MYSQL_STATUS_NAMES = [
  'Threads_connected',
  'Threads_running',
  'Max_used_connections',
  'Aborted_connects',
  'Aborted_clients',
  'Uptime',
] as const;

export const MYSQL_VARIABLE_NAMES = [
  'max_connections',
  'max_user_connections',
  'wait_timeout',
  'interactive_timeout',
  'max_execution_time',
  'max_statement_time',
  'performance_schema',
  'version',
  'version_comment',
  'extra_max_connections',
] as const;

/** Both engines accept SHOW ... WHERE; Connection_errors_* are matched by prefix. */
export const MYSQL_STATUS = `SHOW GLOBAL STATUS WHERE Variable_name IN (?) OR Variable_name LIKE 'Connection\\_errors\\_%'`;
export const MYSQL_VARIABLES = `SHOW GLOBAL VARIABLES WHERE Variable_name IN (?)`;
export const MYSQL_CONNECTION_ID = `SELECT CONNECTION_ID() AS id, UNIX_TIMESTAMP(NOW(6)) AS server_time`;

/** MariaDB names its per-statement limit max_statement_time (seconds); MySQL max_execution_time (ms, SELECT only). */
export const MARIADB_SET_STATEMENT_TIMEOUT = `SET SESSION max_statement_time = ?`;
export const MYSQL_SET_STATEMENT_TIMEOUT = `SET SESSION max_execution_time = ?`;
export const MYSQL_SET_AUTOCOMMIT = `SET SESSION autocommit = 1`;

/** Foreground threads from performance_schema, with the client's program_name connect attribute. ? = text length. */
export const MYSQL_PROCESSLIST_PERFORMANCE_SCHEMA = `
SELECT t.PROCESSLIST_ID AS id, t.PROCESSLIST_USER AS user, t.PROCESSLIST_HOST AS host, t.PROCESSLIST_DB AS db,
       t.PROCESSLIST_COMMAND AS command, t.PROCESSLIST_TIME AS time, t.PROCESSLIST_STATE AS state,
       LEFT(t.PROCESSLIST_INFO, ?) AS info,
       (SELECT a.ATTR_VALUE FROM performance_schema.session_connect_attrs a
         WHERE a.PROCESSLIST_ID = t.PROCESSLIST_ID AND a.ATTR_NAME = 'program_name' LIMIT 1) AS program
FROM performance_schema.threads t
WHERE t.TYPE = 'FOREGROUND' AND t.PROCESSLIST_ID IS NOT NULL`;

/** Fallback when performance_schema is off (MariaDB's default). ? = text length. */
export const MYSQL_PROCESSLIST_INFORMATION_SCHEMA = `
SELECT ID AS id, USER AS user, HOST AS host, DB AS db, COMMAND AS command, TIME AS time, STATE AS state,
       LEFT(INFO, ?) AS info, NULL AS program
FROM information_schema.PROCESSLIST`;

/** Lock waits between transactions (MariaDB / MySQL 5.7 InnoDB tables; MySQL 8 moved them). */
export const MYSQL_INNODB_LOCK_WAITS = `
SELECT r.trx_mysql_thread_id AS waiting, b.trx_mysql_thread_id AS blocking
FROM information_schema.INNODB_LOCK_WAITS w
JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id
JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id`;

/** Open transactions, to tell idle-in-transaction sleepers from plain idle ones. */
export const MYSQL_INNODB_TRX = `
SELECT trx_mysql_thread_id AS id, TIMESTAMPDIFF(MICROSECOND, trx_started, NOW(6)) / 1e6 AS age
FROM information_schema.INNODB_TRX`;

/**
 * Whether this account sees every thread (PROCESS, or SUPER on old servers). Without it the
 * process list shows only the account's own threads. USER_PRIVILEGES lists only the caller's own
 * grants to an unprivileged account, so any row means the privilege is held.
 */
export const MYSQL_CAN_SEE_ALL_THREADS = `
SELECT COUNT(*) AS n FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE IN ('PROCESS', 'SUPER')`;
