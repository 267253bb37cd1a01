import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Window } from 'happy-dom';
import type { PanelSession } from '../../../src/protocol/panel';
import type { PanelEffects } from '../../../webview/render';
import { MAX_RENDERED_ROWS } from '../../../webview/selectors';
import { initialPanelState, reducePanel, type PanelAction, type PanelViewState } from '../../../webview/state';
import { makeCrowd, makeSample, makeSession, makeSnapshot } from './fixtures';

// render.ts draws through the global `document`, as it does in the webview.
const happyWindow = new Window({ url: 'https://webview.local/' });
const globals = globalThis as Record<string, unknown>;
before(() => {
  globals.document = happyWindow.document;
  globals.window = happyWindow;
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
  return { root, view, actions, effects, get state() { return current; }, set state(next: PanelViewState) { current = next; } };
}

function withSnapshot(sessions: PanelSession[], overrides = {}): PanelViewState {
  return { ...initialPanelState, status: { kind: 'live', at: NOW }, snapshot: makeSnapshot(sessions, overrides), history: [makeSample(NOW - 60_000, { utilization: 0.2 }), makeSample(NOW, { utilization: 0.4 })] };
}

const text = (root: HTMLElement, selector: string) => root.querySelector(selector)?.textContent ?? '';

describe('panel render', () => {
  it('shows utilization against the usable limit, with a meter screen readers can read', async () => {
    const { root } = await mount(withSnapshot(makeCrowd(42)));
    assert.equal(text(root, '#metric-utilization-value'), '43 %');
    assert.match(text(root, '#metric-utilization'), /42 of 97 usable \(max 100, 3 reserved\)/);
    const meter = root.querySelector('[role="meter"]')!;
    assert.equal(meter.getAttribute('aria-valuenow'), '42');
    assert.equal(meter.getAttribute('aria-valuemax'), '97');
    assert.equal(text(root, '#metric-sessions-value'), '42');
    assert.equal(text(root, '#metric-cache-value'), '99.3 %');
  });

  it('draws sparklines as shapes only, hidden from screen readers', async () => {
    const { root } = await mount(withSnapshot(makeCrowd(3)));
    const lines = root.querySelectorAll('svg.sparkline');
    assert.equal(lines.length, 5);
    for (const line of lines) {
      assert.equal(line.getAttribute('aria-hidden'), 'true');
      assert.equal(line.textContent, '');
    }
    assert.ok(root.querySelector('#metric-utilization svg.sparkline polyline'));
  });

  it('counts sessions by state', async () => {
    const { root } = await mount(withSnapshot(makeCrowd(10)));
    const counts = Object.fromEntries([...root.querySelectorAll('#state-counts .state-count')].map((item) => [item.querySelector('dt')!.textContent, item.querySelector('dd')!.textContent]));
    assert.deepEqual(counts, { active: '2', 'idle in transaction': '2', idle: '6' });
  });

  it('caps the session table and says how many are not drawn', async () => {
    const { root } = await mount({ ...withSnapshot(makeCrowd(1500)), ui: { ...initialPanelState.ui, hideIdle: false } });
    assert.equal(root.querySelectorAll('#tab-body-sessions tbody tr').length, MAX_RENDERED_ROWS);
    assert.match(text(root, '#tab-body-sessions .table-note'), new RegExp(`Showing ${MAX_RENDERED_ROWS} of 1500 matching sessions`));
  });

  it('re-filters when the reader hides idle sessions or searches', async () => {
    const mounted = await mount({ ...withSnapshot(makeCrowd(50)), ui: { ...initialPanelState.ui, hideIdle: false } });
    assert.equal(mounted.root.querySelectorAll('#tab-body-sessions tbody tr').length, 50);
    const checkbox = mounted.root.querySelector('#hide-idle') as HTMLElement & { checked: boolean };
    checkbox.checked = true;
    checkbox.dispatchEvent(new happyWindow.Event('change') as unknown as Event);
    assert.equal(mounted.root.querySelectorAll('#tab-body-sessions tbody tr').length, 20);
    const search = mounted.root.querySelector('#session-search') as HTMLElement & { value: string };
    search.value = 'id = 11';
    search.dispatchEvent(new happyWindow.Event('input') as unknown as Event);
    const rows = [...mounted.root.querySelectorAll('#tab-body-sessions tbody tr')].map((row) => row.getAttribute('data-session'));
    assert.deepEqual(rows, ['1011']);
  });

  it('renders hostile database strings as literal text', async () => {
    const payload = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script>';
    const hostile = makeSession('666', { state: 'active', application: payload, user: '<b>root</b>', queryPreview: `SELECT '${payload}'` });
    const { root } = await mount({ ...withSnapshot([hostile]), ui: { ...initialPanelState.ui, tab: 'sessions' } });
    const row = root.querySelector('tr[data-session="666"]')!;
    assert.ok(row.textContent!.includes(payload));
    assert.ok(row.textContent!.includes('<b>root</b>'));
    assert.equal(root.querySelector('img'), null);
    assert.equal(root.querySelector('script'), null);
    assert.equal(root.querySelector('b'), null);
    assert.equal(globals.pwned, undefined);
  });

  // Every tab that draws database strings, drawn with hostile ones: the sessions tab above is not
  // the only one (the others are drawn only when selected, so each is selected here).
  const HOSTILE = {
    user: '<b id="injected-user">root</b>',
    application: '<img id="injected-app" src=x onerror="globalThis.pwnedTab=1">',
    client: '<i id="injected-client">10.0.0.9</i>',
    waitEvent: '<u id="injected-wait">Lock</u>',
    query: `SELECT '<script id="injected-query">globalThis.pwnedTab=2</script>'`,
  };
  const hostileCrowd = () => [
    // Holds the lock: idle in transaction, so it is listed on the idle-in-transaction and blocking tabs.
    makeSession('666', { state: 'idle in transaction', transactionAgeSeconds: 90, user: HOSTILE.user, application: HOSTILE.application, client: HOSTILE.client, queryPreview: HOSTILE.query }),
    // Waits for it, running long enough to be on the long-running tab.
    makeSession('667', { state: 'active', queryAgeSeconds: 600, stateAgeSeconds: 600, blockedBy: ['666'], waitEvent: HOSTILE.waitEvent, user: HOSTILE.user, application: HOSTILE.application, client: HOSTILE.client, queryPreview: HOSTILE.query }),
  ];
  /** Elements a tab body may hold; anything else in it came from data parsed as markup. */
  const DRAWN_TAGS = new Set(['P', 'TABLE', 'CAPTION', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'CODE', 'BUTTON', 'UL', 'LI', 'SPAN']);
  const assertNoInjection = (root: HTMLElement, body: Element) => {
    const tags = [...body.querySelectorAll('*')].map((element) => element.tagName);
    assert.deepEqual(tags.filter((tag) => !DRAWN_TAGS.has(tag)), [], 'an element was parsed out of a database string');
    assert.equal(root.querySelector('[id^="injected-"]'), null);
    assert.equal(root.querySelector('img, script, b, i, u'), null);
    assert.equal(globals.pwnedTab, undefined);
  };

  it('renders hostile user and application names as literal text on the By-user tab', async () => {
    const { root } = await mount({ ...withSnapshot(hostileCrowd()), ui: { ...initialPanelState.ui, tab: 'by-user' } });
    const body = root.querySelector('#tab-body-by-user')!;
    const rowNames = (caption: string) =>
      [...body.querySelectorAll('table.count-table')].find((table) => table.querySelector('caption')?.textContent === caption)?.querySelectorAll('tbody th[scope="row"]') ?? [];
    assert.deepEqual([...rowNames('Sessions by user')].map((cell) => cell.textContent), [HOSTILE.user]);
    assert.deepEqual([...rowNames('Sessions by application')].map((cell) => cell.textContent), [HOSTILE.application]);
    for (const cell of [...rowNames('Sessions by user'), ...rowNames('Sessions by application')]) assert.equal(cell.children.length, 0, 'a name cell holds text only');
    assertNoInjection(root, body);
  });

  it('renders hostile strings as literal text on the long-running, idle-in-transaction and blocking tabs', async () => {
    const expected: Record<'long-running' | 'idle-in-transaction' | 'blocking', string[]> = {
      'long-running': [HOSTILE.user, HOSTILE.application, HOSTILE.waitEvent, HOSTILE.query],
      'idle-in-transaction': [HOSTILE.user, HOSTILE.application, HOSTILE.client, HOSTILE.query],
      blocking: [HOSTILE.user, HOSTILE.application, HOSTILE.query],
    };
    for (const [tab, strings] of Object.entries(expected) as [keyof typeof expected, string[]][]) {
      const { root } = await mount({ ...withSnapshot(hostileCrowd()), ui: { ...initialPanelState.ui, tab } });
      const body = root.querySelector(`#tab-body-${tab}`)!;
      assert.ok(body.querySelector('[data-session="666"], [data-session="667"]'), `the ${tab} tab lists the hostile sessions`);
      for (const value of strings) assert.ok(body.textContent!.includes(value), `${tab}: ${value} is not shown as text`);
      assertNoInjection(root, body);
    }
  });

  it('keeps hostile strings literal when the reader switches to each tab', async () => {
    const mounted = await mount(withSnapshot(hostileCrowd()));
    const tabs = mounted.root.querySelector('#tabs')!;
    for (const [index, tab] of ['long-running', 'idle-in-transaction', 'blocking', 'by-user'].entries()) {
      tabs.dispatchEvent(new happyWindow.CustomEvent('vsc-tabs-select', { detail: { selectedIndex: index + 1 } }) as unknown as Event);
      assert.equal(mounted.state.ui.tab, tab);
      const body = mounted.root.querySelector(`#tab-body-${tab}`)!;
      assert.ok(body.textContent!.includes(HOSTILE.user), `${tab}: the user name is not shown as text`);
      assert.ok(body.textContent!.includes(HOSTILE.application), `${tab}: the application name is not shown as text`);
      assertNoInjection(mounted.root, body);
    }
  });

  it('opens the full query on demand and hands the copy to the host', async () => {
    const mounted = await mount(withSnapshot([makeSession('77', { state: 'active', queryPreview: 'SELECT pg_sleep(60)' })]));
    (mounted.root.querySelector('[data-show-query="77"]') as HTMLElement).click();
    assert.deepEqual(mounted.actions.at(-1), { type: 'openQuery', sessionId: '77' });
    assert.equal((mounted.root.querySelector('#query-pane') as HTMLElement).hidden, false);
    assert.equal(text(mounted.root, '#query-text'), 'Loading…');
    mounted.view.update((mounted.state = reducePanel(mounted.state, { type: 'queryText', sessionId: '77', text: 'SELECT pg_sleep(60) -- full' })), NOW);
    assert.equal(text(mounted.root, '#query-text'), 'SELECT pg_sleep(60) -- full');
    (mounted.root.querySelector('#copy-query') as HTMLElement).click();
    assert.deepEqual(mounted.effects, ['copy 77']);
  });

  it('offers cancel before terminate on running sessions and terminate alone on idle ones, named for screen readers', async () => {
    const running = makeSession('501', { state: 'active', backendStart: '2026-11-21T11:00:00.000001Z' });
    const idleTx = makeSession('502', { state: 'idle in transaction', transactionAgeSeconds: 40, backendStart: '2026-11-21T11:00:00.000002Z' });
    const hidden = makeSession('503', { state: 'hidden', user: null, queryPreview: null });
    const { root } = await mount(withSnapshot([running, idleTx, hidden]));
    const labels = (id: string) => [...root.querySelectorAll(`tr[data-session="${id}"] button[data-session-action]`)].map((button) => `${button.textContent}|${button.getAttribute('aria-label')}`);
    assert.deepEqual(labels('501'), ['Cancel query|Cancel the query of session 501', 'Terminate|Terminate session 501']);
    assert.deepEqual(labels('502'), ['Terminate|Terminate session 502']);
    assert.deepEqual(labels('503'), [], 'a hidden session cannot be named in a confirmation');
    for (const button of root.querySelectorAll('button[data-session-action]')) assert.equal(button.getAttribute('type'), 'button', 'a native button is reachable with Tab and Enter');
  });

  it('hands the row action with the session identity it showed to the host, without touching the state', async () => {
    const idleTx = makeSession('602', { state: 'idle in transaction', transactionAgeSeconds: 40, backendStart: '2026-11-21T11:00:00.000002Z' });
    const mounted = await mount({ ...withSnapshot([idleTx]), ui: { ...initialPanelState.ui, tab: 'idle-in-transaction' } });
    const before = mounted.state;
    const terminate = mounted.root.querySelector('#tab-body-idle-in-transaction tr[data-session="602"] button[data-session-action="terminate"]') as HTMLElement;
    assert.ok(terminate, 'the idle-in-transaction table has a Terminate button');
    terminate.click();
    assert.deepEqual(mounted.effects, ['terminate 602 2026-11-21T11:00:00.000002Z']);
    assert.deepEqual(mounted.actions, []);
    assert.equal(mounted.state, before);
  });

  it('keeps keyboard focus on a row action across a redraw', async () => {
    const sessions = [makeSession('701', { state: 'active' }), makeSession('702', { state: 'active' })];
    const mounted = await mount(withSnapshot(sessions));
    (mounted.root.querySelector('button[data-action-key="terminate:702"]') as HTMLElement).focus();
    const next = reducePanel(mounted.state, { type: 'snapshot', snapshot: makeSnapshot([...sessions].reverse()), sample: makeSample(NOW + 2000), alerts: [] });
    mounted.view.update((mounted.state = next), NOW);
    assert.equal(happyWindow.document.activeElement?.getAttribute('data-action-key'), 'terminate:702');
  });

  it('offers no row actions for PgBouncer clients', async () => {
    const { root } = await mount(withSnapshot([makeSession('801', { state: 'active' })], { engine: 'pgbouncer' }));
    assert.equal(root.querySelector('button[data-session-action]'), null);
    assert.equal(root.querySelector('tr[data-session="801"] .actions-cell')?.textContent, '—');
  });

  it('renders hostile strings as text next to the actions and keeps the id out of markup', async () => {
    const payload = '<img src=x onerror="globalThis.pwnedAction=1">';
    const { root } = await mount(withSnapshot([makeSession('902', { state: 'idle in transaction', application: payload, queryPreview: payload })]));
    assert.equal(root.querySelector('img'), null);
    assert.equal(globals.pwnedAction, undefined);
    assert.equal(root.querySelector('button[data-session-action="terminate"]')?.getAttribute('aria-label'), 'Terminate session 902');
  });

  it('says unreachable with the reason and counts down to the retry', async () => {
    const state: PanelViewState = { ...withSnapshot([]), status: { kind: 'unreachable', reason: 'connection refused', retryAt: NOW + 4_200 } };
    const { root, view } = await mount(state);
    assert.equal(text(root, '#status-line'), 'Unreachable: connection refused — retrying in 5 s');
    view.tick(state, NOW + 2_000);
    assert.equal(text(root, '#status-line'), 'Unreachable: connection refused — retrying in 3 s');
    assert.equal((root.querySelector('#retry-now') as HTMLElement).hidden, false);
  });

  it('shows alerts and the hidden-session notice', async () => {
    const state: PanelViewState = { ...withSnapshot(makeCrowd(3), { hiddenSessions: 4 }), alerts: [{ key: 'connection-utilization', severity: 'error', message: 'Utilization 96 % ≥ 95 %' }] };
    const { root } = await mount(state);
    assert.equal(text(root, '#alerts'), 'Error: Utilization 96 % ≥ 95 %');
    assert.match(text(root, '#notices'), /^4 sessions hidden/);
  });

  it('draws the blocking tree root first on its tab', async () => {
    const sessions = [makeSession('11', { blockedBy: ['10'], state: 'active' }), makeSession('10', { state: 'idle in transaction' })];
    const { root } = await mount({ ...withSnapshot(sessions), ui: { ...initialPanelState.ui, tab: 'blocking' } });
    const items = [...root.querySelectorAll('.blocking-tree li')].map((item) => `${item.getAttribute('data-session')}@${item.getAttribute('data-depth')}`);
    assert.deepEqual(items, ['10@0', '11@1']);
    assert.match(text(root, '.blocking-tree li'), /^blocks 1: 10/);
  });
});
