/**
 * MySQL/MariaDB collector: one mysql2 connection tagged with the `program_name` connect attribute,
 * autocommit, a per-statement limit set after connecting. Optional probes (InnoDB transactions and
 * lock waits) are switched off and reported when the account may not read them or the server lacks them.
 */
import { createConnection, type Connection, type ConnectionOptions, type RowDataPacket } from 'mysql2/promise';
import { readFileSync } from 'node:fs';
import { countBy, countStates, deriveSessionLists, evaluateAlerts, type SnapshotWithoutAlerts } from '../analysis';
import { classifyError, CollectorError } from '../errors';
import { redactTarget } from '../target';
import type { AlertThresholds, Collector, ConnectionTarget, DisabledProbe, MysqlSection, RedactedTarget, SessionInfo, Snapshot } from '../types';
import {
  MARIADB_SET_STATEMENT_TIMEOUT,
  MYSQL_CAN_SEE_ALL_THREADS,
  MYSQL_CONNECTION_ID,
  MYSQL_INNODB_LOCK_WAITS,
  MYSQL_INNODB_TRX,
  MYSQL_PROCESSLIST_INFORMATION_SCHEMA,
  MYSQL_PROCESSLIST_PERFORMANCE_SCHEMA,
  MYSQL_SET_AUTOCOMMIT,
  MYSQL_SET_STATEMENT_TIMEOUT,
  MYSQL_STATUS,
  MYSQL_STATUS_NAMES,
  MYSQL_VARIABLE_NAMES,
  MYSQL_VARIABLES,
} from './sql';

const MAX_QUERY_TEXT = 2000;
const CLIENT_QUERY_GRACE_MS = 2000;
/** Errors that mean "this probe cannot work here": no privilege, or no such table on this server. */
const PROBE_UNAVAILABLE_CODES = new Set(['ER_NO_SUCH_TABLE', 'ER_UNKNOWN_TABLE', 'ER_BAD_FIELD_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR']);

type OptionalProbe = 'innodb-transactions' | 'innodb-lock-waits';

interface ProcessRow extends RowDataPacket {
  id: number | string;
  user: string | null;
  host: string | null;
  db: string | null;
  command: string | null;
  time: number | null;
  state: string | null;
  info: string | null;
  program: string | null;
}

/** mysql2 options for a tagged dbhealth session; the runbook opens its own sessions with them too. */
export function mysqlConnectionOptions(target: ConnectionTarget): ConnectionOptions {
  const options: ConnectionOptions = {
    host: target.host,
    port: target.port,
    user: target.user,
    connectTimeout: target.connectTimeoutMs,
    connectAttributes: { program_name: target.applicationName },
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
  };
  if (target.database) options.database = target.database;
  if (target.password !== undefined) options.password = target.password;
  if (target.tls !== 'disable' && target.tls !== 'prefer') {
    options.ssl = {
      rejectUnauthorized: target.tls === 'verify-ca' || target.tls === 'verify-full',
      ...(target.caFile ? { ca: readFileSync(target.caFile, 'utf8') } : {}),
    };
  }
  return options;
}

