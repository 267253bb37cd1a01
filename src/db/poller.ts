/**
 * Polls one collector on a schedule: one poll at a time, exponential backoff with jitter while the
 * target is unreachable, explicit states, and authentication failures that are not retried on the
 * fast schedule (a wrong password retried every second only locks accounts and floods logs).
 */
import { backoffDelayMs } from './analysis';
import { classifyError } from './errors';
import type { Collector, CollectorFailure, PollerEvents, PollerOptions, PollerState, Snapshot } from './types';
import { DEFAULT_POLLER_OPTIONS } from './types';

export class Poller {
  private stateValue: PollerState = { kind: 'idle' };
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<void> | null = null;
  private failedAttempts = 0;
  /** When the current outage began (first failed connect or poll); null while things work. */
  private outageSince: string | null = null;
  private lastSnapshotValue: Snapshot | null = null;
  private lastFailureValue: CollectorFailure | null = null;
  private options: PollerOptions;
  /** How many times the collector was asked to connect (tests use it to check there is no retry storm). */
  connectAttempts = 0;

  constructor(
    private readonly collector: Collector,
    options: Partial<PollerOptions> = {},
    private readonly events: PollerEvents = {},
    private readonly random: () => number = Math.random,
  ) {
    this.options = { ...DEFAULT_POLLER_OPTIONS, ...options };
  }

  get state(): PollerState {
    return this.stateValue;
  }

  get lastSnapshot(): Snapshot | null {
    return this.lastSnapshotValue;
  }

  get lastFailure(): CollectorFailure | null {
    return this.lastFailureValue;
  }

  /** New interval, thresholds or backoff settings (the user changed a setting); applies from the next poll. */
  updateOptions(options: Partial<PollerOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** Starts polling at once. Calling it again while running does nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling, waits for a poll in flight, and closes the monitoring connection. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => undefined);
    await this.collector.close();
    this.setState({ kind: 'stopped' });
  }

  /** Runs a poll now (e.g. the user pressed refresh or changed credentials), unless one is running. */
  async pollNow(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inFlight = this.tick().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pollNow();
    }, delayMs);
  }

  private setState(state: PollerState): void {
    this.stateValue = state;
    this.events.onState?.(state);
  }

  private async tick(): Promise<void> {
    const now = (): string => new Date().toISOString();
    if (!this.collector.isConnected) {
      this.setState({ kind: 'connecting', since: now(), attempt: this.failedAttempts + 1 });
      try {
        this.connectAttempts++;
        await this.collector.connect();
      } catch (error) {
        this.onFailure(classifyError(error, 'connecting'));
        return;
      }
    }
    try {
      const snapshot = await this.collector.collect(this.options.thresholds);
      this.failedAttempts = 0;
      this.outageSince = null;
      this.lastFailureValue = null;
      this.lastSnapshotValue = snapshot;
      const since = this.stateValue.kind === 'live' ? this.stateValue.since : now();
      this.setState({ kind: 'live', since, lastSampledAt: snapshot.sampledAt });
      this.events.onSnapshot?.(snapshot);
      this.schedule(this.options.intervalMs);
    } catch (error) {
      this.onFailure(classifyError(error, 'polling'));
    }
  }

  private onFailure(failure: CollectorFailure): void {
    this.lastFailureValue = failure;
    const since = new Date().toISOString();
    if (failure.kind === 'auth' || failure.kind === 'config') {
      const retryMs = this.options.authRetryMs;
      this.setState({ kind: 'auth-failed', since, reason: failure.message, nextRetryAt: retryMs === null ? null : new Date(Date.now() + retryMs).toISOString() });
      if (retryMs !== null) this.schedule(retryMs);
      return;
    }
    this.failedAttempts++;
    const delay = backoffDelayMs(this.failedAttempts, this.options.backoffInitialMs, this.options.backoffMaxMs, this.options.jitter, this.random);
    const nextRetryAt = new Date(Date.now() + delay).toISOString();
    const outageBegins = this.outageSince === null;
    this.outageSince ??= since;
    if (outageBegins && this.lastSnapshotValue) {
      // The data on screen is still the last good one: say since when it is stale.
      this.setState({ kind: 'stale', since: this.outageSince, reason: failure.message, nextRetryAt });
    } else {
      this.setState({ kind: 'unreachable', since: this.outageSince, reason: failure.message, attempt: this.failedAttempts, nextRetryAt });
    }
    this.schedule(delay);
  }
}
