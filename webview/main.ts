// Entry of dist/webview.js (browser IIFE). Wires the pure reducer and the view to the VS Code
// webview API: host messages pass the protocol guard, the reducer advances the state, the view
// draws it, and the reader's choices are persisted with setState.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { PANEL_PROTOCOL_VERSION, parseHostMessage, type WebviewMessage } from '../src/protocol/panel';
import { createPanelView } from './render';
import { reducePanel, restorePanelState, type PanelAction, type PanelViewState } from './state';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: PanelViewState = restorePanelState(vscode.getState());
let frameRequested = false;

function dispatch(action: PanelAction): void {
  const next = reducePanel(state, action);
  if (next === state) return;
  const openedQuery = action.type === 'openQuery';
  const uiChanged = next.ui !== state.ui;
  state = next;
  if (openedQuery) vscode.postMessage({ type: 'requestQueryText', sessionId: action.sessionId });
  if (uiChanged) vscode.setState({ ui: { tab: state.ui.tab, hideIdle: state.ui.hideIdle, search: state.ui.search } });
  scheduleDraw();
}

// Several messages can arrive within one frame (status + snapshot): draw once per frame.
function scheduleDraw(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    view.update(state, Date.now());
  });
}

const root = document.getElementById('root');
if (!root) throw new Error('dbhealth panel: #root is missing from the page');
const view = createPanelView(root, dispatch, {
  copyQuery: (sessionId) => vscode.postMessage({ type: 'copyQueryText', sessionId }),
  retryNow: () => vscode.postMessage({ type: 'retryNow' }),
  chooseConnection: () => vscode.postMessage({ type: 'chooseConnection' }),
  sessionAction: (action, sessionId, backendStart) => vscode.postMessage({ type: 'sessionAction', action, sessionId, backendStart }),
});
view.update(state, Date.now());

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseHostMessage(event.data);
  if (!message) {
    console.warn('dbhealth panel: ignored a message that does not match the protocol');
    return;
  }
  if (message.type === 'init' && message.protocol !== PANEL_PROTOCOL_VERSION) {
    console.warn(`dbhealth panel: host speaks protocol ${message.protocol}, this page ${PANEL_PROTOCOL_VERSION}`);
    return;
  }
  dispatch(message);
});

// The retry countdown moves every second; nothing else is redrawn by the clock.
setInterval(() => {
  if (state.status.kind === 'unreachable') view.tick(state, Date.now());
}, 1000);

vscode.postMessage({ type: 'ready', protocol: PANEL_PROTOCOL_VERSION });
