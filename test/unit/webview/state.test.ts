import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HISTORY_WINDOW_MS, PANEL_PROTOCOL_VERSION, type HostMessage } from '../../../src/protocol/panel';
import { blockingForest, filterSessions, idleInTransaction, longRunningQueries } from '../../../webview/selectors';
import { initialPanelState, reducePanel, restorePanelState } from '../../../webview/state';
import { makeCrowd, makeSample, makeSession, makeSnapshot } from './fixtures';

describe('panel reducer', () => {
  const snapshot = makeSnapshot(makeCrowd(10));
  const init = { type: 'init', protocol: PANEL_PROTOCOL_VERSION, connection: { id: 'c', label: 'l', engine: 'postgres' }, status: { kind: 'connecting' }, snapshot: null, history: [], alerts: [], longQuerySeconds: 12 } satisfies HostMessage;

  it('init replaces data but keeps the reader\'s choices and closes an open query', () => {
    const before = reducePanel(reducePanel(initialPanelState, { type: 'setSearch', search: 'orders' }), { type: 'openQuery', sessionId: '1' });
    const after = reducePanel(before, init);
    assert.equal(after.ui.search, 'orders');
    assert.equal(after.ui.openQuery, null);
    assert.equal(after.longQuerySeconds, 12);
  });

  it('appends samples and keeps only the last ten minutes', () => {
    const start = Date.UTC(2026, 0, 1);
    let state = reducePanel(initialPanelState, init);
    for (let minute = 0; minute <= 15; minute++) {
      state = reducePanel(state, { type: 'snapshot', snapshot, sample: makeSample(start + minute * 60_000), alerts: [] });
    }
    assert.equal(state.history.length, 10);
    assert.equal(state.history[0].at, start + 6 * 60_000);
    assert.ok(state.history.at(-1)!.at - state.history[0].at < HISTORY_WINDOW_MS);
    assert.equal(state.snapshot, snapshot);
  });

  it('applies query text only to the session whose query is open', () => {
    const open = reducePanel(initialPanelState, { type: 'openQuery', sessionId: '7' });
    assert.equal(open.ui.openQuery?.text, undefined);
    assert.equal(reducePanel(open, { type: 'queryText', sessionId: '8', text: 'SELECT 8' }), open);
    assert.equal(reducePanel(open, { type: 'queryText', sessionId: '7', text: 'SELECT 7' }).ui.openQuery?.text, 'SELECT 7');
  });

  it('returns the same state for no-op UI actions so nothing is redrawn', () => {
    assert.equal(reducePanel(initialPanelState, { type: 'selectTab', tab: 'sessions' }), initialPanelState);
    assert.equal(reducePanel(initialPanelState, { type: 'closeQuery' }), initialPanelState);
  });

  it('restores only valid persisted choices', () => {
    assert.deepEqual(restorePanelState({ ui: { tab: 'blocking', hideIdle: false, search: 'x' } }).ui, { tab: 'blocking', hideIdle: false, search: 'x', openQuery: null });
    assert.deepEqual(restorePanelState({ ui: { tab: '<script>', hideIdle: 'yes', search: 5 } }).ui, initialPanelState.ui);
    assert.equal(restorePanelState('garbage'), initialPanelState);
  });
});

describe('panel selectors', () => {
  it('filters idle sessions and searches every text column case-insensitively', () => {
    const sessions = [makeSession('1', { state: 'idle' }), makeSession('2', { state: 'active', application: 'Billing-Worker' }), makeSession('3', { state: 'active', queryPreview: 'UPDATE accounts' })];
    assert.deepEqual(filterSessions(sessions, true, '').map((s) => s.id), ['2', '3']);
    assert.deepEqual(filterSessions(sessions, false, '').map((s) => s.id), ['1', '2', '3']);
    assert.deepEqual(filterSessions(sessions, false, 'billing').map((s) => s.id), ['2']);
    assert.deepEqual(filterSessions(sessions, false, ' accounts ').map((s) => s.id), ['3']);
  });

  it('lists long-running queries over the threshold, longest first', () => {
    const snapshot = makeSnapshot([makeSession('1', { state: 'active', queryAgeSeconds: 40 }), makeSession('2', { state: 'active', queryAgeSeconds: 5 }), makeSession('3', { state: 'active', queryAgeSeconds: 90 }), makeSession('4', { state: 'idle', queryAgeSeconds: 500 })]);
    assert.deepEqual(longRunningQueries(snapshot, 30).map((s) => s.id), ['3', '1']);
  });

  it('orders idle-in-transaction sessions oldest transaction first', () => {
    const snapshot = makeSnapshot([makeSession('1', { state: 'idle in transaction', transactionAgeSeconds: 10 }), makeSession('2', { state: 'idle in transaction (aborted)', transactionAgeSeconds: 300 }), makeSession('3', { state: 'active' })]);
    assert.deepEqual(idleInTransaction(snapshot).map((s) => s.id), ['2', '1']);
  });

  it('puts the root blocker first and nests its waiters', () => {
    // 10 holds the lock; 11 and 12 wait for 10; 13 waits for 11. 20 waits for a pid not in the snapshot.
    const snapshot = makeSnapshot([
      makeSession('13', { blockedBy: ['11'] }),
      makeSession('11', { blockedBy: ['10'] }),
      makeSession('12', { blockedBy: ['10'] }),
      makeSession('10', { state: 'idle in transaction' }),
      makeSession('20', { blockedBy: ['999'] }),
      makeSession('30'),
    ]);
    const forest = blockingForest(snapshot);
    assert.equal(forest.length, 1);
    assert.equal(forest[0].session.id, '10');
    assert.deepEqual(forest[0].blocked.map((node) => node.session.id), ['11', '12']);
    assert.deepEqual(forest[0].blocked[0].blocked.map((node) => node.session.id), ['13']);
  });

  it('shows a lock cycle once, starting from its lowest id', () => {
    const snapshot = makeSnapshot([makeSession('8', { blockedBy: ['9'] }), makeSession('9', { blockedBy: ['8'] })]);
    const forest = blockingForest(snapshot);
    assert.equal(forest.length, 1);
    assert.equal(forest[0].session.id, '8');
    assert.deepEqual(forest[0].blocked.map((node) => node.session.id), ['9']);
  });
});
