// Shapes the database layer's Snapshot and PollerState into what the panel protocol carries.
// No `vscode` here: it is plain data in, plain data out, and unit-tested as such.
import type { PollerState, SessionInfo, Snapshot } from '../../db/types';
import { QUERY_PREVIEW_LENGTH, type PanelAlert, type PanelSample, type PanelSession, type PanelSnapshot, type PanelStatus, type SessionState } from '../../protocol/panel';

/** Collector state words (PostgreSQL states, MySQL commands) grouped as the panel groups them. */
const STATE_GROUPS: Readonly<Record<string, SessionState>> = {
  active: 'active',
  idle: 'idle',
  'idle in transaction': 'idle in transaction',
  'idle in transaction (aborted)': 'idle in transaction (aborted)',
  hidden: 'hidden',
  waiting: 'waiting',
  // MySQL / MariaDB processlist commands.
  sleep: 'idle',
  query: 'active',
  execute: 'active',
  fetch: 'active',
  // PgBouncer client states.
  cl_active: 'active',
  cl_waiting: 'waiting',
  cl_idle: 'idle',
};

export function panelSessionState(state: string | null): SessionState {
  if (state === null) return 'hidden';
  return STATE_GROUPS[state.toLowerCase()] ?? 'other';
}

function toPanelSession(session: SessionInfo): PanelSession {
  const query = session.query;
  return {
    id: session.id,
    backendStart: session.backendStart,
    user: session.user,
    application: session.application,
    client: session.client,
    database: session.database,
    state: panelSessionState(session.state),
    stateAgeSeconds: session.stateAgeSeconds,
    queryAgeSeconds: session.queryAgeSeconds,
    transactionAgeSeconds: session.transactionAgeSeconds,
    waitEvent: session.waitEvent,
    blockedBy: [...session.blockedBy],
    queryPreview: query === null ? null : query.slice(0, QUERY_PREVIEW_LENGTH),
    queryTruncated: query !== null && query.length > QUERY_PREVIEW_LENGTH,
  };
}

export function toPanelSnapshot(snapshot: Snapshot): PanelSnapshot {
  const sessions = snapshot.sessions.filter((session) => !session.isMonitor).map(toPanelSession);
  const byState: Partial<Record<SessionState, number>> = {};
  for (const [state, count] of Object.entries(snapshot.connections.byState)) {
    const group = panelSessionState(state);
    byState[group] = (byState[group] ?? 0) + count;
  }
  // The panel's own session is counted against the limit but not listed: keep the state counts
  // consistent with the tables, which leave it out.
  for (const monitor of snapshot.sessions.filter((session) => session.isMonitor)) {
    const group = panelSessionState(monitor.state);
    if ((byState[group] ?? 0) > 0) byState[group] = byState[group]! - 1;
  }
  const lockWaiters = sessions.filter((session) => session.blockedBy.length > 0).length;
  return {
    engine: snapshot.engine,
    serverVersion: snapshot.serverVersion,
    takenAt: Date.parse(snapshot.sampledAt),
    maxConnections: snapshot.limits.maxConnections ?? snapshot.connections.max + snapshot.connections.reserved,
    reservedConnections: snapshot.connections.reserved,
    connectionsInUse: snapshot.connections.total,
    byState,
    waitingClients: snapshot.pgbouncer ? snapshot.pgbouncer.clientsWaiting : lockWaiters,
    cacheHitRatio: snapshot.rates?.cacheHitRatio ?? null,
    transactionsPerSecond: snapshot.rates?.tps ?? null,
    hiddenSessions: snapshot.hiddenSessions,
    sessions,
    byUser: snapshot.byUser.map(({ key, count }) => ({ name: key, count })),
    byApplication: snapshot.byApplication.map(({ key, count }) => ({ name: key, count })),
    notices: snapshot.disabledProbes.map((probe) => `${probe.probe} is switched off: ${probe.reason}`),
  };
}

export function toPanelSample(snapshot: PanelSnapshot, utilization: number | null): PanelSample {
  return {
    at: snapshot.takenAt,
    utilization,
    sessions: snapshot.connectionsInUse,
    active: snapshot.byState.active ?? 0,
    idleInTransaction: (snapshot.byState['idle in transaction'] ?? 0) + (snapshot.byState['idle in transaction (aborted)'] ?? 0),
    waitingClients: snapshot.waitingClients,
    cacheHitRatio: snapshot.cacheHitRatio,
    transactionsPerSecond: snapshot.transactionsPerSecond,
  };
}

export function toPanelAlerts(snapshot: Snapshot): PanelAlert[] {
  return snapshot.alerts.map((alert) => ({ key: alert.id, severity: alert.severity, message: alert.message }));
}

export function toPanelStatus(state: PollerState): PanelStatus {
  switch (state.kind) {
    case 'idle':
    case 'connecting':
      return { kind: 'connecting' };
    case 'live':
      return { kind: 'live', at: Date.parse(state.lastSampledAt) };
    case 'stale':
      return { kind: 'stale', since: Date.parse(state.since), reason: state.reason };
    case 'unreachable':
      return { kind: 'unreachable', reason: state.reason, retryAt: Date.parse(state.nextRetryAt) };
    case 'auth-failed':
      return state.nextRetryAt === null ? { kind: 'failed', reason: state.reason } : { kind: 'unreachable', reason: state.reason, retryAt: Date.parse(state.nextRetryAt) };
    case 'stopped':
      return { kind: 'paused', since: Date.now() };
  }
}
