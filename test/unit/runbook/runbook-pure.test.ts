import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jitterOf, percentile } from '../../../src/runbook/probe';
import { describeForConfirmation, formatAge, fromSnapshotSession, queryExcerpt } from '../../../src/runbook/session';
import { parseThreadId } from '../../../src/runbook/mysql';
import { diagnose, DEFAULT_DIAGNOSE_OPTIONS } from '../../../src/runbook/diagnose';
import type { SessionInfo } from '../../../src/db/types';

test('nearest-rank percentiles and mean-difference jitter', () => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(percentile(sorted, 0.5), 5);
  assert.equal(percentile(sorted, 0.95), 10);
  assert.equal(percentile([], 0.5), null);
  assert.equal(jitterOf([1, 3, 2, 6]), (2 + 1 + 4) / 3);
  assert.equal(jitterOf([4]), null);
});

test('the confirmation names id, user@client, database, state with age, and a flattened query excerpt', () => {
  const text = describeForConfirmation('terminate', {
    id: '4242', backendStart: '2026-11-21T22:00:00.000001Z', user: 'app', client: '10.0.0.7:51234', database: 'shop', applicationName: 'api',
    state: 'idle in transaction', stateAgeSeconds: 754, queryAgeSeconds: 760, query: 'UPDATE orders\n   SET paid = true\n WHERE id = $1',
  }, 'PostgreSQL');
  assert.equal(text, 'Terminate PostgreSQL session 4242 (app@10.0.0.7:51234, database shop, idle in transaction for 12m 34s): UPDATE orders SET paid = true WHERE id = $1');
  assert.equal(queryExcerpt('x'.repeat(300)).length, 120);
  assert.equal(formatAge(3 * 3600 + 120), '3h 2m');
});

test('MySQL thread ids must be plain positive integers', () => {
  assert.equal(parseThreadId('42'), 42);
  for (const bad of ['0', '-1', '1.5', '1e3', '42 OR 1', '', '99999999999999999']) assert.equal(parseThreadId(bad), null, bad);
});

function session(overrides: Partial<SessionInfo>): SessionInfo {
  return {
    id: '1', backendStart: null, user: 'app', application: 'api', client: '10.0.0.7:5000', database: 'shop', state: 'idle', backendAgeSeconds: 10,
    stateAgeSeconds: 10, transactionAgeSeconds: null, queryAgeSeconds: 10, waitEvent: null, query: 'SELECT 1', blockedBy: [], isMonitor: false, ...overrides,
  };
}

test('diagnose ignores the monitor\'s own idle transaction and needs a real pile-up', () => {
  const monitor = session({ id: '9', state: 'idle in transaction', isMonitor: true, transactionAgeSeconds: 999 });
  const snapshot = {
    engine: 'postgres', serverVersion: 'PostgreSQL 15', sampledAt: '', pollDurationMs: 1,
    connections: { total: 10, max: 97, reserved: 3, utilization: 10 / 97, byState: { idle: 9, 'idle in transaction': 1 } },
    sessions: [monitor], hiddenSessions: 0, idleInTransaction: [monitor], longRunning: [], blockingChains: [],
    byUser: [], byApplication: [], byClient: [], byDatabase: [], rates: null,
    limits: { maxConnections: 100, settings: {}, roleLimits: [], databaseLimits: [] }, disabledProbes: [], alerts: [],
  } as const;
  assert.deepEqual(diagnose({ snapshot }, DEFAULT_DIAGNOSE_OPTIONS), []);
  const full = { ...snapshot, limits: { ...snapshot.limits, roleLimits: [{ role: 'app', limit: 10, current: 10 }] } };
  const [found] = diagnose({ snapshot: full }, DEFAULT_DIAGNOSE_OPTIONS);
  assert.equal(found.scenario, 'too-many-connections');
  assert.match(found.evidence[0], /role app uses 10 of its CONNECTION LIMIT 10/);
});

test('a snapshot session converts to the runbook shape the commands accept', () => {
  const converted = fromSnapshotSession(session({ id: '77', backendStart: '2026-11-21T22:00:00.000001Z', application: 'worker' }));
  assert.equal(converted.applicationName, 'worker');
  assert.equal(converted.backendStart, '2026-11-21T22:00:00.000001Z');
});
