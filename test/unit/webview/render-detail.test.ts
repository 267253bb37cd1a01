// The panel's markup in detail: the exact texts of the summary, tables and tree, the attributes the
// stylesheet (media/panel.css) and screen readers rely on, and which parts an update redraws.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { Window } from 'happy-dom';
import type { PanelSession } from '../../../src/protocol/panel';
import type { PanelEffects } from '../../../webview/render';
import { initialPanelState, reducePanel, type PanelAction, type PanelTab, type PanelViewState } from '../../../webview/state';
import { makeCrowd, makeSample, makeSession, makeSnapshot } from './fixtures';

const happyWindow = new Window({ url: 'https://webview.local/' });
const globals = globalThis as Record<string, unknown>;
/** happy-dom reports an exception thrown by an event listener as an error event, not to the caller. */
const listenerErrors: string[] = [];
happyWindow.addEventListener('error', (event) => listenerErrors.push(String((event as unknown as { error?: Error }).error?.message ?? event)));
before(() => {
  globals.document = happyWindow.document;
  globals.window = happyWindow;
});
afterEach(() => {
  assert.deepEqual(listenerErrors.splice(0), [], 'an event listener of the panel threw');
});
after(async () => {
  delete globals.document;
  delete globals.window;
  await happyWindow.happyDOM.close();
});

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

async function mount(state: PanelViewState) {
  const { createPanelView } = await import('../../../webview/render');
  const root = happyWindow.document.createElement('div') as unknown as HTMLElement;
  happyWindow.document.body.replaceChildren(root as never);
  const actions: PanelAction[] = [];
  const effects: string[] = [];
  const effectLog: PanelEffects = {
    copyQuery: (id) => effects.push(`copy ${id}`),
    retryNow: () => effects.push('retry'),
    chooseConnection: () => effects.push('choose'),
    sessionAction: (action, id, backendStart) => effects.push(`${action} ${id} ${backendStart ?? 'no-start'}`),
  };
  let current = state;
  const view = createPanelView(root, (action) => {
    actions.push(action);
    current = reducePanel(current, action);
    view.update(current, NOW);
  }, effectLog);
  view.update(state, NOW);
  return {
    root, view, actions, effects,
    get state() { return current; },
    /** Feeds a new state to the view, as main.ts does after a host message. */
    show(next: PanelViewState) { current = next; view.update(next, NOW); },
  };
}

function withSnapshot(sessions: PanelSession[], overrides = {}, tab: PanelTab = 'sessions'): PanelViewState {
  return {
    ...initialPanelState,
    status: { kind: 'live', at: NOW },
    snapshot: makeSnapshot(sessions, overrides),
    history: [makeSample(NOW - 60_000, { utilization: 0.2 }), makeSample(NOW, { utilization: 0.4 })],
    ui: { ...initialPanelState.ui, hideIdle: false, tab },
  };
}

const text = (root: ParentNode, selector: string) => root.querySelector(selector)?.textContent ?? '';
const texts = (root: ParentNode, selector: string) => [...root.querySelectorAll(selector)].map((element) => element.textContent ?? '');

