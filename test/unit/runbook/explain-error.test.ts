import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainError } from '../../../src/runbook/errors/explain';
import type { RetryAdvice, RunbookScenario } from '../../../src/runbook/errors/types';

interface Case {
  readonly text: string;
  readonly title: RegExp;
  readonly retry: RetryAdvice;
  readonly scenario?: RunbookScenario;
  readonly sqlstate?: string;
  readonly mysqlErrno?: number;
}

// Error texts as the drivers print them (formats taken from the drivers' and servers' messages).
const CASES: readonly Case[] = [
  // psycopg2 / psycopg / libpq
  { text: 'psycopg2.OperationalError: connection to server at "db.internal" (10.0.0.5), port 5432 failed: FATAL:  sorry, too many clients already', title: /server connection limit/, retry: 'transient', scenario: 'too-many-connections', sqlstate: '53300' },
  { text: 'psycopg2.OperationalError: connection to server at "127.0.0.1", port 5432 failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections', title: /server connection limit/, retry: 'transient', scenario: 'too-many-connections' },
  { text: 'psycopg2.OperationalError: FATAL:  too many connections for role "app"', title: /role or database connection limit/, retry: 'transient', scenario: 'too-many-connections', sqlstate: '53300' },
  { text: 'psycopg2.OperationalError: connection to server at "localhost" (127.0.0.1), port 5432 failed: FATAL:  password authentication failed for user "app"', title: /password authentication failed/, retry: 'permanent', scenario: 'authentication-failure', sqlstate: '28P01' },
  { text: 'psycopg2.OperationalError: connection to server at "10.1.2.3", port 5432 failed: FATAL:  no pg_hba.conf entry for host "10.1.9.9", user "app", database "shop", no encryption', title: /pg_hba/, retry: 'permanent', scenario: 'authentication-failure', sqlstate: '28000' },
  { text: 'psycopg2.OperationalError: connection to server at "127.0.0.1", port 5433 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?', title: /connection refused/, retry: 'transient', scenario: 'server-unreachable' },
  { text: 'psycopg2.OperationalError: could not translate host name "db.nowhere" to address: Name or service not known', title: /does not resolve/, retry: 'depends', scenario: 'server-unreachable' },
  { text: 'psycopg2.OperationalError: server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.', title: /closed under the client/, retry: 'transient', scenario: 'connection-lost' },
  { text: 'psycopg2.OperationalError: SSL SYSCALL error: EOF detected', title: /closed under the client/, retry: 'transient', scenario: 'connection-lost' },
  { text: 'psycopg2.errors.AdminShutdown: terminating connection due to administrator command', title: /terminated by an administrator/, retry: 'transient', scenario: 'connection-lost', sqlstate: '57P01' },
  { text: 'psycopg2.errors.QueryCanceled: canceling statement due to statement timeout', title: /statement timeout/, retry: 'depends', scenario: 'long-running-blocker', sqlstate: '57014' },
  { text: 'psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update', title: /serialization failure/, retry: 'transient', scenario: 'lock-conflict', sqlstate: '40001' },
  { text: 'psycopg2.errors.DeadlockDetected: deadlock detected\nDETAIL:  Process 4242 waits for ShareLock on transaction 901; blocked by process 4243.', title: /deadlock/, retry: 'transient', scenario: 'lock-conflict', sqlstate: '40P01' },
  { text: 'psycopg2.errors.InFailedSqlTransaction: current transaction is aborted, commands ignored until end of transaction block', title: /transaction is aborted/, retry: 'permanent', sqlstate: '25P02' },
  { text: 'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "users_email_key"\nDETAIL:  Key (email)=(a@b.c) already exists.', title: /unique violation/, retry: 'permanent', sqlstate: '23505' },
  { text: 'psycopg2.errors.UndefinedTable: relation "orders" does not exist\nLINE 1: SELECT * FROM orders', title: /undefined table/, retry: 'permanent', sqlstate: '42P01' },
  { text: 'psycopg2.pool.PoolError: connection pool exhausted', title: /psycopg2 pool exhausted/, retry: 'transient', scenario: 'pool-exhausted' },
  { text: 'psycopg2.OperationalError: timeout expired', title: /connect timeout expired/, retry: 'transient', scenario: 'server-unreachable' },
  { text: 'psycopg.OperationalError: connection failed: FATAL:  the database system is starting up', title: /not accepting connections/, retry: 'transient', sqlstate: '57P03' },
  { text: "psycopg_pool.PoolTimeout: couldn't get a connection after 30.00 sec", title: /psycopg_pool checkout timed out/, retry: 'transient', scenario: 'pool-exhausted' },
  { text: 'psycopg.errors.IdleInTransactionSessionTimeout: terminating connection due to idle-in-transaction timeout', title: /idle-in-transaction timeout/, retry: 'depends', scenario: 'idle-in-transaction', sqlstate: '25P03' },
  // SQLAlchemy wrapping
  { text: 'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "db" (172.18.0.2), port 5432 failed: FATAL:  sorry, too many clients already\n\n(Background on this error at: https://sqlalche.me/e/20/e3q8)', title: /server connection limit/, retry: 'transient', scenario: 'too-many-connections' },
  { text: 'sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)', title: /SQLAlchemy pool exhausted/, retry: 'transient', scenario: 'pool-exhausted' },
  { text: 'sqlalchemy.exc.IntegrityError: (psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint "ix_users_email"', title: /unique violation/, retry: 'permanent', sqlstate: '23505' },
  { text: 'sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (2003, "Can\'t connect to MySQL server on \'db\' ([Errno 111] Connection refused)")', title: /cannot connect to server/, retry: 'transient', scenario: 'server-unreachable', mysqlErrno: 2003 },
  { text: 'sqlalchemy.exc.OperationalError: (MySQLdb.OperationalError) (2006, \'MySQL server has gone away\')', title: /server has gone away/, retry: 'transient', scenario: 'connection-lost', mysqlErrno: 2006 },
  // asyncpg
  { text: 'asyncpg.exceptions.TooManyConnectionsError: sorry, too many clients already', title: /server connection limit/, retry: 'transient', sqlstate: '53300' },
  { text: 'asyncpg.exceptions.InvalidPasswordError: password authentication failed for user "app"', title: /password authentication failed/, retry: 'permanent', sqlstate: '28P01' },
  { text: 'asyncpg.exceptions.SerializationError: could not serialize access due to read/write dependencies among transactions', title: /serialization failure/, retry: 'transient', sqlstate: '40001' },
  { text: 'asyncpg.exceptions.CannotConnectNowError: the database system is shutting down', title: /not accepting connections/, retry: 'transient', sqlstate: '57P03' },
  { text: 'asyncpg.exceptions.ConnectionDoesNotExistError: connection was closed in the middle of operation', title: /closed during an operation/, retry: 'transient', scenario: 'connection-lost' },
  // PyMySQL / mysqlclient / mysql-connector / mysql CLI
  { text: 'pymysql.err.OperationalError: (1040, \'Too many connections\')', title: /too many connections/, retry: 'transient', scenario: 'too-many-connections', mysqlErrno: 1040 },
  { text: 'pymysql.err.OperationalError: (1045, "Access denied for user \'app\'@\'10.0.0.7\' (using password: YES)")', title: /access denied/, retry: 'permanent', scenario: 'authentication-failure', mysqlErrno: 1045 },
  { text: 'pymysql.err.OperationalError: (1226, "User \'app\' has exceeded the \'max_user_connections\' resource (current value: 10)")', title: /resource limit/, retry: 'depends', scenario: 'too-many-connections', mysqlErrno: 1226 },
  { text: 'pymysql.err.OperationalError: (1205, \'Lock wait timeout exceeded; try restarting transaction\')', title: /lock wait timeout/, retry: 'transient', scenario: 'long-running-blocker', mysqlErrno: 1205 },
  { text: 'pymysql.err.OperationalError: (1213, \'Deadlock found when trying to get lock; try restarting transaction\')', title: /deadlock/, retry: 'transient', scenario: 'lock-conflict', mysqlErrno: 1213 },
  { text: 'MySQLdb.OperationalError: (1203, "User app already has more than \'max_user_connections\' active connections")', title: /user has too many connections/, retry: 'transient', mysqlErrno: 1203 },
  { text: 'pymysql.err.OperationalError: (2013, \'Lost connection to MySQL server during query\')', title: /lost connection during query/, retry: 'transient', scenario: 'connection-lost', mysqlErrno: 2013 },
  { text: "mysql.connector.errors.OperationalError: 2055: Lost connection to MySQL server at '10.0.0.5:3306', system error: 32 Broken pipe", title: /lost connection \(with system error\)/, retry: 'transient', mysqlErrno: 2055 },
  { text: "mysql.connector.errors.ProgrammingError: 1045 (28000): Access denied for user 'app'@'localhost' (using password: YES)", title: /access denied/, retry: 'permanent', mysqlErrno: 1045 },
  { text: "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/run/mysqld/mysqld.sock' (2)", title: /local socket/, retry: 'transient', mysqlErrno: 2002 },
  { text: "ERROR 2005 (HY000): Unknown MySQL server host 'db.nowhere' (-2)", title: /unknown server host/, retry: 'depends', mysqlErrno: 2005 },
  { text: 'ERROR 1927 (70100): Connection was killed', title: /connection was killed/, retry: 'transient', mysqlErrno: 1927 },
  { text: 'Got a packet bigger than \'max_allowed_packet\' bytes (errno: 1153)', title: /max_allowed_packet/, retry: 'permanent', mysqlErrno: 1153 },
  { text: "Aborted connection 1234 to db: 'shop' user: 'app' host: '10.0.0.7' (Got timeout reading communication packets) errno: 1152", title: /aborted connection/, retry: 'transient', mysqlErrno: 1152 },
  // node-postgres
  { text: 'Error: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)', title: /connection refused/, retry: 'transient', scenario: 'server-unreachable' },
  { text: 'Error: timeout exceeded when trying to connect\n    at Timeout._onTimeout (/app/node_modules/pg-pool/index.js:45:11)', title: /pool checkout timed out/, retry: 'transient', scenario: 'pool-exhausted' },
  { text: 'Error: Connection terminated unexpectedly\n    at Connection.<anonymous> (/app/node_modules/pg/lib/client.js:132:73)', title: /terminated unexpectedly/, retry: 'transient', scenario: 'connection-lost' },
  { text: 'Error: Connection terminated due to connection timeout', title: /connect timeout/, retry: 'transient', scenario: 'server-unreachable' },
  { text: "error: sorry, too many clients already { length: 85, severity: 'FATAL', code: '53300', routine: 'InitProcessGlobals' }", title: /server connection limit/, retry: 'transient', sqlstate: '53300' },
  { text: "error: canceling statement due to lock timeout { severity: 'ERROR', code: '55P03' }", title: /lock timeout/, retry: 'transient', scenario: 'long-running-blocker', sqlstate: '55P03' },
  { text: 'Error: getaddrinfo ENOTFOUND db.internal', title: /does not resolve/, retry: 'depends', scenario: 'server-unreachable' },
  // mysql2 / mysql (Node)
  { text: "Error: Too many connections { code: 'ER_CON_COUNT_ERROR', errno: 1040, sqlState: '08004' }", title: /too many connections/, retry: 'transient', mysqlErrno: 1040 },
  { text: "Error: Connection lost: The server closed the connection. { fatal: true, code: 'PROTOCOL_CONNECTION_LOST' }", title: /connection lost/, retry: 'transient', scenario: 'connection-lost' },
  { text: "Error: Can't add new command when connection is in closed state", title: /dead connection/, retry: 'permanent' },
  { text: "Error: connect ETIMEDOUT { errorno: 'ETIMEDOUT', code: 'ETIMEDOUT', syscall: 'connect', fatal: true }", title: /connect timed out/, retry: 'transient', scenario: 'server-unreachable' },
  { text: 'Error: read ECONNRESET at TCP.onStreamRead (node:internal/stream_base_commons:217:20)', title: /connection reset/, retry: 'transient', scenario: 'connection-lost' },
  { text: "Error: Lock wait timeout exceeded; try restarting transaction { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }", title: /lock wait timeout/, retry: 'transient', mysqlErrno: 1205 },
  // bare codes and classes
  { text: 'SQLSTATE 08006', title: /connection failure/, retry: 'transient', sqlstate: '08006' },
  { text: 'SQLSTATE[08P99]: some future connection error', title: /connection exception/, retry: 'transient', sqlstate: '08P99' },
  { text: 'ERROR 1040', title: /too many connections/, retry: 'transient', mysqlErrno: 1040 },
  { text: 'OperationalError', title: /operational error/, retry: 'transient' },
  { text: 'django.db.utils.InterfaceError: connection already closed', title: /closed under the client/, retry: 'transient' },
];

