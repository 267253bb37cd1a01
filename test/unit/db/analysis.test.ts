import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, buildBlockingChains, computeRates, computeRatesAcross, countBy, evaluateAlerts, type CounterSample, type SnapshotWithoutAlerts } from '../../../src/db/analysis';
import { DEFAULT_THRESHOLDS, type SessionInfo } from '../../../src/db/types';

function session(id: string, overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    id, backendStart: null, user: 'app', application: 'svc', client: '10.0.0.1', database: 'db', state: 'active',
    backendAgeSeconds: 10, stateAgeSeconds: 1, transactionAgeSeconds: null, queryAgeSeconds: 1, waitEvent: null,
    query: 'select 1', blockedBy: [], isMonitor: false, ...overrides,
  };
}

describe('buildBlockingChains', () => {
  it('returns nothing when no one waits', () => {
    assert.deepEqual(buildBlockingChains([session('1'), session('2')]), []);
  });

  it('puts the root blocker first and follows the longest path of waiters', () => {
    const chains = buildBlockingChains([
      session('10'),
      session('11', { blockedBy: ['10'], stateAgeSeconds: 4 }),
      session('12', { blockedBy: ['11'], stateAgeSeconds: 2 }),
      session('13', { blockedBy: ['10'], stateAgeSeconds: 7 }),
    ]);
    assert.equal(chains.length, 1);
    assert.deepEqual(chains[0], { rootId: '10', sessionIds: ['10', '11', '12'], waitingIds: ['11', '13', '12'], longestWaitSeconds: 7 });
  });

  it('makes one chain per independent root, the biggest first', () => {
    const chains = buildBlockingChains([
      session('1'), session('2', { blockedBy: ['1'] }),
      session('5'), session('6', { blockedBy: ['5'] }), session('7', { blockedBy: ['5'] }),
    ]);
    assert.deepEqual(chains.map((chain) => chain.rootId), ['5', '1']);
  });

  it('still reports a wait cycle (a deadlock about to be detected), rooted at its smallest id', () => {
    const chains = buildBlockingChains([session('30', { blockedBy: ['20'] }), session('20', { blockedBy: ['30'] })]);
    assert.equal(chains.length, 1);
    assert.equal(chains[0].rootId, '20');
    assert.deepEqual(chains[0].sessionIds, ['20', '30']);
  });

  it('handles a waiter blocked by several sessions (shared locks)', () => {
    const chains = buildBlockingChains([session('1'), session('2'), session('3', { blockedBy: ['1', '2'] })]);
    assert.deepEqual(chains.map((chain) => [chain.rootId, chain.waitingIds]), [['1', ['3']], ['2', ['3']]]);
  });
});

describe('computeRates', () => {
  const sample = (seconds: number, commits: number, rollbacks: number, hit: number, read: number, deadlocks = 0): CounterSample => ({
    serverTimeMs: seconds * 1000, commits, rollbacks, blocksHit: hit, blocksRead: read, deadlocks,
  });

  it('gives cumulative cache hit only on the first sample', () => {
    assert.deepEqual(computeRates(null, sample(0, 100, 0, 90, 10)), { cacheHitRatio: 0.9, tps: null, rollbackRate: null, deadlocks: 0, deadlocksDelta: null, intervalSeconds: null });
  });

  it('divides deltas by the server-clock interval', () => {
    const rates = computeRates(sample(10, 100, 10, 1000, 0), sample(12, 180, 30, 1990, 10, 1));
    assert.equal(rates.tps, 50);
    assert.equal(rates.rollbackRate, 0.2);
    assert.equal(rates.cacheHitRatio, 0.99);
    assert.equal(rates.deadlocksDelta, 1);
    assert.equal(rates.intervalSeconds, 2);
  });

  it('resets when a counter goes backwards or the clock does not advance', () => {
    assert.equal(computeRates(sample(10, 100, 10, 1000, 0), sample(12, 5, 0, 10, 0)).tps, null);
    assert.equal(computeRates(sample(10, 100, 10, 1000, 0), sample(10, 101, 10, 1000, 0)).tps, null);
  });
});

