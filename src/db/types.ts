/**
 * Typed contracts of the database layer: what a monitoring target is, what one snapshot of its
 * health contains, how a collector and the poller talk to their callers, and the alert thresholds.
 * The panel (webview + host glue), the runbook actions and the CLI all build on these shapes; they
 * change only compatibly (new optional fields), never by renaming or removing.
 *
 * Plain data only: everything here survives JSON.stringify / postMessage unchanged.
 * Timestamps are ISO-8601 strings in UTC; ages and durations are seconds (floating point).
 */

export type Engine = 'postgres' | 'mysql' | 'pgbouncer';

/**
 * TLS as PostgreSQL's sslmode names it (MySQL targets use the same words):
 * `disable` plain TCP; `prefer`/`require` encrypt without checking the certificate (`prefer` falls
 * back to plain when the server refuses TLS); `verify-ca` checks the chain against `caFile`;
 * `verify-full` also checks the host name.
 */
export type TlsMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** Where and how to reach one monitored database. `password` is never logged or rendered. */
export interface ConnectionTarget {
  readonly engine: Engine;
  readonly host: string;
  readonly port: number;
  /** For PgBouncer's admin console this is always `pgbouncer`. */
  readonly database: string;
  readonly user: string;
  readonly password?: string;
  readonly tls: TlsMode;
  /** PEM file with the certificate authority for `verify-ca` / `verify-full`. */
  readonly caFile?: string;
  /** Milliseconds allowed for TCP connect + TLS + authentication. */
  readonly connectTimeoutMs: number;
  /** Per-statement limit the monitor sets on its own session after connecting (not for PgBouncer). */
  readonly statementTimeoutMs: number;
  /** Tag on the monitoring session (`application_name` / MySQL `program_name`) so it can be excluded. */
  readonly applicationName: string;
}

export const MONITOR_APPLICATION_NAME = 'dbhealth-monitor';
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 3_000;

export const DEFAULT_PORTS: Readonly<Record<Engine, number>> = { postgres: 5432, mysql: 3306, pgbouncer: 6432 };

/** The target without its secret: safe to log, print or send to a webview. */
export type RedactedTarget = Omit<ConnectionTarget, 'password'> & { readonly hasPassword: boolean };

/** A session as the server reports it. Fields the engine does not know are null. */
export interface SessionInfo {
  /** PostgreSQL pid, MySQL processlist id (as a string so both fit). */
  readonly id: string;
  /** PostgreSQL backend_start (ISO) — with `id` it identifies a session despite pid reuse. */
  readonly backendStart: string | null;
  readonly user: string | null;
  readonly application: string | null;
  /** Client address (`host` or `host:port`; `local` for a Unix socket). */
  readonly client: string | null;
  readonly database: string | null;
  /** Normalised state: `active`, `idle`, `idle in transaction`, `idle in transaction (aborted)`, MySQL command, … */
  readonly state: string | null;
  readonly backendAgeSeconds: number | null;
  /** Seconds since the state last changed (MySQL: TIME of the current command). */
  readonly stateAgeSeconds: number | null;
  readonly transactionAgeSeconds: number | null;
  readonly queryAgeSeconds: number | null;
  /** `Lock:transactionid`, `Client:ClientRead`, … (PostgreSQL wait_event_type:wait_event). */
  readonly waitEvent: string | null;
  /** Current or last query text, truncated; rendered as text only. */
  readonly query: string | null;
  /** Ids of the sessions this one waits for (PostgreSQL pg_blocking_pids), empty when not waiting on a lock. */
  readonly blockedBy: readonly string[];
  /** True for the monitoring connection itself. */
  readonly isMonitor: boolean;
}

/** One chain of lock waits: `sessionIds[0]` is the root blocker, each next one waits on the previous. */
export interface BlockingChain {
  readonly rootId: string;
  readonly sessionIds: readonly string[];
  /** Every session transitively waiting on the root (the tree flattened), root excluded. */
  readonly waitingIds: readonly string[];
  /** Longest time (s) any waiter in the chain has been waiting. */
  readonly longestWaitSeconds: number | null;
}

export interface CountByKey {
  readonly key: string;
  readonly count: number;
}

export interface ConnectionSummary {
  /** Sessions counted by the server (client backends / threads), including hidden ones. */
  readonly total: number;
  /** Slots ordinary users can use: max_connections minus reserved slots. */
  readonly max: number;
  /** Slots reserved for superusers / roles (PostgreSQL superuser_reserved_connections + reserved_connections). */
  readonly reserved: number;
  /** total / max, 0–1 (can exceed 1 when superusers use reserved slots). */
  readonly utilization: number;
  /** Count per state; hidden sessions under `hidden`. */
  readonly byState: Readonly<Record<string, number>>;
}

