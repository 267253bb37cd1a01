// The one message protocol between the extension host and the health panel's webview.
// Both sides import this file; it must not import `vscode` or anything that touches the DOM or the
// database, so it stays plain data plus runtime guards. Whatever crosses the boundary is checked on
// arrival (`parseHostMessage` in the webview, `parseWebviewMessage` in the host) because a webview
// is a separate page: a stale bundle or a hostile payload must be dropped, not trusted.

/** Bumped whenever a message's shape changes; the ready handshake compares it. */
export const PANEL_PROTOCOL_VERSION = 2;

import type { Engine } from '../db/types';

/** The database layer's engine names, so both sides of the panel speak the collectors' words. */
export type DatabaseEngine = Engine;

/** Session state as the panel groups it. `hidden` = the monitoring role may not see this session. */
export const SESSION_STATES = ['active', 'idle', 'idle in transaction', 'idle in transaction (aborted)', 'waiting', 'other', 'hidden'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** One server session (PostgreSQL backend, MySQL thread, PgBouncer client) as the panel lists it. */
export interface PanelSession {
  /** pid / thread id as text, unique within one snapshot. */
  id: string;
  /** PostgreSQL backend_start (ISO): with `id` it names one session even after the pid is reused; null elsewhere. */
  backendStart: string | null;
  user: string | null;
  application: string | null;
  client: string | null;
  database: string | null;
  state: SessionState;
  /** Seconds in the current state (idle-in-transaction age, query age for active sessions). */
  stateAgeSeconds: number | null;
  /** Seconds since the current or last query started. */
  queryAgeSeconds: number | null;
  /** Seconds since the open transaction started, null outside a transaction. */
  transactionAgeSeconds: number | null;
  waitEvent: string | null;
  /** Ids of the sessions this one waits for (lock blockers). */
  blockedBy: string[];
  /** The query text, possibly cut to `QUERY_PREVIEW_LENGTH`; the full text is fetched on demand. */
  queryPreview: string | null;
  queryTruncated: boolean;
}

/** One point of history: what the sparklines draw. */
export interface PanelSample {
  /** Server time of the snapshot, epoch milliseconds. */
  at: number;
  /** Sessions in use divided by usable connections, 0..1 (can exceed 1 briefly), null when unknown. */
  utilization: number | null;
  sessions: number;
  active: number;
  idleInTransaction: number;
  waitingClients: number | null;
  cacheHitRatio: number | null;
  transactionsPerSecond: number | null;
}

export interface PanelCount {
  name: string;
  count: number;
}

/** What one poll shows, shaped for display. Numbers the server could not give are null. */
export interface PanelSnapshot {
  engine: DatabaseEngine;
  serverVersion: string | null;
  /** Server time of the snapshot, epoch milliseconds. */
  takenAt: number;
  /** The server's limit (max_connections / max_connections) and the slots ordinary users cannot take. */
  maxConnections: number | null;
  reservedConnections: number | null;
  /** Sessions counted against the limit (excludes background workers). */
  connectionsInUse: number;
  byState: Partial<Record<SessionState, number>>;
  /** Clients waiting for a connection (PgBouncer cl_waiting) or sessions waiting on a lock. */
  waitingClients: number | null;
  cacheHitRatio: number | null;
  transactionsPerSecond: number | null;
  /** Sessions whose details the monitoring role may not read ("N sessions hidden"). */
  hiddenSessions: number;
  sessions: PanelSession[];
  byUser: PanelCount[];
  byApplication: PanelCount[];
  /** Explanations shown as-is, e.g. a sub-query switched off for lack of privilege. */
  notices: string[];
}

/** Where the monitoring connection stands. Times are epoch milliseconds of the host's clock. */
export type PanelStatus =
  | { kind: 'no-connection' }
  | { kind: 'connecting' }
  | { kind: 'live'; at: number }
  | { kind: 'stale'; since: number; reason: string }
  | { kind: 'unreachable'; reason: string; retryAt: number }
  /** Not retried by itself (wrong credentials, bad configuration) until the user acts. */
  | { kind: 'failed'; reason: string }
  | { kind: 'paused'; since: number };

export type AlertSeverity = 'info' | 'warning' | 'error';

export interface PanelAlert {
  /** Stable key, e.g. `utilization`, so the webview can keep focus on an alert across updates. */
  key: string;
  severity: AlertSeverity;
  message: string;
}

export interface PanelConnectionInfo {
  id: string;
  /** A display label with no secret in it (user@host:port/db). */
  label: string;
  engine: DatabaseEngine;
}

/** Host → webview. */
export type HostMessage =
  | {
      type: 'init';
      protocol: number;
      connection: PanelConnectionInfo | null;
      status: PanelStatus;
      snapshot: PanelSnapshot | null;
      history: PanelSample[];
      alerts: PanelAlert[];
      /** Queries running longer than this are listed as long-running (the alert setting). */
      longQuerySeconds: number;
    }
  | { type: 'snapshot'; snapshot: PanelSnapshot; sample: PanelSample; alerts: PanelAlert[] }
  | { type: 'status'; status: PanelStatus }
  | { type: 'queryText'; sessionId: string; text: string | null };

/** Webview → host. */
export type WebviewMessage =
  | { type: 'ready'; protocol: number }
  | { type: 'requestQueryText'; sessionId: string }
  | { type: 'copyQueryText'; sessionId: string }
  | { type: 'retryNow' }
  | { type: 'chooseConnection' }
  /**
   * The reader asks to cancel a session's query or end the session. The host only looks the
   * session up in its own latest snapshot and hands it to the runbook command, which asks for
   * confirmation, re-validates the target and writes the audit line.
   */
  | { type: 'sessionAction'; action: SessionActionKind; sessionId: string; backendStart: string | null };

export const SESSION_ACTIONS = ['cancel', 'terminate'] as const;
export type SessionActionKind = (typeof SESSION_ACTIONS)[number];

/** Query previews longer than this are cut; the rest is one request away. */
export const QUERY_PREVIEW_LENGTH = 240;

/** Ten minutes of history, the sparklines' window. */
export const HISTORY_WINDOW_MS = 10 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Runtime guards. Hand-written rather than a schema library so the webview bundle stays small.

type Guard<T> = (value: unknown) => value is T;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const isString = (value: unknown): value is string => typeof value === 'string';
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const nullable =
  <T>(guard: Guard<T>): Guard<T | null> =>
  (value: unknown): value is T | null =>
    value === null || guard(value);
const arrayOf =
  <T>(guard: Guard<T>): Guard<T[]> =>
  (value: unknown): value is T[] =>
    Array.isArray(value) && value.every(guard);

const ENGINES: readonly string[] = ['postgres', 'mysql', 'pgbouncer'] satisfies DatabaseEngine[];
const isEngine = (value: unknown): value is DatabaseEngine => isString(value) && ENGINES.includes(value);
const isSessionState = (value: unknown): value is SessionState => isString(value) && (SESSION_STATES as readonly string[]).includes(value);

function hasFields(value: unknown, fields: Record<string, Guard<unknown>>): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  for (const [name, guard] of Object.entries(fields)) if (!guard(value[name])) return false;
  return true;
}

