// The panel's selectors on plain data: edge cases of filtering, ordering and the lock forest that
// the rendering tests do not reach.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockingForest, filterSessions, idleInTransaction, longRunningQueries, usableConnections, type BlockingNode } from '../../../webview/selectors';
import { makeSession, makeSnapshot } from './fixtures';

const ids = (sessions: readonly { id: string }[]) => sessions.map((session) => session.id);
/** The forest as "id(children…)" strings, depth first. */
const shape = (forest: readonly BlockingNode[]): string[] => forest.map((node) => (node.blocked.length ? `${node.session.id}(${shape(node.blocked).join(' ')})` : node.session.id));

describe('filterSessions', () => {
  it('matches every text column, ignores nulls, and keeps non-idle states when idle ones are hidden', () => {
    const sessions = [
      makeSession('1', { state: 'idle', user: null, application: '', client: null, queryPreview: null, waitEvent: null }),
      makeSession('2', { state: 'idle in transaction', waitEvent: 'ClientRead' }),
      makeSession('3', { state: 'waiting', client: '192.168.7.7', database: 'Ledger' }),
    ];
    assert.deepEqual(ids(filterSessions(sessions, true, '')), ['2', '3']);
    assert.deepEqual(ids(filterSessions(sessions, false, 'clientread')), ['2']);
    assert.deepEqual(ids(filterSessions(sessions, false, '192.168.7')), ['3']);
    assert.deepEqual(ids(filterSessions(sessions, false, 'ledger')), ['3']);
    assert.deepEqual(ids(filterSessions(sessions, false, 'WAITING')), ['3']);
    assert.deepEqual(ids(filterSessions(sessions, false, 'app')), ['2', '3'], 'null and empty fields match nothing');
    assert.deepEqual(ids(filterSessions(sessions, true, 'nothing like this')), []);
    assert.deepEqual(ids(filterSessions(sessions, false, '   ')), ['1', '2', '3']);
  });
});

describe('ordering by age', () => {
  it('long-running: active only, at or over the threshold, unknown ages never listed, longest first', () => {
    const snapshot = makeSnapshot([
      makeSession('1', { state: 'active', queryAgeSeconds: 30 }),
      makeSession('2', { state: 'active', queryAgeSeconds: null }),
      makeSession('3', { state: 'active', queryAgeSeconds: 29.9 }),
      makeSession('4', { state: 'active', queryAgeSeconds: 0 }),
      makeSession('5', { state: 'waiting', queryAgeSeconds: 500 }),
      makeSession('6', { state: 'active', queryAgeSeconds: 31 }),
    ]);
    assert.deepEqual(ids(longRunningQueries(snapshot, 30)), ['6', '1']);
    assert.deepEqual(ids(longRunningQueries(snapshot, 0)), ['6', '1', '3', '4']);
  });

  it('idle in transaction: by transaction age, else state age, unknown ages last', () => {
    const snapshot = makeSnapshot([
      makeSession('1', { state: 'idle in transaction', transactionAgeSeconds: null, stateAgeSeconds: null }),
      makeSession('2', { state: 'idle in transaction', transactionAgeSeconds: 0, stateAgeSeconds: 0 }),
      makeSession('3', { state: 'idle in transaction (aborted)', transactionAgeSeconds: null, stateAgeSeconds: 50 }),
      makeSession('4', { state: 'idle in transaction', transactionAgeSeconds: 10, stateAgeSeconds: 90 }),
      makeSession('5', { state: 'idle', transactionAgeSeconds: 999 }),
    ]);
    assert.deepEqual(ids(idleInTransaction(snapshot)), ['3', '4', '2', '1']);
  });
});

describe('blockingForest', () => {
  it('orders roots by how many sessions wait on them, then by numeric id', () => {
    const snapshot = makeSnapshot([
      makeSession('10', { state: 'idle in transaction' }),
      makeSession('9', { state: 'idle in transaction' }),
      makeSession('100', { state: 'idle in transaction' }),
      makeSession('11', { blockedBy: ['10'] }),
      makeSession('12', { blockedBy: ['100'] }),
      makeSession('13', { blockedBy: ['100'] }),
      makeSession('14', { blockedBy: ['9'] }),
    ]);
    assert.deepEqual(shape(blockingForest(snapshot)), ['100(12 13)', '9(14)', '10(11)']);
  });

  it('a session waiting on a listed blocker and on one outside the snapshot is not a root', () => {
    const snapshot = makeSnapshot([
      makeSession('4', { state: 'idle in transaction' }),
      makeSession('5', { blockedBy: ['999', '4'] }),
      makeSession('6', { blockedBy: ['5'] }),
      makeSession('7', { blockedBy: ['999'] }),
    ]);
    assert.deepEqual(shape(blockingForest(snapshot)), ['4(5(6))']);
  });

  it('a lock cycle starts at its numerically lowest id; waiters on the cycle hang below it; each session once', () => {
    const snapshot = makeSnapshot([
      makeSession('10', { blockedBy: ['9'] }),
      makeSession('9', { blockedBy: ['10'] }),
      makeSession('30', { blockedBy: ['10'] }),
      makeSession('21', { blockedBy: ['20'] }),
      makeSession('20', { blockedBy: ['21'] }),
    ]);
    const forest = blockingForest(snapshot);
    assert.deepEqual(shape(forest), ['9(10(30))', '20(21)']);
  });

  it('no locks, no forest', () => {
    assert.deepEqual(blockingForest(makeSnapshot([makeSession('1'), makeSession('2', { blockedBy: ['3'] })])), []);
  });
});

describe('usableConnections', () => {
  it('is the limit minus reserved slots, never negative, unknown without a limit', () => {
    assert.equal(usableConnections(makeSnapshot([], { maxConnections: 100, reservedConnections: 3 })), 97);
    assert.equal(usableConnections(makeSnapshot([], { maxConnections: 100, reservedConnections: null })), 100);
    assert.equal(usableConnections(makeSnapshot([], { maxConnections: 2, reservedConnections: 3 })), 0);
    assert.equal(usableConnections(makeSnapshot([], { maxConnections: null, reservedConnections: 3 })), null);
  });
});
