// Draws a PanelViewState into the DOM. The page skeleton is built once (so focus, the search box's
// caret and the tab selection survive updates); each update redraws only the parts whose slice of
// state changed. Every string that came from the database is set with textContent or an attribute
// value, never parsed as HTML: query text and application names are attacker-controlled input.
import type { DatabaseEngine, PanelSample, PanelSession, PanelSnapshot, SessionActionKind, SessionState } from '../src/protocol/panel';
import { describeStatus, formatCount, formatDuration, formatPercent, formatRate } from './format';
import { MAX_RENDERED_ROWS, blockingForest, filterSessions, idleInTransaction, longRunningQueries, usableConnections, type BlockingNode } from './selectors';
import { PANEL_TABS, type PanelAction, type PanelTab, type PanelViewState } from './state';

export type Dispatch = (action: PanelAction) => void;
/** Effects the view asks of the host; main.ts turns them into protocol messages. */
export interface PanelEffects {
  copyQuery(sessionId: string): void;
  retryNow(): void;
  chooseConnection(): void;
  /** Cancel a session's query or end the session; the host confirms with the reader first. */
  sessionAction(action: SessionActionKind, sessionId: string, backendStart: string | null): void;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const TAB_LABELS: Record<PanelTab, string> = {
  sessions: 'Sessions',
  'long-running': 'Long-running',
  'idle-in-transaction': 'Idle in transaction',
  blocking: 'Blocking',
  'by-user': 'By user / application',
};
const ALERT_PREFIX = { error: 'Error: ', warning: 'Warning: ', info: 'Note: ' } as const;
const STATE_ORDER: SessionState[] = ['active', 'idle in transaction', 'idle in transaction (aborted)', 'waiting', 'idle', 'other', 'hidden'];
/** Characters of query text shown in a table cell; the whole text is one click away. */
const CELL_QUERY_LENGTH = 120;

type Child = Node | string | null | undefined | false;

/** Creates an element; string children become text nodes, so data can never turn into markup. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Record<string, string>, ...children: Child[]): HTMLElementTagNameMap[K];
function el(tag: string, props?: Record<string, string>, ...children: Child[]): HTMLElement;
function el(tag: string, props: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

function svg(tag: string, attributes: Record<string, string>): SVGElement {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** A sparkline of the ten-minute window: shapes only, the number it stands for is text beside it. */
export function sparkline(samples: readonly PanelSample[], value: (sample: PanelSample) => number | null, fixedMax?: number): SVGElement {
  const chart = svg('svg', { class: 'sparkline', viewBox: '0 0 100 24', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
  const points = samples.flatMap((sample) => {
    const y = value(sample);
    return y === null ? [] : [{ at: sample.at, y }];
  });
  if (points.length < 2) return chart;
  const first = points[0].at;
  const span = Math.max(1, points[points.length - 1].at - first);
  const max = fixedMax ?? Math.max(1e-9, ...points.map((point) => point.y));
  const coordinates = points.map((point) => `${(((point.at - first) / span) * 100).toFixed(2)},${(22 - (Math.min(point.y, max) / max) * 20).toFixed(2)}`);
  chart.append(svg('polyline', { points: coordinates.join(' '), fill: 'none', 'vector-effect': 'non-scaling-stroke', class: 'sparkline-line' }));
  return chart;
}

interface MetricCard {
  root: HTMLElement;
  value: HTMLElement;
  detail: HTMLElement;
  chart: HTMLElement;
}

function metricCard(id: string, label: string): MetricCard {
  const value = el('span', { class: 'metric-value', id: `${id}-value` });
  const detail = el('span', { class: 'metric-detail' });
  const chart = el('span', { class: 'metric-chart' });
  const root = el('div', { class: 'metric', id, role: 'group', 'aria-labelledby': `${id}-label ${id}-value` }, el('span', { class: 'metric-label', id: `${id}-label` }, label), value, detail, chart);
  return { root, value, detail, chart };
}

interface TabParts {
  header: HTMLElement;
  count: HTMLElement;
  panel: HTMLElement;
  body: HTMLElement;
}

export interface PanelView {
  update(state: PanelViewState, now: number): void;
  /** Redraws only the state line (its retry countdown moves every second). */
  tick(state: PanelViewState, now: number): void;
}

export function createPanelView(root: HTMLElement, dispatch: Dispatch, effects: PanelEffects): PanelView {
  const title = el('h1', { class: 'title' }, 'Database health');
  const statusLine = el('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'status-line' });
  const retryButton = el('vscode-button', { id: 'retry-now' }, 'Retry now');
  const chooseButton = el('vscode-button', { id: 'choose-connection', secondary: '' }, 'Choose connection…');
  retryButton.addEventListener('click', () => effects.retryNow());
  chooseButton.addEventListener('click', () => effects.chooseConnection());
  const header = el('header', { class: 'panel-header' }, el('div', { class: 'title-row' }, title, el('div', { class: 'actions' }, retryButton, chooseButton)), statusLine);

  const alertsList = el('ul', { class: 'alerts', id: 'alerts', 'aria-live': 'polite' });
  const alertsSection = el('section', { 'aria-label': 'Alerts' }, alertsList);

  const utilization = metricCard('metric-utilization', 'Utilization');
  const gauge = el('div', { class: 'gauge', role: 'meter', 'aria-label': 'Connections in use against the usable limit', 'aria-valuemin': '0' });
  utilization.root.insertBefore(gauge, utilization.detail);
  const sessionsCard = metricCard('metric-sessions', 'Sessions');
  const waitingCard = metricCard('metric-waiting', 'Waiting clients');
  const cacheCard = metricCard('metric-cache', 'Cache hit ratio');
  const tpsCard = metricCard('metric-tps', 'Transactions/s');
  const stateList = el('dl', { class: 'state-counts', id: 'state-counts', 'aria-label': 'Sessions by state' });
  const notices = el('ul', { class: 'notices', id: 'notices' });
  const summary = el(
    'section',
    { class: 'summary', 'aria-labelledby': 'summary-heading' },
    el('h2', { id: 'summary-heading' }, 'Summary'),
    el('div', { class: 'metrics' }, utilization.root, sessionsCard.root, waitingCard.root, cacheCard.root, tpsCard.root),
    stateList,
    notices,
  );

  const tabs = el('vscode-tabs', { id: 'tabs', 'aria-label': 'Session lists' });
  const tabParts = {} as Record<PanelTab, TabParts>;
  for (const tab of PANEL_TABS) {
    const count = el('span', { class: 'tab-count' });
    const tabHeader = el('vscode-tab-header', { slot: 'header', id: `tab-${tab}` }, TAB_LABELS[tab], ' ', count);
    const body = el('div', { class: 'tab-body', id: `tab-body-${tab}` });
    const panel = el('vscode-tab-panel', { 'aria-label': TAB_LABELS[tab] });
    if (tab === 'sessions') panel.append(sessionToolbar());
    panel.append(body);
    tabs.append(tabHeader, panel);
    tabParts[tab] = { header: tabHeader, count, panel, body };
  }
  let currentState: PanelViewState | undefined;
  tabs.addEventListener('vsc-tabs-select', (event) => {
    const index = (event as CustomEvent<{ selectedIndex: number }>).detail?.selectedIndex;
    const tab = PANEL_TABS[index];
    if (tab) dispatch({ type: 'selectTab', tab });
  });

  const queryHeading = el('h2', { id: 'query-heading' });
  const queryText = el('pre', { class: 'query-text', id: 'query-text', tabindex: '0' });
  const copyButton = el('vscode-button', { id: 'copy-query' }, 'Copy query');
  const closeButton = el('vscode-button', { id: 'close-query', secondary: '' }, 'Close');
  closeButton.addEventListener('click', () => dispatch({ type: 'closeQuery' }));
  copyButton.addEventListener('click', () => {
    const open = currentState?.ui.openQuery;
    if (open) effects.copyQuery(open.sessionId);
  });
  const queryPane = el('section', { class: 'query-pane', id: 'query-pane', 'aria-labelledby': 'query-heading' }, queryHeading, queryText, el('div', { class: 'actions' }, copyButton, closeButton));
  queryPane.hidden = true;
  queryPane.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Escape') dispatch({ type: 'closeQuery' });
  });

  root.replaceChildren(el('main', { class: 'panel' }, header, alertsSection, summary, queryPane, tabs));

  // "Show query" buttons are native buttons inside rows (hundreds of them); one delegated listener.
  tabs.addEventListener('click', (event) => {
    const target = (event.target as Element | null)?.closest?.('[data-show-query]');
    const sessionId = target?.getAttribute('data-show-query');
    if (sessionId) {
      dispatch({ type: 'openQuery', sessionId });
      return;
    }
    // Row actions carry the identity the reader saw (id + backend start), not a later snapshot's.
    const button = (event.target as Element | null)?.closest?.('[data-session-action]');
    const action = button?.getAttribute('data-session-action');
    const actionSession = button?.getAttribute('data-session-id');
    if (button && actionSession && (action === 'cancel' || action === 'terminate')) effects.sessionAction(action, actionSession, button.getAttribute('data-backend-start'));
  });

  function sessionToolbar(): HTMLElement {
    const search = el('vscode-textfield', { id: 'session-search', placeholder: 'Search user, application, client, query…', label: 'Search sessions', 'aria-label': 'Search sessions' });
    const hideIdle = el('vscode-checkbox', { id: 'hide-idle', label: 'Hide idle sessions' });
    search.addEventListener('input', () => dispatch({ type: 'setSearch', search: String((search as unknown as { value: string }).value ?? '') }));
    hideIdle.addEventListener('change', () => dispatch({ type: 'setHideIdle', hideIdle: Boolean((hideIdle as unknown as { checked: boolean }).checked) }));
    return el('div', { class: 'toolbar' }, search, hideIdle);
  }

  function updateToolbar(state: PanelViewState): void {
    const search = root.querySelector('#session-search') as (HTMLElement & { value?: string }) | null;
    const hideIdle = root.querySelector('#hide-idle') as (HTMLElement & { checked?: boolean }) | null;
    if (search && search.value !== state.ui.search) {
      search.value = state.ui.search;
      search.setAttribute('value', state.ui.search);
    }
    if (hideIdle) {
      hideIdle.checked = state.ui.hideIdle;
      hideIdle.toggleAttribute('checked', state.ui.hideIdle);
    }
  }

  function updateStatus(state: PanelViewState, now: number): void {
    const { text, tone } = describeStatus(state.status, now);
    if (statusLine.textContent !== text) statusLine.textContent = text;
    statusLine.className = `status status-${tone}`;
    statusLine.dataset.kind = state.status.kind;
    retryButton.hidden = state.status.kind !== 'unreachable' && state.status.kind !== 'failed';
    title.textContent = state.connection ? `Database health — ${state.connection.label}` : 'Database health';
  }

  function updateAlerts(state: PanelViewState): void {
    alertsList.replaceChildren(
      ...state.alerts.map((alert) => el('li', { class: `alert alert-${alert.severity}`, 'data-alert': alert.key }, el('span', { class: 'alert-severity' }, ALERT_PREFIX[alert.severity]), alert.message)),
    );
    alertsList.hidden = state.alerts.length === 0;
  }

  function updateSummary(state: PanelViewState): void {
    const snapshot = state.snapshot;
    const history = state.history;
    const usable = snapshot ? usableConnections(snapshot) : null;
    const inUse = snapshot?.connectionsInUse ?? null;
    const ratio = usable && inUse !== null ? inUse / usable : null;
    utilization.value.textContent = formatPercent(ratio);
    utilization.detail.textContent =
      snapshot === null
        ? 'No data yet'
        : usable === null
          ? `${inUse} in use; the server's limit is unknown`
          : `${inUse} of ${usable} usable (max ${snapshot.maxConnections}, ${snapshot.reservedConnections ?? 0} reserved)`;
    gauge.replaceChildren(gaugeShape(ratio));
    gauge.setAttribute('aria-valuemax', String(usable ?? 0));
    gauge.setAttribute('aria-valuenow', String(inUse ?? 0));
    gauge.setAttribute('aria-valuetext', utilization.detail.textContent);
    gauge.dataset.level = ratio === null ? 'unknown' : ratio >= 0.9 ? 'error' : ratio >= 0.8 ? 'warning' : 'ok';
    utilization.chart.replaceChildren(sparkline(history, (sample) => sample.utilization, 1));

    sessionsCard.value.textContent = formatCount(snapshot?.sessions.length ?? null);
    sessionsCard.detail.textContent = snapshot ? `${snapshot.byState.active ?? 0} active, ${(snapshot.byState['idle in transaction'] ?? 0) + (snapshot.byState['idle in transaction (aborted)'] ?? 0)} idle in transaction` : '';
    sessionsCard.chart.replaceChildren(sparkline(history, (sample) => sample.sessions));
    waitingCard.value.textContent = formatCount(snapshot?.waitingClients ?? null);
    waitingCard.detail.textContent = snapshot?.engine === 'pgbouncer' ? 'clients waiting for a server connection' : 'sessions waiting on a lock';
    waitingCard.chart.replaceChildren(sparkline(history, (sample) => sample.waitingClients));
    cacheCard.value.textContent = formatPercent(snapshot?.cacheHitRatio ?? null, 1);
    cacheCard.detail.textContent = 'blocks served from memory';
    cacheCard.chart.replaceChildren(sparkline(history, (sample) => sample.cacheHitRatio, 1));
    tpsCard.value.textContent = formatRate(snapshot?.transactionsPerSecond ?? null);
    tpsCard.detail.textContent = 'commits and rollbacks';
    tpsCard.chart.replaceChildren(sparkline(history, (sample) => sample.transactionsPerSecond));

    const counts: Node[] = [];
    for (const state of STATE_ORDER) {
      const count = snapshot?.byState[state];
      if (count === undefined || count === 0) continue;
      counts.push(el('div', { class: 'state-count', 'data-state': state }, el('dt', {}, state), el('dd', {}, String(count))));
    }
    stateList.replaceChildren(...counts);
    const noticeTexts = [...(snapshot?.notices ?? [])];
    if (snapshot && snapshot.hiddenSessions > 0) noticeTexts.unshift(`${snapshot.hiddenSessions} sessions hidden: the monitoring role may not read their details (grant pg_read_all_stats to see them).`);
    notices.replaceChildren(...noticeTexts.map((text) => el('li', {}, text)));
  }

  function updateTabs(state: PanelViewState, previous: PanelViewState | undefined): void {
    const index = PANEL_TABS.indexOf(state.ui.tab);
    const tabsElement = tabs as HTMLElement & { selectedIndex?: number };
    if (tabsElement.selectedIndex !== index) {
      tabsElement.selectedIndex = index;
      tabs.setAttribute('selected-index', String(index));
    }
    const snapshot = state.snapshot;
    const lists = snapshot ? tabLists(state, snapshot) : undefined;
    for (const tab of PANEL_TABS) tabParts[tab].count.textContent = lists ? `(${lists.counts[tab]})` : '';
    const changed =
      !previous ||
      previous.snapshot !== state.snapshot ||
      previous.ui.tab !== state.ui.tab ||
      previous.ui.search !== state.ui.search ||
      previous.ui.hideIdle !== state.ui.hideIdle ||
      previous.longQuerySeconds !== state.longQuerySeconds;
    if (!changed) return;
    // Only the visible tab is drawn: the others are redrawn when selected.
    const body = tabParts[state.ui.tab].body;
    const focusKey = focusedRowKey(body);
    if (!snapshot || !lists) body.replaceChildren(el('p', { class: 'empty' }, 'No data yet.'));
    else body.replaceChildren(...lists.draw(state.ui.tab));
    restoreFocus(body, focusKey);
  }

  function updateQueryPane(state: PanelViewState, previous: PanelViewState | undefined): void {
    const open = state.ui.openQuery;
    queryPane.hidden = open === null;
    if (!open) {
      if (previous?.ui.openQuery) {
        const opener = root.querySelector(`[data-show-query="${cssEscape(previous.ui.openQuery.sessionId)}"]`) as HTMLElement | null;
        opener?.focus();
      }
      return;
    }
    queryHeading.textContent = `Query of session ${open.sessionId}`;
    queryText.textContent = open.text === undefined ? 'Loading…' : open.text === null ? 'This session is gone or its query cannot be read.' : open.text;
    (copyButton as HTMLElement & { disabled?: boolean }).toggleAttribute('disabled', typeof open.text !== 'string');
    if (previous?.ui.openQuery?.sessionId !== open.sessionId) queryText.focus();
  }

  return {
    update(state, now) {
      const previous = currentState;
      currentState = state;
      updateStatus(state, now);
      if (!previous || previous.alerts !== state.alerts) updateAlerts(state);
      if (!previous || previous.snapshot !== state.snapshot || previous.history !== state.history) updateSummary(state);
      if (!previous) updateToolbar(state);
      updateTabs(state, previous);
      if (!previous || previous.ui.openQuery !== state.ui.openQuery) updateQueryPane(state, previous);
    },
    tick(state, now) {
      updateStatus(state, now);
    },
  };
}

function gaugeShape(ratio: number | null): SVGElement {
  const shape = svg('svg', { class: 'gauge-bar', viewBox: '0 0 100 8', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
  shape.append(svg('rect', { class: 'gauge-track', x: '0', y: '0', width: '100', height: '8', rx: '2' }));
  if (ratio !== null) shape.append(svg('rect', { class: 'gauge-fill', x: '0', y: '0', width: (Math.min(1, Math.max(0, ratio)) * 100).toFixed(2), height: '8', rx: '2' }));
  return shape;
}

function cssEscape(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

/** Attributes that name a focusable control of a row across redraws (every poll redraws the table). */
const FOCUS_KEYS = ['data-show-query', 'data-action-key'] as const;

function focusedRowKey(body: HTMLElement): { attribute: string; value: string } | null {
  const active = body.ownerDocument.activeElement;
  if (!active || !body.contains(active)) return null;
  for (const attribute of FOCUS_KEYS) {
    const value = active.getAttribute(attribute);
    if (value !== null) return { attribute, value };
  }
  return null;
}

function restoreFocus(body: HTMLElement, key: { attribute: string; value: string } | null): void {
  if (key === null) return;
  const again = body.querySelector(`[${key.attribute}="${cssEscape(key.value)}"]`) as HTMLElement | null;
  again?.focus();
}

interface TabLists {
  counts: Record<PanelTab, number>;
  draw(tab: PanelTab): Node[];
}

function tabLists(state: PanelViewState, snapshot: PanelSnapshot): TabLists {
  const filtered = filterSessions(snapshot.sessions, state.ui.hideIdle, state.ui.search);
  const longRunning = longRunningQueries(snapshot, state.longQuerySeconds);
  const idle = idleInTransaction(snapshot);
  const forest = blockingForest(snapshot);
  const blockedCount = snapshot.sessions.filter((session) => session.blockedBy.length > 0).length;
  return {
    counts: {
      sessions: filtered.length,
      'long-running': longRunning.length,
      'idle-in-transaction': idle.length,
      blocking: blockedCount,
      'by-user': snapshot.byUser.length,
    },
    draw(tab) {
      switch (tab) {
        case 'sessions':
          return sessionTable('Sessions', filtered, snapshot.sessions.length, ['id', 'user', 'application', 'client', 'state', 'stateAge', 'query', 'actions'], snapshot.engine);
        case 'long-running':
          return longRunning.length === 0
            ? [el('p', { class: 'empty' }, `No query has been running for ${state.longQuerySeconds} s or more.`)]
            : sessionTable('Long-running queries', longRunning, longRunning.length, ['id', 'user', 'application', 'queryAge', 'waitEvent', 'query', 'actions'], snapshot.engine);
        case 'idle-in-transaction':
          return idle.length === 0
            ? [el('p', { class: 'empty' }, 'No session is idle inside an open transaction.')]
            : sessionTable('Idle in transaction', idle, idle.length, ['id', 'user', 'application', 'client', 'transactionAge', 'stateAge', 'query', 'actions'], snapshot.engine);
        case 'blocking':
          return forest.length === 0 ? [el('p', { class: 'empty' }, 'No session is waiting for a lock held by another.')] : [blockingTree(forest)];
        case 'by-user':
          return [countTable('Sessions by user', 'User', snapshot.byUser), countTable('Sessions by application', 'Application', snapshot.byApplication)];
      }
    },
  };
}

type Column = 'id' | 'user' | 'application' | 'client' | 'state' | 'stateAge' | 'queryAge' | 'transactionAge' | 'waitEvent' | 'query' | 'actions';
const COLUMN_TITLES: Record<Column, string> = {
  id: 'Id',
  user: 'User',
  application: 'Application',
  client: 'Client',
  state: 'State',
  stateAge: 'In state',
  queryAge: 'Running for',
  transactionAge: 'Transaction age',
  waitEvent: 'Waiting on',
  query: 'Query',
  actions: 'Actions',
};

function cellText(session: PanelSession, column: Exclude<Column, 'query' | 'actions'>): string {
  switch (column) {
    case 'id':
      return session.id;
    case 'user':
      return session.user ?? '—';
    case 'application':
      return session.application || '—';
    case 'client':
      return session.client ?? '—';
    case 'state':
      return session.state;
    case 'stateAge':
      return formatDuration(session.stateAgeSeconds);
    case 'queryAge':
      return formatDuration(session.queryAgeSeconds);
    case 'transactionAge':
      return formatDuration(session.transactionAgeSeconds);
    case 'waitEvent':
      return session.waitEvent ?? '—';
  }
}

function queryCell(session: PanelSession): HTMLElement {
  const cell = el('td', { class: 'query-cell' });
  if (session.queryPreview === null || session.queryPreview === '') {
    cell.textContent = '—';
    return cell;
  }
  const preview = session.queryPreview.length > CELL_QUERY_LENGTH ? `${session.queryPreview.slice(0, CELL_QUERY_LENGTH)}…` : session.queryPreview;
  cell.append(el('code', { class: 'query-preview' }, preview), ' ', el('button', { type: 'button', class: 'link-button', 'data-show-query': session.id, 'aria-label': `Show full query of session ${session.id}` }, 'Show'));
  return cell;
}

/** States in which a query is running, so cancelling it (rather than ending the session) means something. */
const RUNNING_STATES: ReadonlySet<SessionState> = new Set(['active', 'waiting']);

/**
 * The row's runbook actions. PgBouncer clients are not server sessions and hidden sessions cannot
 * be named in a confirmation, so neither gets a button; the host and the runbook decide the rest
 * (admin switch, confirmation, re-validation) — a button is only a request.
 */
export function actionsCell(session: PanelSession, engine: DatabaseEngine): HTMLElement {
  const cell = el('td', { class: 'actions-cell' });
  if (engine === 'pgbouncer' || session.state === 'hidden') {
    cell.textContent = '—';
    return cell;
  }
  const button = (action: SessionActionKind, label: string, ariaLabel: string) => {
    const props: Record<string, string> = { type: 'button', class: `row-action row-action-${action}`, 'data-session-action': action, 'data-session-id': session.id, 'data-action-key': `${action}:${session.id}`, 'aria-label': ariaLabel };
    if (session.backendStart !== null) props['data-backend-start'] = session.backendStart;
    return el('button', props, label);
  };
  if (RUNNING_STATES.has(session.state)) cell.append(button('cancel', 'Cancel query', `Cancel the query of session ${session.id}`), ' ');
  cell.append(button('terminate', 'Terminate', `Terminate session ${session.id}`));
  return cell;
}

function sessionTable(caption: string, sessions: readonly PanelSession[], total: number, columns: Column[], engine: DatabaseEngine): Node[] {
  const shown = sessions.slice(0, MAX_RENDERED_ROWS);
  const head = el('tr', {}, ...columns.map((column) => el('th', { scope: 'col' }, COLUMN_TITLES[column])));
  const rows = document.createDocumentFragment();
  for (const session of shown) {
    const row = el('tr', { 'data-session': session.id, 'data-state': session.state });
    for (const column of columns) row.append(column === 'query' ? queryCell(session) : column === 'actions' ? actionsCell(session, engine) : el('td', {}, cellText(session, column)));
    rows.append(row);
  }
  const note =
    sessions.length > shown.length
      ? `Showing ${shown.length} of ${sessions.length} matching sessions (${total} in all). Search or hide idle sessions to narrow the list.`
      : `Showing ${shown.length} of ${total} sessions.`;
  return [
    el('p', { class: 'table-note', role: 'note' }, note),
    el('table', { class: 'data-table' }, el('caption', { class: 'visually-hidden' }, caption), el('thead', {}, head), el('tbody', {}, rows)),
  ];
}

function countTable(caption: string, nameTitle: string, counts: readonly { name: string; count: number }[]): HTMLElement {
  const shown = counts.slice(0, MAX_RENDERED_ROWS);
  return el(
    'table',
    { class: 'data-table count-table' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, nameTitle), el('th', { scope: 'col' }, 'Sessions'))),
    el('tbody', {}, ...shown.map((entry) => el('tr', {}, el('th', { scope: 'row' }, entry.name || '—'), el('td', {}, String(entry.count))))),
  );
}

function blockingTree(forest: readonly BlockingNode[]): HTMLElement {
  const item = (node: BlockingNode, depth: number): HTMLElement => {
    const session = node.session;
    const summary = `${session.id} — ${session.user ?? '?'}${session.application ? ` (${session.application})` : ''}, ${session.state}, ${formatDuration(session.stateAgeSeconds)}`;
    const role = depth === 0 ? `blocks ${countDescendants(node)}` : `waits`;
    const li = el(
      'li',
      { 'data-session': session.id, 'data-depth': String(depth) },
      el('span', { class: 'blocking-role' }, `${role}: `),
      summary,
      session.queryPreview === null ? null : el('code', { class: 'query-preview' }, ` ${session.queryPreview.slice(0, CELL_QUERY_LENGTH)}`),
      session.queryPreview === null ? null : el('button', { type: 'button', class: 'link-button', 'data-show-query': session.id, 'aria-label': `Show full query of session ${session.id}` }, 'Show'),
    );
    if (node.blocked.length > 0) li.append(el('ul', {}, ...node.blocked.map((child) => item(child, depth + 1))));
    return li;
  };
  return el('ul', { class: 'blocking-tree', 'aria-label': 'Blocking sessions, root blockers first' }, ...forest.map((node) => item(node, 0)));
}

function countDescendants(node: BlockingNode): number {
  return node.blocked.reduce((sum, child) => sum + 1 + countDescendants(child), 0);
}