export const isPanelSession: Guard<PanelSession> = (value): value is PanelSession =>
  hasFields(value, {
    id: isString,
    backendStart: nullable(isString),
    user: nullable(isString),
    application: nullable(isString),
    client: nullable(isString),
    database: nullable(isString),
    state: isSessionState,
    stateAgeSeconds: nullable(isFiniteNumber),
    queryAgeSeconds: nullable(isFiniteNumber),
    transactionAgeSeconds: nullable(isFiniteNumber),
    waitEvent: nullable(isString),
    blockedBy: arrayOf(isString),
    queryPreview: nullable(isString),
    queryTruncated: isBoolean,
  });

export const isPanelSample: Guard<PanelSample> = (value): value is PanelSample =>
  hasFields(value, {
    at: isFiniteNumber,
    utilization: nullable(isFiniteNumber),
    sessions: isFiniteNumber,
    active: isFiniteNumber,
    idleInTransaction: isFiniteNumber,
    waitingClients: nullable(isFiniteNumber),
    cacheHitRatio: nullable(isFiniteNumber),
    transactionsPerSecond: nullable(isFiniteNumber),
  });

const isPanelCount: Guard<PanelCount> = (value): value is PanelCount => hasFields(value, { name: isString, count: isFiniteNumber });

const isByState = (value: unknown): value is Partial<Record<SessionState, number>> =>
  isRecord(value) && Object.entries(value).every(([state, count]) => isSessionState(state) && isFiniteNumber(count));

