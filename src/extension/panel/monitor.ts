// One monitored target: the database layer's Poller (which owns the single monitoring connection)
// and the ten-minute history. No `vscode` here. The panel starts it while visible and stops it
// while hidden; the history outlives both so a reopened panel shows the last ten minutes at once.
import type { PollerEvents, SessionInfo, Snapshot } from '../../db/types';
import { HISTORY_WINDOW_MS, type PanelAlert, type PanelSample, type PanelSnapshot, type PanelStatus } from '../../protocol/panel';
import { toPanelAlerts, toPanelSample, toPanelSnapshot, toPanelStatus } from './snapshot-view';

export interface MonitorUpdate {
  snapshot: PanelSnapshot;
  sample: PanelSample;
  alerts: PanelAlert[];
}

export interface MonitorListener {
  onStatus(status: PanelStatus): void;
  onSnapshot(update: MonitorUpdate): void;
}

/** The poller's surface the monitor drives (the database layer's Poller). */
export interface PollerLike {
  readonly lastSnapshot: Snapshot | null;
  start(): void;
  stop(): Promise<void>;
  pollNow(): Promise<void>;
}

export type PollerFactory = (events: Required<PollerEvents>) => PollerLike;

export class TargetMonitor {
  private readonly poller: PollerLike;
  private running = false;
  private lastView: PanelSnapshot | undefined;
  private lastAlerts: PanelAlert[] = [];
  private samples: PanelSample[] = [];
  private currentStatus: PanelStatus = { kind: 'paused', since: Date.now() };
  private readonly listeners = new Set<MonitorListener>();

  constructor(createPoller: PollerFactory) {
    this.poller = createPoller({
      onState: (state) => {
        // The poller reports `stopped` when we pause it: say paused, with our own clock.
        this.setStatus(toPanelStatus(state));
      },
      onSnapshot: (snapshot) => this.record(snapshot),
    });
  }

  get status(): PanelStatus {
    return this.currentStatus;
  }
  get snapshot(): PanelSnapshot | undefined {
    return this.lastView;
  }
  get history(): PanelSample[] {
    return this.samples;
  }
  get alerts(): PanelAlert[] {
    return this.lastAlerts;
  }
  get isRunning(): boolean {
    return this.running;
  }

  /** Full query text of a session in the last snapshot (the webview only has a preview). */
  queryText(sessionId: string): string | null {
    return this.poller.lastSnapshot?.sessions.find((session) => session.id === sessionId && !session.isMonitor)?.query ?? null;
  }

  /**
   * The session a panel row names, as the last snapshot holds it, with the monitor's own session
   * ids (the runbook never acts on those). Undefined when the row is stale: the id is gone, it is
   * the monitor itself, or the pid now belongs to a newer backend than the one the reader saw.
   */
  sessionForAction(sessionId: string, backendStart: string | null): { session: SessionInfo; ownSessionIds: string[] } | undefined {
    const sessions = this.poller.lastSnapshot?.sessions ?? [];
    const session = sessions.find((candidate) => candidate.id === sessionId && !candidate.isMonitor);
    if (!session || session.backendStart !== backendStart) return undefined;
    return { session, ownSessionIds: sessions.filter((candidate) => candidate.isMonitor).map((candidate) => candidate.id) };
  }

  subscribe(listener: MonitorListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.poller.start();
  }

  /** Stops polling and closes the monitoring connection; keeps the history. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.poller.stop();
  }

  /** Polls now instead of waiting out a retry delay. */
  retryNow(): void {
    if (!this.running) return this.start();
    void this.poller.pollNow();
  }

  private setStatus(status: PanelStatus): void {
    this.currentStatus = status;
    for (const listener of this.listeners) listener.onStatus(status);
  }

  private record(raw: Snapshot): void {
    const view = toPanelSnapshot(raw);
    const sample = toPanelSample(view, raw.connections.max > 0 ? raw.connections.total / raw.connections.max : null);
    const cutoff = sample.at - HISTORY_WINDOW_MS;
    this.samples = [...this.samples.filter((point) => point.at > cutoff && point.at < sample.at), sample];
    this.lastView = view;
    this.lastAlerts = toPanelAlerts(raw);
    for (const listener of this.listeners) listener.onSnapshot({ snapshot: view, sample, alerts: this.lastAlerts });
  }
}