describe('panel markup', () => {
  it('draws every class the stylesheet styles', async () => {
    const css = readFileSync(path.join(__dirname, '../../../media/panel.css'), 'utf8');
    const styled = new Set([...css.matchAll(/\.([a-z][a-z0-9-]*)/g)].map((match) => match[1]));
    const drawn = new Set<string>();
    const collect = (root: HTMLElement) => {
      for (const element of root.querySelectorAll('[class]')) for (const name of (element.getAttribute('class') ?? '').split(/\s+/)) drawn.add(name);
    };
    const sessions = [
      makeSession('10', { state: 'idle in transaction', transactionAgeSeconds: 90 }),
      makeSession('11', { state: 'active', blockedBy: ['10'], queryAgeSeconds: 120 }),
      makeSession('12'),
    ];
    for (const tab of ['sessions', 'long-running', 'idle-in-transaction', 'blocking', 'by-user'] as const) {
      const state: PanelViewState = {
        ...withSnapshot(sessions, {}, tab),
        alerts: [{ key: 'a', severity: 'error', message: 'e' }, { key: 'b', severity: 'info', message: 'i' }, { key: 'c', severity: 'warning', message: 'w' }],
        ui: { ...initialPanelState.ui, hideIdle: false, tab, openQuery: { sessionId: '11', text: 'SELECT 1' } },
      };
      collect((await mount(state)).root);
    }
    for (const status of [{ kind: 'stale', since: NOW, reason: 'x' }, { kind: 'failed', reason: 'x' }] as const) collect((await mount({ ...withSnapshot([]), status })).root);
    collect((await mount({ ...withSnapshot([]), ui: { ...initialPanelState.ui, tab: 'long-running' } })).root);
    const missing = [...styled].filter((name) => !drawn.has(name));
    assert.deepEqual(missing, [], 'classes the stylesheet styles but the panel never draws');
  });

  it('the summary before any data: dashes, "No data yet", an empty gauge of unknown level', async () => {
    const { root } = await mount({ ...initialPanelState, status: { kind: 'connecting' } });
    assert.equal(text(root, '#metric-utilization-value'), '—');
    assert.equal(text(root, '#metric-utilization .metric-detail'), 'No data yet');
    assert.equal(text(root, '#metric-sessions-value'), '—');
    assert.equal(text(root, '#metric-sessions .metric-detail'), '');
    assert.equal(text(root, '#metric-waiting-value'), '—');
    assert.equal(text(root, '#metric-cache-value'), '—');
    assert.equal(text(root, '#metric-tps-value'), '—');
    const gauge = root.querySelector('.gauge')!;
    assert.equal(gauge.getAttribute('data-level'), 'unknown');
    assert.equal(gauge.getAttribute('aria-valuemax'), '0');
    assert.equal(gauge.getAttribute('aria-valuenow'), '0');
    assert.equal(gauge.getAttribute('aria-valuetext'), 'No data yet');
    assert.equal(gauge.querySelector('.gauge-fill'), null);
    assert.ok(gauge.querySelector('svg.gauge-bar rect.gauge-track'));
    assert.equal(root.querySelectorAll('.state-count').length, 0);
    assert.equal(texts(root, '#notices li').length, 0);
    for (const tab of ['sessions', 'long-running', 'idle-in-transaction', 'blocking', 'by-user']) {
      assert.equal(text(root, `#tab-${tab} .tab-count`), '', tab);
    }
    assert.equal(text(root, '#tab-body-sessions'), 'No data yet.');
    assert.equal(text(root, '#status-line'), 'Connecting…');
    assert.equal(root.querySelector('#status-line')!.getAttribute('class'), 'status status-neutral');
    assert.equal((root.querySelector('#status-line') as HTMLElement).dataset.kind, 'connecting');
    assert.equal((root.querySelector('#retry-now') as HTMLElement).hidden, true);
    assert.equal(text(root, 'h1.title'), 'Database health');
  });

  it('the summary with data: every card, the gauge level at each threshold, and an unknown limit', async () => {
    const sessions = [
      ...Array.from({ length: 3 }, (_, i) => makeSession(`a${i}`, { state: 'active' })),
      makeSession('t1', { state: 'idle in transaction' }),
      makeSession('t2', { state: 'idle in transaction (aborted)' }),
      makeSession('i1', { state: 'idle' }),
    ];
    const { root } = await mount(withSnapshot(sessions, { connectionsInUse: 6, maxConnections: 10, reservedConnections: 2, waitingClients: 2, cacheHitRatio: 0.9512, transactionsPerSecond: 123.4 }));
    assert.equal(text(root, '#metric-utilization-value'), '75 %');
    assert.equal(text(root, '#metric-utilization .metric-detail'), '6 of 8 usable (max 10, 2 reserved)');
    const gauge = root.querySelector('.gauge')!;
    assert.equal(gauge.getAttribute('data-level'), 'ok');
    assert.equal(gauge.getAttribute('aria-valuetext'), '6 of 8 usable (max 10, 2 reserved)');
    assert.equal(gauge.querySelector('.gauge-fill')!.getAttribute('width'), '75.00');
    assert.equal(text(root, '#metric-sessions-value'), '6');
    assert.equal(text(root, '#metric-sessions .metric-detail'), '3 active, 2 idle in transaction');
    assert.equal(text(root, '#metric-waiting-value'), '2');
    assert.equal(text(root, '#metric-waiting .metric-detail'), 'sessions waiting on a lock');
    assert.equal(text(root, '#metric-cache-value'), '95.1 %');
    assert.equal(text(root, '#metric-cache .metric-detail'), 'blocks served from memory');
    assert.equal(text(root, '#metric-tps-value'), '123/s');
    assert.equal(text(root, '#metric-tps .metric-detail'), 'commits and rollbacks');
    assert.deepEqual(texts(root, '#metric-utilization .metric-label'), ['Utilization']);
    assert.equal(root.querySelector('#metric-utilization')!.getAttribute('aria-labelledby'), 'metric-utilization-label metric-utilization-value');
    const every = await mount(withSnapshot([], { byState: { hidden: 1, other: 2, idle: 3, waiting: 4, 'idle in transaction (aborted)': 5, 'idle in transaction': 6, active: 7 } }));
    assert.deepEqual([...every.root.querySelectorAll('#state-counts .state-count')].map((item) => `${text(item, 'dt')}=${text(item, 'dd')}`), ['active=7', 'idle in transaction=6', 'idle in transaction (aborted)=5', 'waiting=4', 'idle=3', 'other=2', 'hidden=1']);
    // State counts in their fixed order, zero counts left out.
    assert.deepEqual([...root.querySelectorAll('#state-counts .state-count')].map((item) => `${item.getAttribute('data-state')}=${text(item, 'dd')}`), ['active=3', 'idle in transaction=1', 'idle in transaction (aborted)=1', 'idle=1']);

    const level = async (inUse: number, max: number | null, reserved: number | null = 0) => {
      const { root: r } = await mount(withSnapshot([], { connectionsInUse: inUse, maxConnections: max, reservedConnections: reserved }));
      return { level: r.querySelector('.gauge')!.getAttribute('data-level'), detail: text(r, '#metric-utilization .metric-detail'), value: text(r, '#metric-utilization-value'), fill: r.querySelector('.gauge-fill')?.getAttribute('width') ?? null };
    };
    assert.equal((await level(79, 100)).level, 'ok');
    assert.equal((await level(80, 100)).level, 'warning');
    assert.equal((await level(89, 100)).level, 'warning');
    assert.equal((await level(90, 100)).level, 'error');
    assert.deepEqual(await level(120, 100), { level: 'error', detail: '120 of 100 usable (max 100, 0 reserved)', value: '120 %', fill: '100.00' });
    assert.deepEqual(await level(5, 10, null), { level: 'ok', detail: '5 of 10 usable (max 10, 0 reserved)', value: '50 %', fill: '50.00' });
    assert.deepEqual(await level(7, null), { level: 'unknown', detail: "7 in use; the server's limit is unknown", value: '—', fill: null });
    // Every slot reserved: nothing usable, so no ratio.
    assert.deepEqual(await level(3, 3, 3), { level: 'unknown', detail: '3 of 0 usable (max 3, 3 reserved)', value: '—', fill: null });

    const bouncer = await mount(withSnapshot([], { engine: 'pgbouncer' }));
    assert.equal(text(bouncer.root, '#metric-waiting .metric-detail'), 'clients waiting for a server connection');
  });

  it('sparklines: points scaled to the window and the maximum; gaps skipped; fewer than two points draw no line', async () => {
    const { sparkline } = await import('../../../webview/render');
    const samples = [makeSample(1000, { sessions: 10 }), makeSample(2000, { sessions: 20 }), makeSample(3000, { cacheHitRatio: null as unknown as number, sessions: 40 }), makeSample(5000, { sessions: 0 })];
    const line = sparkline(samples, (sample) => sample.sessions);
    assert.equal(line.namespaceURI, 'http://www.w3.org/2000/svg');
    assert.equal(line.getAttribute('class'), 'sparkline');
    assert.equal(line.getAttribute('preserveAspectRatio'), 'none');
    assert.equal(line.getAttribute('focusable'), 'false');
    assert.equal(line.getAttribute('viewBox'), '0 0 100 24');
    assert.equal(line.getAttribute('aria-hidden'), 'true');
    const polyline = line.querySelector('polyline')!;
    assert.equal(polyline.getAttribute('points'), '0.00,17.00 25.00,12.00 50.00,2.00 100.00,22.00');
    assert.equal(polyline.getAttribute('class'), 'sparkline-line');
    assert.equal(polyline.getAttribute('fill'), 'none');
    assert.equal(polyline.getAttribute('vector-effect'), 'non-scaling-stroke');
    assert.equal(polyline.namespaceURI, 'http://www.w3.org/2000/svg');
    // A fixed maximum caps values above it.
    assert.equal(sparkline([makeSample(0, { utilization: 0.5 }), makeSample(10, { utilization: 2 })], (s) => s.utilization, 1).querySelector('polyline')!.getAttribute('points'), '0.00,12.00 100.00,2.00');
    // Null values are left out; one point left is no line.
    assert.equal(sparkline([makeSample(0), makeSample(10)], () => null).querySelector('polyline'), null);
    assert.equal(sparkline([makeSample(0), makeSample(10)], (s) => (s.at === 0 ? null : 3)).querySelector('polyline'), null);
    assert.equal(sparkline([makeSample(0, { sessions: 4 }), makeSample(10, { sessions: 5 }), makeSample(20, { sessions: 6 })], (s) => (s.at === 10 ? null : s.sessions)).querySelector('polyline')!.getAttribute('points'), '0.00,8.67 100.00,2.00');
    // All zero: no division by zero; samples at the same instant: no division by zero either.
    assert.equal(sparkline([makeSample(0, { sessions: 0 }), makeSample(10, { sessions: 0 })], (s) => s.sessions).querySelector('polyline')!.getAttribute('points'), '0.00,22.00 100.00,22.00');
    assert.equal(sparkline([makeSample(7, { sessions: 1 }), makeSample(7, { sessions: 2 })], (s) => s.sessions).querySelector('polyline')!.getAttribute('points'), '0.00,12.00 0.00,2.00');
  });

  it('the sessions table: headers, one row per session with its cells, dashes for unknowns, long queries cut at 120 characters', async () => {
    const long = 'SELECT ' + 'x'.repeat(200);
    const sessions = [
      makeSession('1', { state: 'active', user: null, application: '', client: null, stateAgeSeconds: 75, queryPreview: long, backendStart: '2026-11-21T11:00:00.000001Z' }),
      makeSession('2', { state: 'idle', queryPreview: null }),
      makeSession('3', { state: 'idle', queryPreview: '' }),
      makeSession('4', { state: 'idle', queryPreview: 'x'.repeat(120) }),
    ];
    const { root } = await mount(withSnapshot(sessions));
    const body = root.querySelector('#tab-body-sessions')!;
    assert.deepEqual(texts(body, 'thead th'), ['Id', 'User', 'Application', 'Client', 'State', 'In state', 'Query', 'Actions']);
    assert.ok([...body.querySelectorAll('thead th')].every((th) => th.getAttribute('scope') === 'col'));
    assert.equal(text(body, 'caption'), 'Sessions');
    assert.equal(body.querySelector('caption')!.getAttribute('class'), 'visually-hidden');
    assert.equal(text(body, '.table-note'), 'Showing 4 of 4 sessions.');
    assert.equal(body.querySelector('.table-note')!.getAttribute('role'), 'note');
    const row = body.querySelector('tr[data-session="1"]')!;
    assert.equal(row.getAttribute('data-state'), 'active');
    const cells = [...row.querySelectorAll('td')];
    assert.deepEqual(cells.slice(0, 6).map((cell) => cell.textContent), ['1', '—', '—', '—', 'active', '1 min 15 s']);
    assert.equal(cells[6].getAttribute('class'), 'query-cell');
    assert.equal(text(cells[6], 'code.query-preview'), `${long.slice(0, 120)}…`);
    const show = cells[6].querySelector('button')!;
    assert.equal(show.getAttribute('data-show-query'), '1');
    assert.equal(show.getAttribute('aria-label'), 'Show full query of session 1');
    assert.equal(show.getAttribute('type'), 'button');
    assert.equal(show.textContent, 'Show');
    assert.equal(cells[7].getAttribute('class'), 'actions-cell');
    const cancel = cells[7].querySelector('button[data-session-action="cancel"]')!;
    assert.equal(cancel.getAttribute('class'), 'row-action row-action-cancel');
    assert.equal(cancel.getAttribute('data-session-id'), '1');
    assert.equal(cancel.getAttribute('data-action-key'), 'cancel:1');
    assert.equal(cancel.getAttribute('data-backend-start'), '2026-11-21T11:00:00.000001Z');
    for (const id of ['2', '3']) {
      const cell = body.querySelector(`tr[data-session="${id}"] td.query-cell`)!;
      assert.equal(cell.textContent, '—', id);
      assert.equal(cell.querySelector('button'), null, id);
    }
    assert.equal(text(body, 'tr[data-session="4"] code.query-preview'), 'x'.repeat(120));
    const terminate = body.querySelector('tr[data-session="2"] button[data-session-action="terminate"]')!;
    assert.equal(terminate.getAttribute('class'), 'row-action row-action-terminate');
    assert.equal(terminate.hasAttribute('data-backend-start'), false, 'no backend start, no attribute');
    assert.equal(body.querySelectorAll('tr[data-session="2"] button[data-session-action]').length, 1);
    // A waiting session is running a query: it can be cancelled.
    const waiting = await mount(withSnapshot([makeSession('5', { state: 'waiting' })]));
    assert.deepEqual([...waiting.root.querySelectorAll('tr[data-session="5"] button[data-session-action]')].map((b) => b.getAttribute('data-session-action')), ['cancel', 'terminate']);
  });

  it('the other tables: their columns, texts and the message each shows when empty', async () => {
    const sessions = [
      makeSession('20', { state: 'idle in transaction', transactionAgeSeconds: 3700, stateAgeSeconds: 61, client: '10.0.0.1' }),
      makeSession('21', { state: 'active', queryAgeSeconds: 45, waitEvent: null, blockedBy: ['20'] }),
      makeSession('22', { state: 'active', queryAgeSeconds: 31, waitEvent: 'Lock:transactionid', user: 'batch', application: 'etl' }),
    ];
    const long = (await mount(withSnapshot(sessions, {}, 'long-running'))).root.querySelector('#tab-body-long-running')!;
    assert.deepEqual(texts(long, 'thead th'), ['Id', 'User', 'Application', 'Running for', 'Waiting on', 'Query', 'Actions']);
    assert.equal(text(long, 'caption'), 'Long-running queries');
    assert.deepEqual([...long.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].slice(0, 5).map((cell) => cell.textContent)), [
      ['21', 'app', 'web', '45 s', '—'],
      ['22', 'batch', 'etl', '31 s', 'Lock:transactionid'],
    ]);
    assert.equal(text(long, '.table-note'), 'Showing 2 of 2 sessions.');

    const idle = (await mount(withSnapshot(sessions, {}, 'idle-in-transaction'))).root.querySelector('#tab-body-idle-in-transaction')!;
    assert.deepEqual(texts(idle, 'thead th'), ['Id', 'User', 'Application', 'Client', 'Transaction age', 'In state', 'Query', 'Actions']);
    assert.equal(text(idle, 'caption'), 'Idle in transaction');
    assert.deepEqual([...idle.querySelectorAll('td')].slice(0, 6).map((cell) => cell.textContent), ['20', 'app', 'web', '10.0.0.1', '1 h 01 min', '1 min 01 s']);

    const users = (await mount(withSnapshot(sessions, { byUser: [{ name: 'app', count: 2 }, { name: '', count: 1 }], byApplication: [{ name: 'web', count: 3 }] }, 'by-user'))).root.querySelector('#tab-body-by-user')!;
    const tables = [...users.querySelectorAll('table')];
    assert.deepEqual(tables.map((table) => table.getAttribute('class')), ['data-table count-table', 'data-table count-table']);
    assert.deepEqual(tables.map((table) => text(table, 'caption')), ['Sessions by user', 'Sessions by application']);
    assert.deepEqual(tables.map((table) => texts(table, 'thead th')), [['User', 'Sessions'], ['Application', 'Sessions']]);
    assert.deepEqual([...tables[0].querySelectorAll('tbody tr')].map((row) => [text(row, 'th'), text(row, 'td')]), [['app', '2'], ['—', '1']]);
    assert.deepEqual([...tables[1].querySelectorAll('tbody tr')].map((row) => [text(row, 'th'), text(row, 'td')]), [['web', '3']]);
    assert.equal(tables[0].querySelector('tbody th')!.getAttribute('scope'), 'row');

    const quiet = [makeSession('30', { state: 'idle' })];
    const empty = async (tab: PanelTab) => text((await mount(withSnapshot(quiet, {}, tab))).root, `#tab-body-${tab} p.empty`);
    assert.equal(await empty('long-running'), 'No query has been running for 30 s or more.');
    assert.equal(await empty('idle-in-transaction'), 'No session is idle inside an open transaction.');
    assert.equal(await empty('blocking'), 'No session is waiting for a lock held by another.');
  });

  it('tab headers count what each tab lists; the selected tab is the state\'s', async () => {
    const sessions = [
      makeSession('40', { state: 'idle in transaction' }),
      makeSession('41', { state: 'active', queryAgeSeconds: 100, blockedBy: ['40'] }),
      makeSession('42', { state: 'active', queryAgeSeconds: 100, blockedBy: ['40'] }),
      makeSession('43', { state: 'idle' }),
    ];
    const { root } = await mount({ ...withSnapshot(sessions, { byUser: [{ name: 'app', count: 4 }] }, 'blocking'), ui: { ...initialPanelState.ui, tab: 'blocking', hideIdle: true } });
    const counts = Object.fromEntries(['sessions', 'long-running', 'idle-in-transaction', 'blocking', 'by-user'].map((tab) => [tab, text(root, `#tab-${tab} .tab-count`)]));
    assert.deepEqual(counts, { sessions: '(3)', 'long-running': '(2)', 'idle-in-transaction': '(1)', blocking: '(2)', 'by-user': '(1)' });
    assert.deepEqual(texts(root, 'vscode-tab-header'), ['Sessions (3)', 'Long-running (2)', 'Idle in transaction (1)', 'Blocking (2)', 'By user / application (1)']);
    assert.equal(root.querySelector('#tabs')!.getAttribute('selected-index'), '3');
    assert.equal((root.querySelector('#tabs') as HTMLElement & { selectedIndex?: number }).selectedIndex, 3);
  });

  it('the blocking tree: who blocks how many, who waits, with user, application, state, age and query', async () => {
    const sessions = [
      makeSession('50', { state: 'idle in transaction', stateAgeSeconds: 125, user: 'owner', application: 'billing', queryPreview: 'UPDATE accounts SET x = 1' }),
      makeSession('51', { state: 'active', stateAgeSeconds: 30, blockedBy: ['50'], user: null, application: '', queryPreview: null }),
      makeSession('52', { state: 'active', stateAgeSeconds: 20, blockedBy: ['51'], queryPreview: 'SELECT ' + 'y'.repeat(200) }),
    ];
    const { root } = await mount(withSnapshot(sessions, {}, 'blocking'));
    const tree = root.querySelector('#tab-body-blocking ul.blocking-tree')!;
    assert.equal(tree.getAttribute('aria-label'), 'Blocking sessions, root blockers first');
    const items = [...tree.querySelectorAll('li')];
    assert.deepEqual(items.map((item) => `${item.getAttribute('data-session')}@${item.getAttribute('data-depth')}`), ['50@0', '51@1', '52@2']);
    const own = (item: Element) => [...item.childNodes].filter((node) => node.nodeName !== 'UL').map((node) => node.textContent).join('');
    assert.equal(own(items[0]), 'blocks 2: 50 — owner (billing), idle in transaction, 2 min 05 s UPDATE accounts SET x = 1Show');
    assert.equal(own(items[1]), 'waits: 51 — ?, active, 30 s');
    assert.equal(own(items[2]), `waits: 52 — app (web), active, 20 s ${('SELECT ' + 'y'.repeat(200)).slice(0, 120)}Show`);
    assert.equal(items[0].querySelector(':scope > .blocking-role')!.textContent, 'blocks 2: ');
    assert.equal(items[0].querySelector(':scope > button')!.getAttribute('data-show-query'), '50');
    assert.equal(items[0].querySelector(':scope > button')!.getAttribute('aria-label'), 'Show full query of session 50');
    assert.equal(items[1].querySelector(':scope > button'), null);
    assert.equal(items[1].querySelector(':scope > code'), null);
    assert.equal(items[2].querySelector('ul'), null, 'a session nobody waits for has no list below it');
  });

  it('the status line, its tone and the retry button follow the poller; the title names the connection', async () => {
    const mounted = await mount({ ...withSnapshot([]), connection: { id: 'c1', label: 'orders-db', engine: 'postgres' } as PanelViewState['connection'] });
    const status = mounted.root.querySelector('#status-line') as HTMLElement;
    const retry = mounted.root.querySelector('#retry-now') as HTMLElement;
    assert.equal(text(mounted.root, 'h1.title'), 'Database health — orders-db');
    assert.equal(status.getAttribute('class'), 'status status-ok');
    assert.equal(status.dataset.kind, 'live');
    assert.equal(retry.hidden, true);
    mounted.show({ ...mounted.state, status: { kind: 'failed', reason: 'password authentication failed' } });
    assert.equal(status.getAttribute('class'), 'status status-error');
    assert.equal(status.dataset.kind, 'failed');
    assert.equal(retry.hidden, false);
    mounted.show({ ...mounted.state, status: { kind: 'stale', since: NOW, reason: 'timeout' } });
    assert.equal(status.getAttribute('class'), 'status status-warning');
    assert.equal(retry.hidden, true);
    retry.click();
    (mounted.root.querySelector('#choose-connection') as HTMLElement).click();
    assert.deepEqual(mounted.effects, ['retry', 'choose']);
  });

  it('alerts: one item per alert with its severity and key; the list is hidden when there are none', async () => {
    const mounted = await mount({ ...withSnapshot([]), alerts: [{ key: 'cache', severity: 'info', message: 'Cache hit ratio 97 %' }, { key: 'idle-tx', severity: 'warning', message: '2 sessions idle in transaction' }] });
    const list = mounted.root.querySelector('#alerts') as HTMLElement;
    assert.equal(list.hidden, false);
    assert.deepEqual([...list.querySelectorAll('li')].map((item) => [item.getAttribute('class'), item.getAttribute('data-alert'), item.textContent]), [
      ['alert alert-info', 'cache', 'Note: Cache hit ratio 97 %'],
      ['alert alert-warning', 'idle-tx', 'Warning: 2 sessions idle in transaction'],
    ]);
    mounted.show({ ...mounted.state, alerts: [] });
    assert.equal(list.hidden, true);
    assert.equal(list.children.length, 0);
  });

  it('notices: the hidden-session notice first, then the snapshot\'s own', async () => {
    const { root } = await mount(withSnapshot([], { hiddenSessions: 2, notices: ['pg_stat_statements is not installed'] }));
    assert.deepEqual(texts(root, '#notices li'), ['2 sessions hidden: the monitoring role may not read their details (grant pg_read_all_stats to see them).', 'pg_stat_statements is not installed']);
    const none = await mount(withSnapshot([], { hiddenSessions: 0, notices: [] }));
    assert.deepEqual(texts(none.root, '#notices li'), []);
  });

  it('the query pane: heading, loading, gone, copy only with text, Close and Escape close it and focus returns to the opener', async () => {
    const mounted = await mount(withSnapshot([makeSession('60', { state: 'active', queryPreview: 'SELECT 60' })]));
    const pane = mounted.root.querySelector('#query-pane') as HTMLElement;
    assert.equal(pane.hidden, true);
    const opener = mounted.root.querySelector('[data-show-query="60"]') as HTMLElement;
    opener.click();
    assert.equal(pane.hidden, false);
    assert.equal(text(mounted.root, '#query-heading'), 'Query of session 60');
    assert.equal(happyWindow.document.activeElement?.id, 'query-text');
    const copy = mounted.root.querySelector('#copy-query') as HTMLElement;
    assert.equal(copy.hasAttribute('disabled'), true, 'nothing to copy while loading');
    mounted.show(reducePanel(mounted.state, { type: 'queryText', sessionId: '60', text: null }));
    assert.equal(text(mounted.root, '#query-text'), 'This session is gone or its query cannot be read.');
    assert.equal(copy.hasAttribute('disabled'), true);
    mounted.show(reducePanel(mounted.state, { type: 'queryText', sessionId: '60', text: 'SELECT 60 -- whole' }));
    assert.equal(copy.hasAttribute('disabled'), false);
    (mounted.root.querySelector('#close-query') as HTMLElement).click();
    assert.deepEqual(mounted.actions.at(-1), { type: 'closeQuery' });
    assert.equal(pane.hidden, true);
    assert.equal(happyWindow.document.activeElement, opener, 'focus goes back to the Show button');
    opener.click();
    pane.dispatchEvent(new happyWindow.KeyboardEvent('keydown', { key: 'Enter' }) as unknown as Event);
    assert.equal(pane.hidden, false, 'only Escape closes');
    pane.dispatchEvent(new happyWindow.KeyboardEvent('keydown', { key: 'Escape' }) as unknown as Event);
    assert.equal(pane.hidden, true);
    (mounted.root.querySelector('#copy-query') as HTMLElement).click();
    assert.deepEqual(mounted.effects, [], 'no copy with the pane closed');
  });

  it('the toolbar shows the restored search and idle filter; clicks outside buttons do nothing', async () => {
    const mounted = await mount({ ...withSnapshot(makeCrowd(5)), ui: { ...initialPanelState.ui, search: 'orders', hideIdle: true } });
    const search = mounted.root.querySelector('#session-search') as HTMLElement & { value?: string };
    const hideIdle = mounted.root.querySelector('#hide-idle') as HTMLElement & { checked?: boolean };
    assert.equal(search.value, 'orders');
    assert.equal(search.getAttribute('value'), 'orders');
    assert.equal(hideIdle.checked, true);
    assert.equal(hideIdle.hasAttribute('checked'), true);
    const plain = await mount({ ...withSnapshot(makeCrowd(5)), ui: { ...initialPanelState.ui, search: '', hideIdle: false } });
    assert.equal((plain.root.querySelector('#hide-idle') as HTMLElement & { checked?: boolean }).checked, false);
    assert.equal(plain.root.querySelector('#hide-idle')!.hasAttribute('checked'), false);
    (plain.root.querySelector('#tab-body-sessions td') as HTMLElement).click();
    (plain.root.querySelector('#tab-body-sessions .table-note') as HTMLElement).click();
    assert.deepEqual(plain.actions, []);
    assert.deepEqual(plain.effects, []);
    plain.root.querySelector('#tabs')!.dispatchEvent(new happyWindow.CustomEvent('vsc-tabs-select', { detail: { selectedIndex: 9 } }) as unknown as Event);
    assert.deepEqual(plain.actions, [], 'an unknown tab index selects nothing');
  });

  it('an update redraws the table only when what it shows changed', async () => {
    const mounted = await mount(withSnapshot(makeCrowd(4)));
    const table = () => mounted.root.querySelector('#tab-body-sessions table');
    const first = table();
    mounted.show({ ...mounted.state, status: { kind: 'live', at: NOW + 1000 } });
    assert.equal(table(), first, 'a status change keeps the table');
    mounted.show({ ...mounted.state, longQuerySeconds: mounted.state.longQuerySeconds + 1 });
    assert.notEqual(table(), first, 'a new threshold redraws');
    const second = table();
    mounted.show({ ...mounted.state, ui: { ...mounted.state.ui, search: 'x' } });
    assert.notEqual(table(), second, 'a new search redraws');
    const third = table();
    mounted.show({ ...mounted.state, ui: { ...mounted.state.ui, hideIdle: !mounted.state.ui.hideIdle } });
    assert.notEqual(table(), third, 'the idle filter redraws');
    const fourth = table();
    mounted.show({ ...mounted.state, snapshot: makeSnapshot([...makeCrowd(4), makeSession('9999', { state: 'active', queryPreview: 'SELECT x' })]) });
    assert.notEqual(table(), fourth, 'a new snapshot redraws');
    assert.ok(mounted.root.querySelector('#tab-body-sessions tr[data-session="9999"]'));
    const summary = mounted.root.querySelector('#metric-utilization .metric-chart svg');
    mounted.show({ ...mounted.state, ui: { ...mounted.state.ui } });
    assert.equal(mounted.root.querySelector('#metric-utilization .metric-chart svg'), summary, 'the summary is kept when snapshot and history are');
    mounted.show({ ...mounted.state, history: [...mounted.state.history] });
    assert.notEqual(mounted.root.querySelector('#metric-utilization .metric-chart svg'), summary, 'new history redraws the summary');
    const alerts = mounted.root.querySelector('#alerts');
    mounted.show({ ...mounted.state, alerts: [{ key: 'k', severity: 'error', message: 'm' }] });
    assert.equal(alerts, mounted.root.querySelector('#alerts'));
    assert.equal(text(mounted.root, '#alerts'), 'Error: m');
  });

  it('focus on a Show button survives a redraw', async () => {
    const sessions = [makeSession('b', { state: 'active', queryPreview: 'SELECT 1' }), makeSession('c', { state: 'active', queryPreview: 'SELECT 2' })];
    const mounted = await mount(withSnapshot(sessions));
    (mounted.root.querySelector('[data-show-query="c"]') as HTMLElement).focus();
    mounted.show(reducePanel(mounted.state, { type: 'snapshot', snapshot: makeSnapshot([...sessions].reverse()), sample: makeSample(NOW + 2000), alerts: [] }));
    assert.equal(happyWindow.document.activeElement?.getAttribute('data-show-query'), 'c');
    // Focus outside the table is left alone by a redraw.
    (mounted.root.querySelector('#query-text') as HTMLElement).focus();
    mounted.show(reducePanel(mounted.state, { type: 'snapshot', snapshot: makeSnapshot(sessions), sample: makeSample(NOW + 4000), alerts: [] }));
    assert.equal(happyWindow.document.activeElement?.id, 'query-text');
  });
  it('the landmarks, labels and roles screen readers use', async () => {
    const { root } = await mount({ ...withSnapshot(makeCrowd(3)), alerts: [{ key: 'k', severity: 'warning', message: 'm' }] });
    const attributes = (selector: string, names: string[]) => {
      const element = root.querySelector(selector);
      assert.ok(element, selector);
      return Object.fromEntries(names.map((name) => [name, element.getAttribute(name)]));
    };
    assert.deepEqual(attributes('main', ['class']), { class: 'panel' });
    assert.deepEqual(attributes('#status-line', ['role', 'aria-live']), { role: 'status', 'aria-live': 'polite' });
    assert.deepEqual(attributes('#alerts', ['class', 'aria-live']), { class: 'alerts', 'aria-live': 'polite' });
    assert.equal(root.querySelector('#alerts')!.parentElement!.getAttribute('aria-label'), 'Alerts');
    assert.deepEqual(attributes('section.summary', ['aria-labelledby']), { 'aria-labelledby': 'summary-heading' });
    assert.equal(text(root, '#summary-heading'), 'Summary');
    assert.deepEqual(attributes('.gauge', ['role', 'aria-label', 'aria-valuemin']), { role: 'meter', 'aria-label': 'Connections in use against the usable limit', 'aria-valuemin': '0' });
    assert.ok(root.querySelector('#metric-utilization > .gauge + .metric-detail'), 'the gauge sits before the detail line');
    for (const [id, label] of [['metric-utilization', 'Utilization'], ['metric-sessions', 'Sessions'], ['metric-waiting', 'Waiting clients'], ['metric-cache', 'Cache hit ratio'], ['metric-tps', 'Transactions/s']]) {
      assert.deepEqual(attributes(`#${id}`, ['class', 'role', 'aria-labelledby']), { class: 'metric', role: 'group', 'aria-labelledby': `${id}-label ${id}-value` });
      assert.equal(text(root, `#${id}-label`), label);
      assert.equal(root.querySelector(`#${id}-label`)!.getAttribute('class'), 'metric-label');
      assert.equal(root.querySelector(`#${id}-value`)!.getAttribute('class'), 'metric-value');
    }
    assert.equal(root.querySelectorAll('.metrics > .metric').length, 5);
    assert.deepEqual(attributes('#state-counts', ['aria-label']), { 'aria-label': 'Sessions by state' });
    assert.deepEqual(attributes('#tabs', ['aria-label']), { 'aria-label': 'Session lists' });
    assert.deepEqual([...root.querySelectorAll('vscode-tab-header')].map((header) => header.getAttribute('slot')), ['header', 'header', 'header', 'header', 'header']);
    assert.deepEqual([...root.querySelectorAll('vscode-tab-panel')].map((panel) => panel.getAttribute('aria-label')), ['Sessions', 'Long-running', 'Idle in transaction', 'Blocking', 'By user / application']);
    assert.deepEqual([...root.querySelectorAll('vscode-tab-panel')].map((panel) => panel.querySelector('.tab-body')?.id), ['tab-body-sessions', 'tab-body-long-running', 'tab-body-idle-in-transaction', 'tab-body-blocking', 'tab-body-by-user']);
    // The search and the idle filter belong to the Sessions tab only.
    assert.equal(root.querySelectorAll('#session-search').length, 1);
    assert.ok(root.querySelector('vscode-tab-panel[aria-label="Sessions"] > .toolbar #session-search'));
    assert.ok(root.querySelector('vscode-tab-panel[aria-label="Sessions"] > .toolbar #hide-idle'));
    assert.deepEqual(attributes('#session-search', ['placeholder', 'label', 'aria-label']), { placeholder: 'Search user, application, client, query…', label: 'Search sessions', 'aria-label': 'Search sessions' });
    assert.deepEqual(attributes('#hide-idle', ['label']), { label: 'Hide idle sessions' });
    assert.deepEqual(attributes('#query-pane', ['class', 'aria-labelledby']), { class: 'query-pane', 'aria-labelledby': 'query-heading' });
    assert.deepEqual(attributes('#query-text', ['class', 'tabindex']), { class: 'query-text', tabindex: '0' });
    assert.deepEqual(texts(root, '#query-pane .actions vscode-button'), ['Copy query', 'Close']);
    assert.deepEqual(attributes('#close-query', ['secondary']), { secondary: '' });
    assert.deepEqual(texts(root, 'header.panel-header .title-row .actions vscode-button'), ['Retry now', 'Choose connection…']);
    assert.deepEqual(attributes('#choose-connection', ['secondary']), { secondary: '' });
    assert.equal(root.querySelector('#retry-now')!.hasAttribute('secondary'), false);
    assert.equal(root.querySelector('header.panel-header > .title-row > h1.title') !== null, true);
    assert.equal(root.querySelector('.alert .alert-severity')!.textContent, 'Warning: ');
    const gaugeBar = root.querySelector('.gauge svg.gauge-bar')!;
    assert.deepEqual(Object.fromEntries(['viewBox', 'preserveAspectRatio', 'aria-hidden', 'focusable'].map((name) => [name, gaugeBar.getAttribute(name)])), { viewBox: '0 0 100 8', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
    const track = gaugeBar.querySelector('rect.gauge-track')!;
    assert.deepEqual(Object.fromEntries(['x', 'y', 'width', 'height', 'rx'].map((name) => [name, track.getAttribute(name)])), { x: '0', y: '0', width: '100', height: '8', rx: '2' });
    const fill = gaugeBar.querySelector('rect.gauge-fill')!;
    assert.deepEqual(Object.fromEntries(['x', 'y', 'height', 'rx'].map((name) => [name, fill.getAttribute(name)])), { x: '0', y: '0', height: '8', rx: '2' });
    assert.equal(gaugeBar.namespaceURI, 'http://www.w3.org/2000/svg');
  });

  it('the query pane starts hidden, before the first update', async () => {
    const { createPanelView } = await import('../../../webview/render');
    const root = happyWindow.document.createElement('div') as unknown as HTMLElement;
    createPanelView(root, () => undefined, { copyQuery: () => undefined, retryNow: () => undefined, chooseConnection: () => undefined, sessionAction: () => undefined });
    assert.equal((root.querySelector('#query-pane') as HTMLElement).hidden, true);
  });

  it('Cancel query hands the cancel request with the identity shown to the host', async () => {
    const mounted = await mount(withSnapshot([makeSession('990', { state: 'active', backendStart: '2026-11-21T11:00:00.000009Z' }), makeSession('991', { state: 'waiting' })]));
    (mounted.root.querySelector('tr[data-session="990"] button[data-session-action="cancel"]') as HTMLElement).click();
    (mounted.root.querySelector('tr[data-session="991"] button[data-session-action="cancel"]') as HTMLElement).click();
    assert.deepEqual(mounted.effects, ['cancel 990 2026-11-21T11:00:00.000009Z', 'cancel 991 no-start']);
    assert.deepEqual(mounted.actions, []);
  });

  it('the answer for the open query does not pull focus back to it; a session that left the table does not break the redraw', async () => {
    const sessions = [makeSession('70', { state: 'active', queryPreview: 'SELECT 70' }), makeSession('71', { state: 'active', queryPreview: 'SELECT 71' })];
    const mounted = await mount(withSnapshot(sessions));
    (mounted.root.querySelector('[data-show-query="70"]') as HTMLElement).click();
    (mounted.root.querySelector('#copy-query') as HTMLElement).focus();
    mounted.show(reducePanel(mounted.state, { type: 'queryText', sessionId: '70', text: 'SELECT 70 -- whole' }));
    assert.equal(happyWindow.document.activeElement?.id, 'copy-query');
    (mounted.root.querySelector('[data-show-query="71"]') as HTMLElement).focus();
    mounted.show(reducePanel(mounted.state, { type: 'snapshot', snapshot: makeSnapshot([sessions[0]]), sample: makeSample(NOW + 2000), alerts: [] }));
    assert.equal(mounted.root.querySelector('[data-show-query="71"]'), null);
  });

  it('focus in a tab that is not redrawn is left where it is', async () => {
    const sessions = [makeSession('80', { state: 'idle in transaction', queryPreview: 'SELECT 80' }), makeSession('81', { state: 'active', blockedBy: ['80'], queryPreview: 'SELECT 81' })];
    const mounted = await mount(withSnapshot(sessions));
    const sessionsButton = mounted.root.querySelector('#tab-body-sessions [data-show-query="80"]') as HTMLElement;
    sessionsButton.focus();
    mounted.show({ ...mounted.state, ui: { ...mounted.state.ui, tab: 'blocking' } });
    assert.ok(mounted.root.querySelector('#tab-body-blocking [data-show-query="80"]'));
    assert.equal(happyWindow.document.activeElement, sessionsButton);
  });

  it('the by-user tables draw at most MAX_RENDERED_ROWS rows', async () => {
    const { MAX_RENDERED_ROWS } = await import('../../../webview/selectors');
    const byUser = Array.from({ length: MAX_RENDERED_ROWS + 5 }, (_, i) => ({ name: `u${i}`, count: 1 }));
    const { root } = await mount(withSnapshot([], { byUser }, 'by-user'));
    assert.equal(root.querySelectorAll('#tab-body-by-user table')[0].querySelectorAll('tbody tr').length, MAX_RENDERED_ROWS);
  });
});
