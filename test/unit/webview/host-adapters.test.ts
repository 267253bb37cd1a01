// The host-side pieces of the panel that need no VS Code: the .env reader and the mapping from the
// database layer's Snapshot/PollerState to the protocol.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionInfo, Snapshot } from '../../../src/db/types';
import { parseDotenv } from '../../../src/extension/connections/dotenv';
import { TargetMonitor } from '../../../src/extension/panel/monitor';
import { panelSessionState, toPanelSnapshot, toPanelStatus } from '../../../src/extension/panel/snapshot-view';
import { isPanelSnapshot, QUERY_PREVIEW_LENGTH } from '../../../src/protocol/panel';

describe('.env reader', () => {
  it('reads plain, exported, quoted and commented values without expanding anything', () => {
    const variables = parseDotenv([
      '# comment',
      'DATABASE_URL=postgres://app:s%40cret@db:5432/shop # trailing comment',
      'export QUOTED="a \\"b\\" c"',
      "SINGLE='$HOME stays literal'",
      'EXPANDED=${HOME}',
      'not a line',
      '=novalue',
      'DATABASE_URL=postgres://override@db/shop',
    ].join('\r\n'));
    assert.equal(variables.get('DATABASE_URL'), 'postgres://override@db/shop');
    assert.equal(variables.get('QUOTED'), 'a "b" c');
    assert.equal(variables.get('SINGLE'), '$HOME stays literal');
    assert.equal(variables.get('EXPANDED'), '${HOME}');
    assert.equal(variables.size, 4);
  });
});

function session(id: string, overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    id, backendStart: null, user: 'app', application: 'web', client: '10.0.0.1', database: 'shop', state: 'idle',
    backendAgeSeconds: 100, stateAgeSeconds: 5, transactionAgeSeconds: null, queryAgeSeconds: 5, waitEvent: null,
    query: 'SELECT 1', blockedBy: [], isMonitor: false, ...overrides,
  };
}

function snapshot(sessions: SessionInfo[]): Snapshot {
  return {
    engine: 'postgres', serverVersion: 'PostgreSQL 15.19', sampledAt: '2026-11-21T12:00:00.000Z', pollDurationMs: 4,
    connections: { total: sessions.length, max: 97, reserved: 3, utilization: sessions.length / 97, byState: { idle: 1, active: 2, 'idle in transaction': 1, hidden: 1 } },
    sessions, hiddenSessions: 1, idleInTransaction: [], longRunning: [], blockingChains: [], byUser: [{ key: 'app', count: 3 }], byApplication: [{ key: 'web', count: 3 }],
    byClient: [], byDatabase: [], rates: { cacheHitRatio: 0.97, tps: 12.5, rollbackRate: 0, deadlocks: 0, deadlocksDelta: 0, intervalSeconds: 2 },
    limits: { maxConnections: 100, settings: {}, roleLimits: [], databaseLimits: [] }, disabledProbes: [{ probe: 'pg_stat_statements', reason: 'not installed' }], alerts: [],
  };
}

describe('snapshot view for the panel', () => {
  it('drops the monitor session, cuts long queries to a preview and keeps the real limit', () => {
    const long = `SELECT ${'x, '.repeat(200)}1`;
    const view = toPanelSnapshot(snapshot([session('1', { query: long, state: 'active' }), session('2', { isMonitor: true, state: 'active' }), session('3', { blockedBy: ['1'], state: 'active' })]));
    assert.ok(isPanelSnapshot(view), 'the result passes the protocol guard');
    assert.deepEqual(view.sessions.map((item) => item.id), ['1', '3']);
    assert.equal(view.sessions[0].queryPreview?.length, QUERY_PREVIEW_LENGTH);
    assert.equal(view.sessions[0].queryTruncated, true);
    assert.equal(view.maxConnections, 100);
    assert.equal(view.reservedConnections, 3);
    assert.equal(view.waitingClients, 1);
    // The monitor (active) is left out of the state counts, as it is of the table.
    assert.deepEqual(view.byState, { idle: 1, active: 1, 'idle in transaction': 1, hidden: 1 });
    assert.deepEqual(view.notices, ['pg_stat_statements is switched off: not installed']);
    assert.equal(view.takenAt, Date.parse('2026-11-21T12:00:00.000Z'));
  });

  it('groups MySQL commands and unknown states', () => {
    assert.equal(panelSessionState('Sleep'), 'idle');
    assert.equal(panelSessionState('Query'), 'active');
    assert.equal(panelSessionState('Binlog Dump'), 'other');
    assert.equal(panelSessionState(null), 'hidden');
  });

  it('maps poller states to the state line', () => {
    assert.deepEqual(toPanelStatus({ kind: 'unreachable', since: '2026-11-21T12:00:00Z', reason: 'connection refused', attempt: 2, nextRetryAt: '2026-11-21T12:00:04Z' }), { kind: 'unreachable', reason: 'connection refused', retryAt: Date.parse('2026-11-21T12:00:04Z') });
    assert.deepEqual(toPanelStatus({ kind: 'auth-failed', since: '2026-11-21T12:00:00Z', reason: 'password authentication failed', nextRetryAt: null }), { kind: 'failed', reason: 'password authentication failed' });
    assert.deepEqual(toPanelStatus({ kind: 'stale', since: '2026-11-21T12:00:00Z', reason: 'timeout', nextRetryAt: '2026-11-21T12:00:02Z' }), { kind: 'stale', since: Date.parse('2026-11-21T12:00:00Z'), reason: 'timeout' });
  });
});

describe('panel row actions on the host', () => {
  function monitorWith(sessions: SessionInfo[]): TargetMonitor {
    const last = snapshot(sessions);
    return new TargetMonitor(() => ({ lastSnapshot: last, start: () => undefined, stop: async () => undefined, pollNow: async () => undefined }));
  }
  const startedAt = '2026-11-21T11:00:00.000001Z';

  it('finds the named session in the last snapshot with the monitor\'s own ids', () => {
    const monitor = monitorWith([session('41', { backendStart: startedAt, state: 'idle in transaction' }), session('7', { isMonitor: true, backendStart: '2026-11-21T10:00:00.000000Z' })]);
    const found = monitor.sessionForAction('41', startedAt);
    assert.equal(found?.session.id, '41');
    assert.equal(found?.session.state, 'idle in transaction');
    assert.deepEqual(found?.ownSessionIds, ['7']);
  });

  it('ignores unknown ids, the monitor itself and a pid now held by a newer backend', () => {
    const monitor = monitorWith([session('41', { backendStart: startedAt }), session('7', { isMonitor: true, backendStart: startedAt })]);
    assert.equal(monitor.sessionForAction('999', startedAt), undefined);
    assert.equal(monitor.sessionForAction('7', startedAt), undefined);
    assert.equal(monitor.sessionForAction('41', '2026-11-21T09:00:00.000000Z'), undefined);
  });
});