export interface Rates {
  /** Buffer cache hit ratio 0–1 over the last interval (cumulative on the first poll); null when no reads. */
  readonly cacheHitRatio: number | null;
  /** Transactions per second over the last interval; null on the first poll or after a counter reset. */
  readonly tps: number | null;
  /** Rollbacks / (commits + rollbacks) over the last interval, 0–1; null when unknown. */
  readonly rollbackRate: number | null;
  /** Deadlocks detected since stats reset (cumulative counter). */
  readonly deadlocks: number | null;
  /** Deadlocks in the last interval. */
  readonly deadlocksDelta: number | null;
  /** Seconds the rates were computed over (server clock), null when they are cumulative. */
  readonly intervalSeconds: number | null;
}

export interface RoleConnectionLimit {
  readonly role: string;
  /** -1 = unlimited. */
  readonly limit: number;
  readonly current: number;
}

export interface DatabaseConnectionLimit {
  readonly database: string;
  readonly limit: number;
  readonly current: number;
}

/** Server limits and timeouts (settings are shown as the server reports them, e.g. `0`, `30s`). */
export interface Limits {
  readonly maxConnections: number | null;
  readonly settings: Readonly<Record<string, string>>;
  readonly roleLimits: readonly RoleConnectionLimit[];
  readonly databaseLimits: readonly DatabaseConnectionLimit[];
}

export interface MysqlSection {
  readonly threadsConnected: number;
  readonly threadsRunning: number;
  readonly maxUsedConnections: number;
  readonly maxConnections: number;
  readonly maxUserConnections: number;
  readonly abortedConnects: number;
  readonly abortedClients: number;
  /** Connection_errors_* counters by suffix (accept, internal, max_connections, …). */
  readonly connectionErrors: Readonly<Record<string, number>>;
  readonly waitTimeout: number;
  readonly interactiveTimeout: number;
  /** Where the process list came from. */
  readonly processListSource: 'performance_schema' | 'information_schema';
  /** Sleeping connections idle for longer than the long-sleep threshold. */
  readonly longSleepingIds: readonly string[];
}

export interface PgbouncerPool {
  readonly database: string;
  readonly user: string;
  readonly clientsActive: number;
  readonly clientsWaiting: number;
  readonly serversActive: number;
  readonly serversIdle: number;
  readonly serversUsed: number;
  readonly serversTested: number;
  readonly serversLogin: number;
  /** Longest current client wait, seconds (maxwait + maxwait_us). */
  readonly maxWaitSeconds: number;
  readonly poolMode: string | null;
}

export interface PgbouncerDatabase {
  readonly name: string;
  readonly host: string | null;
  readonly port: number | null;
  readonly database: string | null;
  readonly poolSize: number | null;
  readonly reservePool: number | null;
  readonly maxConnections: number | null;
  readonly currentConnections: number | null;
  readonly poolMode: string | null;
  readonly paused: boolean;
  readonly disabled: boolean;
}

export interface PgbouncerStats {
  readonly database: string;
  readonly totalXactCount: number;
  readonly totalQueryCount: number;
  readonly avgXactTimeUs: number;
  readonly avgQueryTimeUs: number;
  readonly avgWaitTimeUs: number;
}

export interface PgbouncerSection {
  readonly pools: readonly PgbouncerPool[];
  readonly databases: readonly PgbouncerDatabase[];
  readonly stats: readonly PgbouncerStats[];
  readonly clientsWaiting: number;
  readonly maxWaitSeconds: number;
}

export type AlertSeverity = 'info' | 'warning' | 'error';

export interface Alert {
  /** Stable id, e.g. `connection-utilization`, `idle-in-transaction`, `pgbouncer-clients-waiting`. */
  readonly id: string;
  readonly severity: AlertSeverity;
  readonly message: string;
}

/** A probe (sub-query) switched off, typically for lack of privilege; shown, not retried. */
export interface DisabledProbe {
  readonly probe: string;
  readonly reason: string;
}

