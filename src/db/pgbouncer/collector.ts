/**
 * PgBouncer admin-console collector. The console speaks only the simple query protocol and
 * accepts only SHOW-style commands, so every statement is a fixed text sent without parameters
 * (node-postgres then uses the simple protocol), no SET is issued, and columns are read by name
 * because their set and order change between PgBouncer versions.
 */
import type { Client } from 'pg';
import { countStates, evaluateAlerts, type SnapshotWithoutAlerts } from '../analysis';
import { classifyError, CollectorError } from '../errors';
import { openPostgresClient } from '../postgres/collector';
import { redactTarget } from '../target';
import type {
  AlertThresholds,
  Collector,
  ConnectionTarget,
  PgbouncerDatabase,
  PgbouncerPool,
  PgbouncerSection,
  PgbouncerStats,
  RedactedTarget,
  Snapshot,
} from '../types';

export const PGBOUNCER_SHOW_VERSION = 'SHOW VERSION';
export const PGBOUNCER_SHOW_POOLS = 'SHOW POOLS';
export const PGBOUNCER_SHOW_STATS = 'SHOW STATS';
export const PGBOUNCER_SHOW_DATABASES = 'SHOW DATABASES';
export const PGBOUNCER_SHOW_CONFIG = 'SHOW CONFIG';

type Row = Record<string, unknown>;