export const isPanelSnapshot: Guard<PanelSnapshot> = (value): value is PanelSnapshot =>
  hasFields(value, {
    engine: isEngine,
    serverVersion: nullable(isString),
    takenAt: isFiniteNumber,
    maxConnections: nullable(isFiniteNumber),
    reservedConnections: nullable(isFiniteNumber),
    connectionsInUse: isFiniteNumber,
    byState: isByState,
    waitingClients: nullable(isFiniteNumber),
    cacheHitRatio: nullable(isFiniteNumber),
    transactionsPerSecond: nullable(isFiniteNumber),
    hiddenSessions: isFiniteNumber,
    sessions: arrayOf(isPanelSession),
    byUser: arrayOf(isPanelCount),
    byApplication: arrayOf(isPanelCount),
    notices: arrayOf(isString),
  });

export const isPanelStatus: Guard<PanelStatus> = (value): value is PanelStatus => {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'no-connection':
    case 'connecting':
      return true;
    case 'live':
      return isFiniteNumber(value.at);
    case 'stale':
      return isFiniteNumber(value.since) && isString(value.reason);
    case 'unreachable':
      return isString(value.reason) && isFiniteNumber(value.retryAt);
    case 'failed':
      return isString(value.reason);
    case 'paused':
      return isFiniteNumber(value.since);
    default:
      return false;
  }
};

const isAlert: Guard<PanelAlert> = (value): value is PanelAlert =>
  hasFields(value, { key: isString, severity: (s): s is AlertSeverity => s === 'info' || s === 'warning' || s === 'error', message: isString });

const isConnectionInfo: Guard<PanelConnectionInfo> = (value): value is PanelConnectionInfo =>
  hasFields(value, { id: isString, label: isString, engine: isEngine });

/** The webview's guard: a well-formed host message, or undefined for anything else. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'init':
      return hasFields(value, {
        protocol: isFiniteNumber,
        connection: nullable(isConnectionInfo),
        status: isPanelStatus,
        snapshot: nullable(isPanelSnapshot),
        history: arrayOf(isPanelSample),
        alerts: arrayOf(isAlert),
        longQuerySeconds: isFiniteNumber,
      })
        ? (value as HostMessage)
        : undefined;
    case 'snapshot':
      return hasFields(value, { snapshot: isPanelSnapshot, sample: isPanelSample, alerts: arrayOf(isAlert) }) ? (value as HostMessage) : undefined;
    case 'status':
      return isPanelStatus(value.status) ? (value as HostMessage) : undefined;
    case 'queryText':
      return isString(value.sessionId) && nullable(isString)(value.text) ? (value as HostMessage) : undefined;
    default:
      return undefined;
  }
}

const isSessionId = (value: unknown): value is string => isString(value) && value.length > 0 && value.length <= 64;
const isSessionAction = (value: unknown): value is SessionActionKind => isString(value) && (SESSION_ACTIONS as readonly string[]).includes(value);
/** An ISO timestamp is short; anything longer did not come from a snapshot. */
const isBackendStart = (value: unknown): value is string => isString(value) && value.length <= 64;

/** The host's guard: a well-formed webview message, or undefined for anything else. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return isFiniteNumber(value.protocol) ? { type: 'ready', protocol: value.protocol } : undefined;
    case 'requestQueryText':
    case 'copyQueryText':
      return isSessionId(value.sessionId) ? { type: value.type, sessionId: value.sessionId } : undefined;
    case 'sessionAction':
      return isSessionAction(value.action) && isSessionId(value.sessionId) && nullable(isBackendStart)(value.backendStart)
        ? { type: 'sessionAction', action: value.action, sessionId: value.sessionId, backendStart: value.backendStart }
        : undefined;
    case 'retryNow':
    case 'chooseConnection':
      return { type: value.type };
    default:
      return undefined;
  }
}