export interface Snapshot {
  readonly engine: Engine;
  /** e.g. `PostgreSQL 15.10`, `10.11.6-MariaDB`, `PgBouncer 1.18.0`. */
  readonly serverVersion: string;
  /** Server clock at sampling when known, otherwise client clock. */
  readonly sampledAt: string;
  /** Client-measured time for the whole poll, milliseconds. */
  readonly pollDurationMs: number;
  readonly connections: ConnectionSummary;
  /** Sessions visible to the monitor (PgBouncer: empty), the monitor's own session included and flagged. */
  readonly sessions: readonly SessionInfo[];
  /** Sessions whose details the monitoring role may not see (no pg_read_all_stats). */
  readonly hiddenSessions: number;
  /** Idle-in-transaction sessions, oldest transaction first. */
  readonly idleInTransaction: readonly SessionInfo[];
  /** Queries running longer than the threshold, longest first. */
  readonly longRunning: readonly SessionInfo[];
  readonly blockingChains: readonly BlockingChain[];
  readonly byUser: readonly CountByKey[];
  readonly byApplication: readonly CountByKey[];
  readonly byClient: readonly CountByKey[];
  readonly byDatabase: readonly CountByKey[];
  readonly rates: Rates | null;
  readonly limits: Limits;
  readonly mysql?: MysqlSection;
  readonly pgbouncer?: PgbouncerSection;
  readonly disabledProbes: readonly DisabledProbe[];
  readonly alerts: readonly Alert[];
  /** The monitoring session itself, as the server sees it (absent for PgBouncer). */
  readonly monitorSession?: MonitorSession;
}

export interface MonitorSession {
  readonly id: string;
  /** The statement timeout in force on the monitor's session, as the server prints it (e.g. `3s`). */
  readonly statementTimeout: string | null;
}

/** Thresholds for alerts. Seconds for ages, 0–1 for ratios. */
export interface AlertThresholds {
  readonly utilizationWarning: number;
  readonly utilizationError: number;
  readonly idleInTransactionSeconds: number;
  readonly longQuerySeconds: number;
  readonly cacheHitRatioMin: number;
  /** Clients waiting in a PgBouncer pool at or above which a warning is raised (1 = any). */
  readonly pgbouncerClientsWaiting: number;
  /** PgBouncer maxwait (s) at or above which the alert is an error. */
  readonly pgbouncerMaxWaitSeconds: number;
  /** MySQL sleeping connections older than this are listed as long-sleeping. */
  readonly longSleepSeconds: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  utilizationWarning: 0.8,
  utilizationError: 0.95,
  idleInTransactionSeconds: 60,
  longQuerySeconds: 30,
  cacheHitRatioMin: 0.98,
  pgbouncerClientsWaiting: 1,
  pgbouncerMaxWaitSeconds: 5,
  longSleepSeconds: 600,
};

/** Classified failure of a connect or poll, so the poller can choose how to retry. */
export type CollectorErrorKind = 'auth' | 'unreachable' | 'timeout' | 'privilege' | 'protocol' | 'config';

export interface CollectorFailure {
  readonly kind: CollectorErrorKind;
  /** One clear sentence, no stack, no password. */
  readonly message: string;
  /** Server error code when there is one (SQLSTATE / MySQL errno / Node errno). */
  readonly code?: string;
}

/** One engine's collector: owns exactly one monitoring connection to its target. */
export interface Collector {
  readonly target: RedactedTarget;
  /** Opens (or re-opens) the monitoring connection. Rejects with a CollectorError. */
  connect(): Promise<void>;
  /** One snapshot; rejects with a CollectorError. Rates use the previous poll of this collector. */
  collect(thresholds: AlertThresholds): Promise<Snapshot>;
  /** Closes the monitoring connection; safe to call twice. */
  close(): Promise<void>;
  readonly isConnected: boolean;
}

export type PollerState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'connecting'; readonly since: string; readonly attempt: number }
  | { readonly kind: 'live'; readonly since: string; readonly lastSampledAt: string }
  /** The last poll failed but the connection may come back; the last snapshot is still shown. */
  | { readonly kind: 'stale'; readonly since: string; readonly reason: string; readonly nextRetryAt: string }
  | { readonly kind: 'unreachable'; readonly since: string; readonly reason: string; readonly attempt: number; readonly nextRetryAt: string }
  /** Not retried on its own schedule (slow retry only, or after the user changes credentials). */
  | { readonly kind: 'auth-failed'; readonly since: string; readonly reason: string; readonly nextRetryAt: string | null }
  | { readonly kind: 'stopped' };

export type PollerStateKind = PollerState['kind'];

export interface PollerOptions {
  readonly intervalMs: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** 0–1: share of each delay drawn at random (full jitter = 1). */
  readonly jitter: number;
  /** Delay before retrying after an authentication failure; null = never by itself. */
  readonly authRetryMs: number | null;
  readonly thresholds: AlertThresholds;
}

export const DEFAULT_POLLER_OPTIONS: PollerOptions = {
  intervalMs: 5_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  jitter: 0.5,
  authRetryMs: null,
  thresholds: DEFAULT_THRESHOLDS,
};

export interface PollerEvents {
  onState?(state: PollerState): void;
  onSnapshot?(snapshot: Snapshot): void;
}