/** `host:port` from the processlist → host only, to count connections per client host; sockets stay `localhost`. */
function clientHost(host: string | null): string | null {
  if (!host) return null;
  const bracketed = /^\[(.*)\]:\d+$/.exec(host);
  if (bracketed) return bracketed[1];
  const colon = host.lastIndexOf(':');
  return colon > 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

/** MySQL commands mapped onto the shared state words (the raw command is kept when it means something else). */
function normaliseState(command: string | null, inTransaction: boolean): string | null {
  if (command === null) return null;
  if (command === 'Sleep') return inTransaction ? 'idle in transaction' : 'idle';
  if (command === 'Query' || command === 'Execute') return 'active';
  return command.toLowerCase();
}

function isBackgroundThread(row: ProcessRow): boolean {
  return row.command === 'Daemon' || row.user === 'system user' || row.user === 'event_scheduler' || row.command === 'Binlog Dump' || row.command === 'Binlog Dump GTID';
}

export class MysqlCollector implements Collector {
  readonly target: RedactedTarget;
  private connection: Connection | null = null;
  private connectionId: string | null = null;
  private serverIsMariadb = false;
  private seesAllThreads = true;
  private readonly disabledProbes = new Map<OptionalProbe, string>();

  constructor(private readonly connectionTarget: ConnectionTarget) {
    this.target = redactTarget(connectionTarget);
  }

  get isConnected(): boolean {
    return this.connection !== null;
  }

  async connect(): Promise<void> {
    await this.close();
    let connection: Connection;
    try {
      connection = await createConnection(mysqlConnectionOptions(this.connectionTarget));
    } catch (error) {
      const failure = classifyError(error, 'connecting to MySQL/MariaDB');
      if (failure.kind === 'timeout' || /ETIMEDOUT|connect timeout/i.test(failure.message)) {
        throw new CollectorError('timeout', `connecting to MySQL/MariaDB: no answer within the connect timeout of ${this.connectionTarget.connectTimeoutMs} ms`, failure.code);
      }
      throw failure;
    }
    connection.on('error', () => undefined);
    try {
      const [idRows] = await connection.query<RowDataPacket[]>(MYSQL_CONNECTION_ID);
      this.connectionId = String(idRows[0].id);
      const [versionRows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version');
      this.serverIsMariadb = /mariadb/i.test(String(versionRows[0].version));
      const [privilegeRows] = await connection.query<RowDataPacket[]>(MYSQL_CAN_SEE_ALL_THREADS);
      this.seesAllThreads = Number(privilegeRows[0].n) > 0;
      await connection.query(MYSQL_SET_AUTOCOMMIT);
      if (this.serverIsMariadb) await connection.query(MARIADB_SET_STATEMENT_TIMEOUT, [this.connectionTarget.statementTimeoutMs / 1000]);
      else await connection.query(MYSQL_SET_STATEMENT_TIMEOUT, [this.connectionTarget.statementTimeoutMs]);
    } catch (error) {
      await connection.end().catch(() => undefined);
      throw classifyError(error, 'preparing the MySQL monitoring session');
    }
    connection.on('end', () => {
      if (this.connection === connection) this.connection = null;
    });
    this.connection = connection;
  }

  private async query<T extends RowDataPacket>(sql: string, values: unknown[] = []): Promise<T[]> {
    const connection = this.connection;
    if (!connection) throw new CollectorError('unreachable', 'not connected');
    const [rows] = await connection.query<T[]>({ sql, values, timeout: this.connectionTarget.statementTimeoutMs + CLIENT_QUERY_GRACE_MS });
    return rows;
  }

  /** Runs an optional probe; on privilege/absence errors switches it off for the life of the collector. */
  private async optionalProbe<T extends RowDataPacket>(probe: OptionalProbe, sql: string): Promise<T[] | null> {
    if (this.disabledProbes.has(probe)) return null;
    try {
      return await this.query<T>(sql);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const failure = classifyError(error, probe);
      if ((code && PROBE_UNAVAILABLE_CODES.has(code)) || failure.kind === 'privilege') {
        this.disabledProbes.set(probe, failure.message.replace(`${probe}: `, ''));
        return null;
      }
      throw error;
    }
  }

  async collect(thresholds: AlertThresholds): Promise<Snapshot> {
    if (!this.connection) throw new CollectorError('unreachable', 'not connected');
    const started = performance.now();
    try {
      const statusRows = await this.query<RowDataPacket>(MYSQL_STATUS, [[...MYSQL_STATUS_NAMES]]);
      const variableRows = await this.query<RowDataPacket>(MYSQL_VARIABLES, [[...MYSQL_VARIABLE_NAMES]]);
      const [clock] = await this.query<RowDataPacket>(MYSQL_CONNECTION_ID);
      const status = Object.fromEntries(statusRows.map((row) => [String(row.Variable_name), String(row.Value)]));
      const variables = Object.fromEntries(variableRows.map((row) => [String(row.Variable_name), String(row.Value)]));
      const usePerformanceSchema = variables.performance_schema === 'ON';
      const processRows = await this.query<ProcessRow>(usePerformanceSchema ? MYSQL_PROCESSLIST_PERFORMANCE_SCHEMA : MYSQL_PROCESSLIST_INFORMATION_SCHEMA, [MAX_QUERY_TEXT]);
      const transactions = await this.optionalProbe<RowDataPacket>('innodb-transactions', MYSQL_INNODB_TRX);
      const lockWaits = await this.optionalProbe<RowDataPacket>('innodb-lock-waits', MYSQL_INNODB_LOCK_WAITS);
      const pollDurationMs = performance.now() - started;

      const transactionAge = new Map((transactions ?? []).map((row) => [String(row.id), Number(row.age)]));
      const blockersOf = new Map<string, string[]>();
      for (const row of lockWaits ?? []) {
        const waiting = String(row.waiting);
        blockersOf.set(waiting, [...(blockersOf.get(waiting) ?? []), String(row.blocking)]);
      }
      const sessions: SessionInfo[] = processRows.filter((row) => !isBackgroundThread(row)).map((row) => {
        const id = String(row.id);
        const inTransaction = transactionAge.has(id);
        const state = normaliseState(row.command, inTransaction);
        const time = row.time === null ? null : Number(row.time);
        return {
          id,
          backendStart: null,
          user: row.user,
          application: row.program ?? (id === this.connectionId ? this.connectionTarget.applicationName : null),
          // host:port as the processlist names it: with the thread id it names one connection,
          // which is how the runbook re-identifies a session from the panel before KILL.
          client: row.host,
          database: row.db,
          state,
          backendAgeSeconds: null,
          stateAgeSeconds: time,
          transactionAgeSeconds: transactionAge.get(id) ?? null,
          queryAgeSeconds: state === 'active' ? time : null,
          waitEvent: row.state ? row.state : null,
          query: row.info,
          blockedBy: blockersOf.get(id) ?? [],
          isMonitor: id === this.connectionId,
        };
      });

      const number = (value: string | undefined): number => (value === undefined ? 0 : Number(value) || 0);
      const maxConnections = number(variables.max_connections);
      const total = number(status.Threads_connected);
      const connectionErrors: Record<string, number> = {};
      for (const [name, value] of Object.entries(status)) {
        if (name.startsWith('Connection_errors_')) connectionErrors[name.slice('Connection_errors_'.length)] = number(value);
      }
      const longSleepingIds = sessions
        .filter((session) => session.state === 'idle' && !session.isMonitor && (session.stateAgeSeconds ?? 0) > thresholds.longSleepSeconds)
        .map((session) => session.id);
      const mysql: MysqlSection = {
        threadsConnected: total,
        threadsRunning: number(status.Threads_running),
        maxUsedConnections: number(status.Max_used_connections),
        maxConnections,
        maxUserConnections: number(variables.max_user_connections),
        abortedConnects: number(status.Aborted_connects),
        abortedClients: number(status.Aborted_clients),
        connectionErrors,
        waitTimeout: number(variables.wait_timeout),
        interactiveTimeout: number(variables.interactive_timeout),
        processListSource: usePerformanceSchema ? 'performance_schema' : 'information_schema',
        longSleepingIds,
      };
      const reportedSettings = ['max_connections', 'max_user_connections', 'wait_timeout', 'interactive_timeout', this.serverIsMariadb ? 'max_statement_time' : 'max_execution_time', 'extra_max_connections'];
      const settings = Object.fromEntries(reportedSettings.filter((name) => variables[name] !== undefined).map((name) => [name, variables[name]]));
      const disabledProbes: DisabledProbe[] = [...this.disabledProbes].map(([probe, reason]) => ({ probe, reason }));

      // Without PROCESS the list holds only this account's threads: count the rest as hidden.
      const hiddenSessions = this.seesAllThreads ? 0 : Math.max(0, total - sessions.length);
      const base: SnapshotWithoutAlerts = {
        engine: 'mysql',
        serverVersion: variables.version ?? 'unknown',
        sampledAt: new Date(Number(clock.server_time) * 1000).toISOString(),
        pollDurationMs,
        connections: {
          total,
          max: maxConnections,
          reserved: 0,
          utilization: maxConnections > 0 ? total / maxConnections : 0,
          byState: countStates(sessions, hiddenSessions),
        },
        sessions,
        hiddenSessions,
        ...deriveSessionLists(sessions, thresholds),
        byUser: countBy(sessions, (session) => session.user),
        byApplication: countBy(sessions, (session) => session.application),
        byClient: countBy(sessions, (session) => clientHost(session.client)),
        byDatabase: countBy(sessions, (session) => session.database),
        rates: null,
        limits: { maxConnections, settings, roleLimits: [], databaseLimits: [] },
        mysql,
        disabledProbes,
      };
      return { ...base, alerts: evaluateAlerts(base, thresholds) };
    } catch (error) {
      const failure = classifyError(error, 'polling MySQL/MariaDB');
      await this.close();
      throw failure;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      await Promise.race([connection.end(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]).catch(() => undefined);
      connection.destroy();
    }
  }
}
