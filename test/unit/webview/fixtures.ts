// Builders of protocol data for the panel's tests: realistic shapes, nothing hard-coded in a test
// that the code under test computes.
import type { PanelSample, PanelSession, PanelSnapshot, SessionState } from '../../../src/protocol/panel';

export function makeSession(id: string, overrides: Partial<PanelSession> = {}): PanelSession {
  return {
    id,
    backendStart: null,
    user: 'app',
    application: 'web',
    client: '10.0.0.5',
    database: 'shop',
    state: 'idle',
    stateAgeSeconds: 12,
    queryAgeSeconds: 12,
    transactionAgeSeconds: null,
    waitEvent: null,
    blockedBy: [],
    queryPreview: 'SELECT 1',
    queryTruncated: false,
    ...overrides,
  };
}

/** `count` sessions cycling through active / idle / idle in transaction, like a busy server. */
export function makeCrowd(count: number): PanelSession[] {
  const states: SessionState[] = ['idle', 'active', 'idle', 'idle in transaction', 'idle'];
  return Array.from({ length: count }, (_, index) => {
    const state = states[index % states.length];
    return makeSession(String(1000 + index), {
      state,
      user: `user${index % 7}`,
      application: `service-${index % 11}`,
      stateAgeSeconds: index % 97,
      queryAgeSeconds: index % 113,
      transactionAgeSeconds: state === 'idle in transaction' ? (index % 89) + 1 : null,
      queryPreview: `SELECT * FROM orders WHERE id = ${index}`,
    });
  });
}

export function makeSnapshot(sessions: PanelSession[], overrides: Partial<PanelSnapshot> = {}): PanelSnapshot {
  const byState: Partial<Record<SessionState, number>> = {};
  for (const session of sessions) byState[session.state] = (byState[session.state] ?? 0) + 1;
  const count = (key: (session: PanelSession) => string | null) => {
    const counts = new Map<string, number>();
    for (const session of sessions) counts.set(key(session) ?? '', (counts.get(key(session) ?? '') ?? 0) + 1);
    return [...counts].map(([name, value]) => ({ name, count: value })).sort((a, b) => b.count - a.count);
  };
  return {
    engine: 'postgres',
    serverVersion: 'PostgreSQL 15.19',
    takenAt: Date.UTC(2026, 10, 21, 12, 0, 0),
    maxConnections: 100,
    reservedConnections: 3,
    connectionsInUse: sessions.length,
    byState,
    waitingClients: sessions.filter((session) => session.blockedBy.length > 0).length,
    cacheHitRatio: 0.993,
    transactionsPerSecond: 41.5,
    hiddenSessions: 0,
    sessions,
    byUser: count((session) => session.user),
    byApplication: count((session) => session.application),
    notices: [],
    ...overrides,
  };
}

export function makeSample(at: number, overrides: Partial<PanelSample> = {}): PanelSample {
  return { at, utilization: 0.4, sessions: 40, active: 5, idleInTransaction: 1, waitingClients: 0, cacheHitRatio: 0.99, transactionsPerSecond: 40, ...overrides };
}
