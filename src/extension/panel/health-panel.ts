// The health panel's host side: one webview panel, one TargetMonitor per connection (so one
// monitoring connection per target), polling only while the panel is visible, and the status-bar
// item that shows the active connection's health and opens the panel.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { MONITOR_APPLICATION_NAME, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_STATEMENT_TIMEOUT_MS } from '../../db/types';
import { PANEL_PROTOCOL_VERSION, parseWebviewMessage, type HostMessage, type PanelAlert, type PanelStatus } from '../../protocol/panel';
import { connectionLabel, type ConnectionStore, type ResolvedConnection } from '../connections/store';
import { RUNBOOK_COMMANDS } from '../runbook/command-ids';
import type { RunbookCommandArgs } from '../runbook/register';
import { PANEL_COMMANDS } from './contract';
import { loadDatabaseLayer } from './db-loader';
import { TargetMonitor } from './monitor';
import { readPollerOptions, readThresholds } from './settings';

export const HEALTH_PANEL_VIEW_TYPE = 'dbhealth.healthPanel';

/** A fresh nonce for every HTML the panel gets: only our bundle's script tag carries it. */
function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Identity of a monitored target: an edited connection gets a new monitor and connection. */
function targetKey(connection: ResolvedConnection): string {
  return JSON.stringify([connection.id, connection.engine, connection.host, connection.port, connection.database, connection.user, connection.tls, connection.caFile ?? '']);
}

