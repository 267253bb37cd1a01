// The panel's whole state and the pure reducer that advances it. No DOM, no timers, no messaging:
// main.ts feeds it host messages and user actions, render.ts draws whatever it returns, and the
// result is what the webview persists with setState so a reload shows the last picture at once.
import {
  HISTORY_WINDOW_MS,
  type HostMessage,
  type PanelAlert,
  type PanelConnectionInfo,
  type PanelSample,
  type PanelSnapshot,
  type PanelStatus,
} from '../src/protocol/panel';

export const PANEL_TABS = ['sessions', 'long-running', 'idle-in-transaction', 'blocking', 'by-user'] as const;
export type PanelTab = (typeof PANEL_TABS)[number];

export interface OpenQuery {
  sessionId: string;
  /** undefined while the host has not answered yet; null when the session is gone. */
  text: string | null | undefined;
}

export interface PanelViewState {
  connection: PanelConnectionInfo | null;
  status: PanelStatus;
  snapshot: PanelSnapshot | null;
  history: PanelSample[];
  alerts: PanelAlert[];
  longQuerySeconds: number;
  ui: {
    tab: PanelTab;
    hideIdle: boolean;
    search: string;
    openQuery: OpenQuery | null;
  };
}

export type UiAction =
  | { type: 'selectTab'; tab: PanelTab }
  | { type: 'setHideIdle'; hideIdle: boolean }
  | { type: 'setSearch'; search: string }
  | { type: 'openQuery'; sessionId: string }
  | { type: 'closeQuery' };

export type PanelAction = HostMessage | UiAction;

export const initialPanelState: PanelViewState = {
  connection: null,
  status: { kind: 'connecting' },
  snapshot: null,
  history: [],
  alerts: [],
  longQuerySeconds: 30,
  ui: { tab: 'sessions', hideIdle: true, search: '', openQuery: null },
};

/** Keeps the samples of the last ten minutes (by server time), oldest first, one per timestamp. */
export function appendSample(history: PanelSample[], sample: PanelSample): PanelSample[] {
  const cutoff = sample.at - HISTORY_WINDOW_MS;
  const kept = history.filter((point) => point.at > cutoff && point.at < sample.at);
  kept.push(sample);
  return kept;
}

export function reducePanel(state: PanelViewState, action: PanelAction): PanelViewState {
  switch (action.type) {
    case 'init':
      // A new connection or a reloaded host: the host's history is the truth, the UI choices stay.
      return {
        ...state,
        connection: action.connection,
        status: action.status,
        snapshot: action.snapshot,
        history: action.history,
        alerts: action.alerts,
        longQuerySeconds: action.longQuerySeconds,
        ui: { ...state.ui, openQuery: null },
      };
    case 'snapshot':
      return {
        ...state,
        snapshot: action.snapshot,
        history: appendSample(state.history, action.sample),
        alerts: action.alerts,
      };
    case 'status':
      return { ...state, status: action.status };
    case 'queryText':
      if (state.ui.openQuery?.sessionId !== action.sessionId) return state;
      return { ...state, ui: { ...state.ui, openQuery: { sessionId: action.sessionId, text: action.text } } };
    case 'selectTab':
      return state.ui.tab === action.tab ? state : { ...state, ui: { ...state.ui, tab: action.tab } };
    case 'setHideIdle':
      return state.ui.hideIdle === action.hideIdle ? state : { ...state, ui: { ...state.ui, hideIdle: action.hideIdle } };
    case 'setSearch':
      return state.ui.search === action.search ? state : { ...state, ui: { ...state.ui, search: action.search } };
    case 'openQuery':
      return { ...state, ui: { ...state.ui, openQuery: { sessionId: action.sessionId, text: undefined } } };
    case 'closeQuery':
      return state.ui.openQuery === null ? state : { ...state, ui: { ...state.ui, openQuery: null } };
  }
}

/**
 * What survives a webview reload: the reader's choices (tab, filter, search). The numbers and the
 * history are the host's: it keeps them while the panel is hidden and re-sends them on `init`.
 * Persisted state comes back through here, which trusts nothing it did not write.
 */
export function restorePanelState(persisted: unknown): PanelViewState {
  if (typeof persisted !== 'object' || persisted === null) return initialPanelState;
  const ui = (persisted as { ui?: unknown }).ui;
  if (typeof ui !== 'object' || ui === null) return initialPanelState;
  const { tab, hideIdle, search } = ui as Record<string, unknown>;
  return {
    ...initialPanelState,
    ui: {
      tab: PANEL_TABS.includes(tab as PanelTab) ? (tab as PanelTab) : 'sessions',
      hideIdle: typeof hideIdle === 'boolean' ? hideIdle : true,
      search: typeof search === 'string' ? search.slice(0, 200) : '',
      openQuery: null,
    },
  };
}