describe('computeRatesAcross', () => {
  const counters = (commits: number, hit = 100) => ({ commits, rollbacks: 0, blocksHit: hit, blocksRead: 0, deadlocks: 0 });

  it('sums the deltas of series present in both samples', () => {
    const rates = computeRatesAcross({ serverTimeMs: 0, byKey: { a: counters(10), b: counters(20) } }, { serverTimeMs: 1000, byKey: { a: counters(15), b: counters(30) } });
    assert.equal(rates.tps, 15);
  });

  it('leaves out a series that was reset, dropped or created, instead of going negative or spiking', () => {
    const previous = { serverTimeMs: 0, byKey: { a: counters(10), reset: counters(5000), dropped: counters(900) } };
    const current = { serverTimeMs: 2000, byKey: { a: counters(30), reset: counters(3), created: counters(700) } };
    const rates = computeRatesAcross(previous, current);
    assert.equal(rates.tps, 10);
    assert.equal(rates.intervalSeconds, 2);
  });

  it('has no interval rates when no series is comparable', () => {
    assert.equal(computeRatesAcross({ serverTimeMs: 0, byKey: { a: counters(10) } }, { serverTimeMs: 1000, byKey: { a: counters(1) } }).tps, null);
    assert.equal(computeRatesAcross(null, { serverTimeMs: 1000, byKey: { a: counters(1) } }).tps, null);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the initial delay up to the cap without jitter', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, 500, 5000, 0)), [500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('draws the jittered share at random, never above the exponential delay', () => {
    assert.equal(backoffDelayMs(3, 1000, 60_000, 0.5, () => 0), 2000);
    assert.equal(backoffDelayMs(3, 1000, 60_000, 0.5, () => 0.999999), 4000);
    assert.equal(backoffDelayMs(3, 1000, 60_000, 1, () => 0.25), 1000);
  });
});

describe('countBy', () => {
  it('sorts by count, then key, with unknown values grouped', () => {
    assert.deepEqual(countBy(['b', 'a', null, 'b'], (value) => value), [{ key: 'b', count: 2 }, { key: '(unknown)', count: 1 }, { key: 'a', count: 1 }]);
  });
});

describe('evaluateAlerts', () => {
  const base: SnapshotWithoutAlerts = {
    engine: 'postgres', serverVersion: 'PostgreSQL 15', sampledAt: '2026-01-01T00:00:00Z', pollDurationMs: 1,
    connections: { total: 10, max: 100, reserved: 3, utilization: 0.1, byState: {} },
    sessions: [], hiddenSessions: 0, idleInTransaction: [], longRunning: [], blockingChains: [],
    byUser: [], byApplication: [], byClient: [], byDatabase: [], rates: null,
    limits: { maxConnections: 103, settings: {}, roleLimits: [], databaseLimits: [] }, disabledProbes: [],
  };

  it('raises nothing for a healthy snapshot', () => {
    assert.deepEqual(evaluateAlerts(base, DEFAULT_THRESHOLDS), []);
  });

  it('warns above 80 % utilization and errors above 95 %', () => {
    const at = (utilization: number) => evaluateAlerts({ ...base, connections: { ...base.connections, total: Math.round(utilization * 100), utilization } }, DEFAULT_THRESHOLDS);
    assert.deepEqual(at(0.8), []);
    assert.deepEqual(at(0.81).map((alert) => [alert.id, alert.severity]), [['connection-utilization', 'warning']]);
    assert.equal(at(0.96)[0].severity, 'error');
    assert.equal(at(0.81)[0].message, '81 of 100 usable connections in use (81.0 %)');
  });

  it('flags idle-in-transaction sessions older than the threshold only', () => {
    const alerts = evaluateAlerts({ ...base, idleInTransaction: [session('1', { state: 'idle in transaction', transactionAgeSeconds: 30 }), session('2', { state: 'idle in transaction', transactionAgeSeconds: 90 })] }, DEFAULT_THRESHOLDS);
    assert.deepEqual(alerts.map((alert) => alert.message), ['1 session(s) idle in transaction longer than 60 s (oldest 90 s)']);
  });

  it('flags a cache hit ratio below 98 %, not one at or above', () => {
    const rates = { cacheHitRatio: 0.97, tps: 1, rollbackRate: 0, deadlocks: 0, deadlocksDelta: 0, intervalSeconds: 1 };
    assert.deepEqual(evaluateAlerts({ ...base, rates }, DEFAULT_THRESHOLDS).map((alert) => alert.id), ['cache-hit-ratio']);
    assert.deepEqual(evaluateAlerts({ ...base, rates: { ...rates, cacheHitRatio: 0.98 } }, DEFAULT_THRESHOLDS), []);
  });

  it('reports PgBouncer waiting clients, as an error once they waited past the limit', () => {
    const pool = { database: 'app', user: 'u', clientsActive: 2, clientsWaiting: 3, serversActive: 2, serversIdle: 0, serversUsed: 0, serversTested: 0, serversLogin: 0, maxWaitSeconds: 2, poolMode: 'transaction' };
    const pgbouncer = { pools: [pool], databases: [], stats: [], clientsWaiting: 3, maxWaitSeconds: 2 };
    const [alert] = evaluateAlerts({ ...base, engine: 'pgbouncer', pgbouncer }, DEFAULT_THRESHOLDS);
    assert.deepEqual(alert, { id: 'pgbouncer-clients-waiting', severity: 'warning', message: '3 client(s) waiting for a server connection in app/u (3); longest wait 2.0 s' });
    assert.equal(evaluateAlerts({ ...base, pgbouncer: { ...pgbouncer, maxWaitSeconds: 6 } }, DEFAULT_THRESHOLDS)[0].severity, 'error');
  });
});
