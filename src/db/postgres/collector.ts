/**
 * PostgreSQL collector: one tagged, autocommit monitoring connection (node-postgres `Client`, never
 * a pool), a statement timeout set on the session after connecting, two statements per poll.
 */
import { Client, type ClientConfig } from 'pg';
import { readFileSync } from 'node:fs';
import { computeRatesAcross, countBy, countStates, deriveSessionLists, evaluateAlerts, type Counters, type KeyedCounterSample, type SnapshotWithoutAlerts } from '../analysis';
import { classifyError, CollectorError } from '../errors';
import { redactTarget } from '../target';
import type {
  AlertThresholds,
  Collector,
  ConnectionTarget,
  DatabaseConnectionLimit,
  DisabledProbe,
  RedactedTarget,
  RoleConnectionLimit,
  SessionInfo,
  Snapshot,
} from '../types';
import { POSTGRES_ACTIVITY, POSTGRES_OVERVIEW, POSTGRES_REPORTED_SETTINGS, SET_MONITOR_STATEMENT_TIMEOUT } from './sql';

export const MAX_QUERY_TEXT = 2000;
/** Extra client-side patience over the server-side statement timeout before a poll is abandoned. */
const CLIENT_QUERY_GRACE_MS = 2000;

/** node-postgres options for a target (shared with PgBouncer's admin console). */
export function postgresClientConfig(target: ConnectionTarget, useTls: boolean): ClientConfig {
  const config: ClientConfig = {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    connectionTimeoutMillis: target.connectTimeoutMs,
    query_timeout: target.statementTimeoutMs + CLIENT_QUERY_GRACE_MS,
    application_name: target.applicationName,
    keepAlive: true,
  };
  if (target.password !== undefined) config.password = target.password;
  if (useTls) {
    const verify = target.tls === 'verify-ca' || target.tls === 'verify-full';
    config.ssl = {
      rejectUnauthorized: verify,
      ...(target.caFile ? { ca: readFileSync(target.caFile, 'utf8') } : {}),
      // verify-ca checks the chain but not the name.
      ...(target.tls === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  return config;
}

/**
 * Opens one node-postgres connection honouring the TLS mode (`prefer` falls back to plain TCP when
 * the server refuses TLS). The connect timeout covers TCP, TLS and authentication.
 */
export async function openPostgresClient(target: ConnectionTarget, where: string): Promise<Client> {
  const attempt = async (useTls: boolean): Promise<Client> => {
    const client = new Client(postgresClientConfig(target, useTls));
    // An error event after connect (server gone) must not crash the process; the next query reports it.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  };
  try {
    if (target.tls === 'disable') return await attempt(false);
    try {
      return await attempt(true);
    } catch (error) {
      if (target.tls === 'prefer' && /does not support SSL/i.test(error instanceof Error ? error.message : '')) return await attempt(false);
      throw error;
    }
  } catch (error) {
    throw connectFailure(error, target, where);
  }
}

function connectFailure(error: unknown, target: ConnectionTarget, where: string): CollectorError {
  const classified = classifyError(error, where);
  if (/timeout expired|Connection terminated due to connection timeout/i.test(classified.message)) {
    return new CollectorError('timeout', `${where}: no answer within the connect timeout of ${target.connectTimeoutMs} ms`, classified.code);
  }
  return classified;
}

interface OverviewRow {
  server_time_ms: number;
  server_version: string;
  server_version_num: number;
  settings: Record<string, string> | null;
  counters: Record<string, Record<keyof Counters, string | number>> | null;
  role_limits: { role: string; limit: number; current: number }[];
  database_limits: { database: string; limit: number; current: number }[];
  can_read_all_stats: boolean;
  monitor_pid: number;
  monitor_statement_timeout: string;
}

interface ActivityRow {
  pid: number;
  backend_start: string | null;
  usename: string | null;
  application_name: string | null;
  client: string | null;
  datname: string | null;
  state: string | null;
  backend_type: string | null;
  backend_age: number | null;
  state_age: number | null;
  xact_age: number | null;
  query_age: number | null;
  wait_event: string | null;
  query: string | null;
  blocked_by: number[];
  is_monitor: boolean;
}

function settingNumber(settings: Readonly<Record<string, string>>, name: string): number {
  const value = settings[name];
  return value === undefined ? 0 : Number.parseInt(value, 10) || 0;
}

export function toSessionInfo(row: ActivityRow): SessionInfo {
  return {
    id: String(row.pid),
    backendStart: row.backend_start,
    user: row.usename,
    application: row.application_name,
    client: row.client,
    database: row.datname,
    state: row.state,
    backendAgeSeconds: row.backend_age,
    stateAgeSeconds: row.state_age,
    transactionAgeSeconds: row.xact_age,
    queryAgeSeconds: row.query_age,
    waitEvent: row.wait_event,
    query: row.query,
    blockedBy: (row.blocked_by ?? []).map(String),
    isMonitor: row.is_monitor,
  };
}

export class PostgresCollector implements Collector {
  readonly target: RedactedTarget;
  private client: Client | null = null;
  private previousCounters: KeyedCounterSample | null = null;

  constructor(private readonly connection: ConnectionTarget) {
    this.target = redactTarget(connection);
  }

  get isConnected(): boolean {
    return this.client !== null;
  }

  async connect(): Promise<void> {
    // Never more than one monitoring connection: drop any previous one first.
    await this.close();
    const client = await openPostgresClient(this.connection, 'connecting to PostgreSQL');
    try {
      await client.query(SET_MONITOR_STATEMENT_TIMEOUT, [String(this.connection.statementTimeoutMs)]);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw classifyError(error, 'setting the monitor statement timeout');
    }
    client.on('end', () => {
      if (this.client === client) this.client = null;
    });
    this.client = client;
  }

  async collect(thresholds: AlertThresholds): Promise<Snapshot> {
    const client = this.client;
    if (!client) throw new CollectorError('unreachable', 'not connected');
    const started = performance.now();
    let overview: OverviewRow;
    let activity: ActivityRow[];
    try {
      overview = (await client.query<OverviewRow>(POSTGRES_OVERVIEW, [[...POSTGRES_REPORTED_SETTINGS]])).rows[0];
      activity = (await client.query<ActivityRow>(POSTGRES_ACTIVITY, [MAX_QUERY_TEXT])).rows;
    } catch (error) {
      const failure = classifyError(error, 'polling PostgreSQL');
      if (failure.kind !== 'privilege') await this.close();
      throw failure;
    }
    const pollDurationMs = performance.now() - started;
    const settings = overview.settings ?? {};
    const byKey: Record<string, Counters> = {};
    for (const [datid, raw] of Object.entries(overview.counters ?? {})) {
      byKey[datid] = {
        commits: Number(raw.commits),
        rollbacks: Number(raw.rollbacks),
        blocksHit: Number(raw.blocksHit),
        blocksRead: Number(raw.blocksRead),
        deadlocks: Number(raw.deadlocks),
      };
    }
    const counters: KeyedCounterSample = { serverTimeMs: overview.server_time_ms, byKey };
    const rates = computeRatesAcross(this.previousCounters, counters);
    this.previousCounters = counters;

    const visible = activity.filter((row) => row.backend_type !== null).map(toSessionInfo);
    const hiddenSessions = activity.length - visible.length;
    const maxConnections = settingNumber(settings, 'max_connections');
    // reserved_connections exists from PostgreSQL 16; absent settings count as 0.
    const reserved = settingNumber(settings, 'superuser_reserved_connections') + settingNumber(settings, 'reserved_connections');
    const usable = Math.max(0, maxConnections - reserved);
    const total = activity.length;

    const disabledProbes: DisabledProbe[] = [];
    const roleLimits: RoleConnectionLimit[] = overview.role_limits.map((row) => ({ role: row.role, limit: row.limit, current: Number(row.current) }));
    const databaseLimits: DatabaseConnectionLimit[] = overview.database_limits.map((row) => ({ database: row.database, limit: row.limit, current: Number(row.current) }));

    const base: SnapshotWithoutAlerts = {
      engine: 'postgres',
      serverVersion: `PostgreSQL ${overview.server_version}`,
      sampledAt: new Date(overview.server_time_ms).toISOString(),
      pollDurationMs,
      connections: {
        total,
        max: usable,
        reserved,
        utilization: usable > 0 ? total / usable : 0,
        byState: countStates(visible, hiddenSessions),
      },
      sessions: visible,
      hiddenSessions,
      ...deriveSessionLists(visible, thresholds),
      byUser: countBy(activity, (row) => row.usename),
      byApplication: countBy(activity, (row) => (row.backend_type === null ? null : row.application_name || '(none)')),
      byClient: countBy(visible, (session) => session.client),
      byDatabase: countBy(activity, (row) => row.datname),
      rates,
      limits: { maxConnections, settings, roleLimits, databaseLimits },
      disabledProbes,
      monitorSession: { id: String(overview.monitor_pid), statementTimeout: overview.monitor_statement_timeout },
    };
    return { ...base, alerts: evaluateAlerts(base, thresholds) };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}