test(`explainError recognises ${CASES.length} real driver error strings`, () => {
  assert.ok(CASES.length >= 40);
  // Every mismatch is collected, so one run shows the whole table's state.
  const mismatches: string[] = [];
  for (const expected of CASES) {
    const got = explainError(expected.text);
    const problems = [
      !got.recognised && 'not recognised',
      !expected.title.test(got.title) && `title "${got.title}"`,
      got.retry !== expected.retry && `retry ${got.retry}`,
      expected.scenario && got.scenario !== expected.scenario && `scenario ${got.scenario}`,
      expected.sqlstate && got.sqlstate !== expected.sqlstate && `sqlstate ${got.sqlstate}`,
      expected.mysqlErrno && got.mysqlErrno !== expected.mysqlErrno && `errno ${got.mysqlErrno}`,
    ].filter(Boolean);
    if (problems.length > 0) mismatches.push(`${expected.text.slice(0, 80)}: ${problems.join(', ')} [${got.evidence.join('; ')}]`);
  }
  assert.deepEqual(mismatches, []);
});

test('SQLAlchemy wrapping and the DB-API class are named as evidence', () => {
  const got = explainError('sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) FATAL:  sorry, too many clients already');
  assert.ok(got.evidence.some((line) => line.includes("SQLAlchemy wraps the driver's psycopg2.OperationalError")), got.evidence.join('\n'));
  assert.ok(got.evidence.some((line) => line.startsWith('DB-API class OperationalError')), got.evidence.join('\n'));
});

test('text with nothing recognisable says so instead of guessing', () => {
  const got = explainError('Something went wrong, please try again later.');
  assert.equal(got.recognised, false);
  assert.equal(got.retry, 'depends');
});

test('the advice sentence follows the retry verdict', () => {
  assert.match(explainError('SQLSTATE 40001').retryAdvice, /backoff/);
  assert.match(explainError('SQLSTATE 28P01').retryAdvice, /^Permanent/);
});