function numberColumn(row: Row, name: string): number {
  const value = row[name];
  if (value === null || value === undefined || value === '') return 0;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

function optionalNumber(row: Row, name: string): number | null {
  return name in row && row[name] !== null && row[name] !== '' ? numberColumn(row, name) : null;
}

function textColumn(row: Row, name: string): string | null {
  const value = row[name];
  return value === null || value === undefined ? null : String(value);
}

function flagColumn(row: Row, name: string): boolean {
  const value = row[name];
  return value === true || value === 1 || value === '1' || value === 't';
}

export function toPool(row: Row): PgbouncerPool {
  return {
    database: textColumn(row, 'database') ?? '',
    user: textColumn(row, 'user') ?? '',
    clientsActive: numberColumn(row, 'cl_active'),
    clientsWaiting: numberColumn(row, 'cl_waiting'),
    serversActive: numberColumn(row, 'sv_active'),
    serversIdle: numberColumn(row, 'sv_idle'),
    serversUsed: numberColumn(row, 'sv_used'),
    serversTested: numberColumn(row, 'sv_tested'),
    serversLogin: numberColumn(row, 'sv_login'),
    maxWaitSeconds: numberColumn(row, 'maxwait') + numberColumn(row, 'maxwait_us') / 1e6,
    poolMode: textColumn(row, 'pool_mode'),
  };
}

export function toDatabase(row: Row): PgbouncerDatabase {
  return {
    name: textColumn(row, 'name') ?? '',
    host: textColumn(row, 'host'),
    port: optionalNumber(row, 'port'),
    database: textColumn(row, 'database'),
    poolSize: optionalNumber(row, 'pool_size'),
    reservePool: optionalNumber(row, 'reserve_pool'),
    maxConnections: optionalNumber(row, 'max_connections'),
    currentConnections: optionalNumber(row, 'current_connections'),
    poolMode: textColumn(row, 'pool_mode'),
    paused: flagColumn(row, 'paused'),
    disabled: flagColumn(row, 'disabled'),
  };
}

export function toStats(row: Row): PgbouncerStats {
  return {
    database: textColumn(row, 'database') ?? '',
    totalXactCount: numberColumn(row, 'total_xact_count'),
    totalQueryCount: numberColumn(row, 'total_query_count'),
    avgXactTimeUs: numberColumn(row, 'avg_xact_time'),
    avgQueryTimeUs: numberColumn(row, 'avg_query_time'),
    avgWaitTimeUs: numberColumn(row, 'avg_wait_time'),
  };
}

export class PgbouncerCollector implements Collector {
  readonly target: RedactedTarget;
  private client: Client | null = null;

  constructor(private readonly connection: ConnectionTarget) {
    this.target = redactTarget(connection);
  }

  get isConnected(): boolean {
    return this.client !== null;
  }

  async connect(): Promise<void> {
    await this.close();
    const client = await openPostgresClient({ ...this.connection, database: 'pgbouncer' }, 'connecting to the PgBouncer admin console');
    client.on('end', () => {
      if (this.client === client) this.client = null;
    });
    this.client = client;
  }

  private async show(command: string): Promise<Row[]> {
    const client = this.client;
    if (!client) throw new CollectorError('unreachable', 'not connected');
    return (await client.query<Row>(command)).rows;
  }

  async collect(thresholds: AlertThresholds): Promise<Snapshot> {
    const started = performance.now();
    let versionRows: Row[];
    let poolRows: Row[];
    let statsRows: Row[];
    let databaseRows: Row[];
    let configRows: Row[];
    try {
      versionRows = await this.show(PGBOUNCER_SHOW_VERSION);
      poolRows = await this.show(PGBOUNCER_SHOW_POOLS);
      statsRows = await this.show(PGBOUNCER_SHOW_STATS);
      databaseRows = await this.show(PGBOUNCER_SHOW_DATABASES);
      configRows = await this.show(PGBOUNCER_SHOW_CONFIG);
    } catch (error) {
      const failure = classifyError(error, 'polling PgBouncer');
      await this.close();
      throw failure;
    }
    const pollDurationMs = performance.now() - started;
    const pools = poolRows.map(toPool);
    const config = Object.fromEntries(configRows.map((row) => [String(row.key), String(row.value)]));
    const maxClientConnections = Number(config.max_client_conn ?? 0) || 0;
    const clientsActive = pools.reduce((sum, pool) => sum + pool.clientsActive, 0);
    const clientsWaiting = pools.reduce((sum, pool) => sum + pool.clientsWaiting, 0);
    const total = clientsActive + clientsWaiting;
    const section: PgbouncerSection = {
      pools,
      databases: databaseRows.map(toDatabase),
      stats: statsRows.map(toStats),
      clientsWaiting,
      maxWaitSeconds: pools.reduce((max, pool) => Math.max(max, pool.maxWaitSeconds), 0),
    };
    const settingNames = ['max_client_conn', 'default_pool_size', 'reserve_pool_size', 'pool_mode', 'query_wait_timeout', 'server_idle_timeout', 'client_idle_timeout', 'idle_transaction_timeout', 'query_timeout', 'server_lifetime'];
    const settings = Object.fromEntries(settingNames.filter((name) => config[name] !== undefined).map((name) => [name, config[name]]));
    const versionText = String(versionRows[0]?.version ?? Object.values(versionRows[0] ?? {})[0] ?? 'PgBouncer');
    const byState: Record<string, number> = { ...countStates([], 0) };
    if (clientsActive > 0) byState.active = clientsActive;
    if (clientsWaiting > 0) byState.waiting = clientsWaiting;

    const base: SnapshotWithoutAlerts = {
      engine: 'pgbouncer',
      serverVersion: versionText,
      sampledAt: new Date().toISOString(),
      pollDurationMs,
      connections: {
        total,
        max: maxClientConnections,
        reserved: 0,
        utilization: maxClientConnections > 0 ? total / maxClientConnections : 0,
        byState,
      },
      sessions: [],
      hiddenSessions: 0,
      idleInTransaction: [],
      longRunning: [],
      blockingChains: [],
      byUser: aggregate(pools, (pool) => pool.user),
      byApplication: [],
      byClient: [],
      byDatabase: aggregate(pools, (pool) => pool.database),
      rates: null,
      limits: { maxConnections: maxClientConnections || null, settings, roleLimits: [], databaseLimits: [] },
      pgbouncer: section,
      disabledProbes: [],
    };
    return { ...base, alerts: evaluateAlerts(base, thresholds) };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}

function aggregate(pools: readonly PgbouncerPool[], keyOf: (pool: PgbouncerPool) => string): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const pool of pools) {
    const clients = pool.clientsActive + pool.clientsWaiting;
    if (clients > 0) counts.set(keyOf(pool), (counts.get(keyOf(pool)) ?? 0) + clients);
  }
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}