export class HealthPanelController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly monitors = new Map<string, TargetMonitor>();
  private connection: ResolvedConnection | undefined;
  private monitor: TargetMonitor | undefined;
  private monitorSubscription: { dispose(): void } | undefined;
  private readonly statusBar: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshQueue: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: ConnectionStore,
  ) {
    this.statusBar = vscode.window.createStatusBarItem('dbhealth.health', vscode.StatusBarAlignment.Left, 50);
    this.statusBar.name = 'dbhealth: database health';
    this.statusBar.command = PANEL_COMMANDS.openHealthPanel;
    this.disposables.push(
      this.statusBar,
      store.onDidChange(() => void this.refreshConnection()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('dbhealth.alerts') || event.affectsConfiguration('dbhealth.panel')) this.restartMonitors();
      }),
    );
    void this.refreshConnection();
  }

  /** The connection the panel shows (tests and commands read it). */
  get activeConnection(): ResolvedConnection | undefined {
    return this.connection;
  }

  get activeMonitor(): TargetMonitor | undefined {
    return this.monitor;
  }

  async open(): Promise<void> {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const roots = [vscode.Uri.joinPath(this.context.extensionUri, 'dist'), vscode.Uri.joinPath(this.context.extensionUri, 'media')];
    const panel = vscode.window.createWebviewPanel(HEALTH_PANEL_VIEW_TYPE, 'Database Health', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: roots,
      // The host keeps the history while hidden; the page is rebuilt from `init` when shown again.
      retainContextWhenHidden: false,
    });
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'panel-icon.svg');
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw), undefined, this.disposables);
    panel.onDidChangeViewState(() => this.applyVisibility(), undefined, this.disposables);
    panel.onDidDispose(() => {
      this.panel = undefined;
      void this.monitor?.stop();
    }, undefined, this.disposables);
    await this.refreshConnection();
  }

  /**
   * Points the panel and the status bar at the store's active connection. Calls are queued: a
   * save fires several change events, and two overlapping switches would subscribe twice.
   */
  refreshConnection(): Promise<void> {
    this.refreshQueue = this.refreshQueue.then(() => this.switchToActiveConnection()).catch(() => undefined);
    return this.refreshQueue;
  }

  private async switchToActiveConnection(): Promise<void> {
    const connection = await this.store.active();
    const key = connection ? targetKey(connection) : undefined;
    const currentKey = this.connection ? targetKey(this.connection) : undefined;
    if (key !== currentKey) {
      this.monitorSubscription?.dispose();
      await this.monitor?.stop();
      this.connection = connection;
      this.monitor = connection ? await this.monitorFor(connection) : undefined;
      this.monitorSubscription = this.monitor?.subscribe({
        onStatus: (status) => {
          this.post({ type: 'status', status });
          this.updateStatusBar();
        },
        onSnapshot: (update) => {
          this.post({ type: 'snapshot', ...update });
          this.updateStatusBar();
        },
      });
      this.sendInit();
    }
    this.applyVisibility();
    this.updateStatusBar();
  }

  private async monitorFor(connection: ResolvedConnection): Promise<TargetMonitor> {
    const key = targetKey(connection);
    const existing = this.monitors.get(key);
    if (existing) return existing;
    // Edited connections leave their old monitor behind: close it so it holds no connection.
    for (const [otherKey, other] of this.monitors) {
      if (JSON.parse(otherKey)[0] === connection.id) {
        await other.stop();
        this.monitors.delete(otherKey);
      }
    }
    const target = await this.store.toTarget(connection, {
      connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
      applicationName: MONITOR_APPLICATION_NAME,
    });
    const monitor = new TargetMonitor((events) => {
      const db = loadDatabaseLayer();
      return new db.Poller(db.createCollector(target), readPollerOptions(), events);
    });
    this.monitors.set(key, monitor);
    return monitor;
  }

  private restartMonitors(): void {
    // Poller options are fixed per poller: drop the monitors so the next start reads new settings.
    const visible = this.panel?.visible ?? false;
    this.refreshQueue = this.refreshQueue.then(async () => {
      this.monitorSubscription?.dispose();
      this.monitorSubscription = undefined;
      for (const monitor of this.monitors.values()) await monitor.stop();
      this.monitors.clear();
      this.connection = undefined;
      this.monitor = undefined;
    });
    void this.refreshConnection().then(() => {
      if (visible) this.applyVisibility();
    });
  }

  /** Polls only while someone can see the numbers. */
  private applyVisibility(): void {
    if (!this.monitor) return;
    if (this.panel?.visible) this.monitor.start();
    else void this.monitor.stop();
  }

  private sendInit(): void {
    const monitor = this.monitor;
    const status: PanelStatus = !this.connection ? { kind: 'no-connection' } : (monitor?.status ?? { kind: 'connecting' });
    this.post({
      type: 'init',
      protocol: PANEL_PROTOCOL_VERSION,
      connection: this.connection ? { id: this.connection.id, label: connectionLabel(this.connection), engine: this.connection.engine } : null,
      status,
      snapshot: monitor?.snapshot ?? null,
      history: monitor?.history ?? [],
      alerts: monitor?.alerts ?? [],
      longQuerySeconds: readThresholds().longQuerySeconds,
    });
  }

  private post(message: HostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        if (message.protocol !== PANEL_PROTOCOL_VERSION) {
          void vscode.window.showErrorMessage('dbhealth: the health panel page is out of date; close and reopen the panel.');
          return;
        }
        this.sendInit();
        this.applyVisibility();
        return;
      case 'requestQueryText':
        this.post({ type: 'queryText', sessionId: message.sessionId, text: this.monitor?.queryText(message.sessionId) ?? null });
        return;
      case 'copyQueryText': {
        const text = this.monitor?.queryText(message.sessionId);
        if (text) {
          await vscode.env.clipboard.writeText(text);
          void vscode.window.setStatusBarMessage(`dbhealth: query of session ${message.sessionId} copied`, 3000);
        }
        return;
      }
      case 'retryNow':
        this.monitor?.retryNow();
        return;
      case 'chooseConnection':
        await vscode.commands.executeCommand(PANEL_COMMANDS.selectConnection);
        return;
      case 'sessionAction':
        await this.runSessionAction(message.action, message.sessionId, message.backendStart);
        return;
    }
  }

  /**
   * A row's Cancel/Terminate button. The webview only names a session; what is acted on is the
   * host's own snapshot of it, handed to the runbook command so the admin switch, the
   * confirmation, the re-validation at execution and the audit log are the palette's, not a copy.
   */
  private async runSessionAction(action: 'cancel' | 'terminate', sessionId: string, backendStart: string | null): Promise<void> {
    const connection = this.connection;
    const found = this.monitor?.sessionForAction(sessionId, backendStart);
    if (!connection || !found) {
      void vscode.window.showWarningMessage(`dbhealth: session ${sessionId} is no longer in the latest snapshot; nothing was done.`);
      return;
    }
    const args: RunbookCommandArgs = { connectionId: connection.id, session: found.session, ownSessionIds: found.ownSessionIds };
    const command = action === 'cancel' ? RUNBOOK_COMMANDS.cancelQuery.id : RUNBOOK_COMMANDS.terminateSession.id;
    await vscode.commands.executeCommand(command, args);
    // Show the outcome at once rather than at the next poll.
    if (this.monitor?.isRunning) this.monitor.retryNow();
  }

  private updateStatusBar(): void {
    const item = this.statusBar;
    if (!this.connection) {
      item.hide();
      return;
    }
    const monitor = this.monitor;
    const status = monitor?.status;
    const snapshot = monitor?.snapshot;
    const alerts: PanelAlert[] = monitor?.alerts ?? [];
    const worst = alerts.some((alert) => alert.severity === 'error') ? 'error' : alerts.some((alert) => alert.severity === 'warning') ? 'warning' : undefined;
    const usable = snapshot && snapshot.maxConnections !== null ? snapshot.maxConnections - (snapshot.reservedConnections ?? 0) : null;
    const utilization = snapshot && usable ? `${Math.round((snapshot.connectionsInUse / usable) * 100)} %` : undefined;
    let text: string;
    let tone: 'error' | 'warning' | undefined = worst;
    switch (status?.kind) {
      case 'unreachable':
      case 'failed':
        text = '$(error) DB unreachable';
        tone = 'error';
        break;
      case 'stale':
        text = `$(warning) DB stale${utilization ? ` ${utilization}` : ''}`;
        tone ??= 'warning';
        break;
      case 'live':
        text = `$(database) DB ${utilization ?? 'live'}${alerts.length > 0 ? ` · ${alerts.length} alert${alerts.length > 1 ? 's' : ''}` : ''}`;
        break;
      default:
        text = utilization ? `$(database) DB ${utilization} (paused)` : '$(database) DB health';
    }
    item.text = text;
    const tooltipLines = [`dbhealth — ${connectionLabel(this.connection)}`, ...alerts.map((alert) => `${alert.severity}: ${alert.message}`), 'Click to open the health panel.'];
    item.tooltip = tooltipLines.join('\n');
    item.accessibilityInformation = { label: `Database health: ${text.replace(/\$\([a-z-]+\)\s*/g, '')}. ${alerts.map((alert) => alert.message).join('. ')}`, role: 'button' };
    item.backgroundColor = tone === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : tone === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  }

  private html(webview: vscode.Webview): string {
    const nonce = makeNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'panel.css'));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `img-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Database Health</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.monitorSubscription?.dispose();
    for (const monitor of this.monitors.values()) void monitor.stop();
    this.monitors.clear();
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
