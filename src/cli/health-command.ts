/**
 * `dbhealth health --url URL [--format text|json] [--watch] [--interval SECONDS]`
 * Prints the snapshot the panel shows. Exit 0 healthy, 1 when an alert of severity error is raised
 * or the database cannot be reached, 2 on usage errors. With --watch, JSON output is one snapshot
 * per line and state changes go to stderr; the command ends on SIGINT/SIGTERM.
 */
import { choiceOption, parseArgs, singleOption, UsageError } from './args';
import type { CliIO } from './main';
import type { ConnectionTarget, PollerState, Snapshot } from '../db/index';

/** The database layer (and its drivers) loads only when `health` runs, so `lint` starts fast. */
type DatabaseLayer = typeof import('../db/index');

const FORMATS = ['text', 'json'] as const;
type HealthFormat = (typeof FORMATS)[number];

export async function runHealthCommand(argv: readonly string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, ['url', 'format', 'interval'], ['watch']);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const format = choiceOption(args, 'format', FORMATS, 'text');
  const url = singleOption(args, 'url') ?? io.env.DATABASE_URL;
  if (!url) throw new UsageError('health needs --url (or DATABASE_URL in the environment)');
  const intervalText = singleOption(args, 'interval');
  const intervalSeconds = intervalText === undefined ? 5 : Number(intervalText);
  if (!Number.isFinite(intervalSeconds) || intervalSeconds < 0.2) throw new UsageError(`--interval must be a number of seconds ≥ 0.2 (got "${intervalText}")`);
  const db: DatabaseLayer = await import('../db/index');
  let target: ConnectionTarget;
  try {
    target = db.parseConnectionUrl(url);
  } catch (error) {
    if (error instanceof db.TargetConfigError) throw new UsageError(error.message);
    throw error;
  }
  if (args.flags.has('watch')) return watch(db, target, format, intervalSeconds * 1000, io, signal);
  return once(db, target, format, io);
}

async function once(db: DatabaseLayer, target: ConnectionTarget, format: HealthFormat, io: CliIO): Promise<number> {
  const { createCollector, DEFAULT_THRESHOLDS, describeTarget, classifyError } = db;
  const collector = createCollector(target);
  try {
    await collector.connect();
    const snapshot = await collector.collect(DEFAULT_THRESHOLDS);
    io.stdout(format === 'json' ? `${JSON.stringify(snapshot, null, 2)}\n` : renderSnapshotText(snapshot, describeTarget(target)));
    return hasErrorAlert(snapshot) ? 1 : 0;
  } catch (error) {
    const failure = classifyError(error, describeTarget(target));
    if (format === 'json') io.stdout(`${JSON.stringify({ engine: target.engine, error: { kind: failure.kind, message: failure.message } }, null, 2)}\n`);
    io.stderr(`dbhealth: ${failure.message}\n`);
    return 1;
  } finally {
    await collector.close();
  }
}

async function watch(db: DatabaseLayer, target: ConnectionTarget, format: HealthFormat, intervalMs: number, io: CliIO, signal?: AbortSignal): Promise<number> {
  const { createCollector, describeTarget, Poller } = db;
  let worst = 0;
  const poller = new Poller(createCollector(target), { intervalMs, authRetryMs: 60_000 }, {
    onState: (state) => {
      if (state.kind === 'unreachable' || state.kind === 'auth-failed' || state.kind === 'stale') worst = 1;
      if (state.kind !== 'live' && state.kind !== 'stopped') io.stderr(`dbhealth: ${describeState(state)}\n`);
    },
    onSnapshot: (snapshot) => {
      if (hasErrorAlert(snapshot)) worst = 1;
      io.stdout(format === 'json' ? `${JSON.stringify(snapshot)}\n` : renderSnapshotText(snapshot, describeTarget(target)));
    },
  });
  const stopped = new Promise<void>((resolve) => {
    const finish = (): void => resolve();
    if (signal) {
      if (signal.aborted) finish();
      else signal.addEventListener('abort', finish, { once: true });
    } else {
      process.once('SIGINT', finish);
      process.once('SIGTERM', finish);
    }
  });
  poller.start();
  await stopped;
  await poller.stop();
  return worst;
}

function hasErrorAlert(snapshot: Snapshot): boolean {
  return snapshot.alerts.some((alert) => alert.severity === 'error');
}

export function describeState(state: PollerState): string {
  switch (state.kind) {
    case 'connecting':
      return `connecting (attempt ${state.attempt})`;
    case 'unreachable':
      return `unreachable since ${state.since}: ${state.reason}; retry ${state.attempt} at ${state.nextRetryAt}`;
    case 'stale':
      return `data stale since ${state.since}: ${state.reason}; retry at ${state.nextRetryAt}`;
    case 'auth-failed':
      return `authentication failed: ${state.reason}${state.nextRetryAt ? `; next try at ${state.nextRetryAt}` : ''}`;
    case 'live':
      return `live since ${state.since}`;
    default:
      return state.kind;
  }
}

function formatAge(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 120) return `${seconds.toFixed(1)}s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

function oneLine(text: string | null, max = 80): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function counts(list: readonly { key: string; count: number }[], max = 8): string {
  return list.slice(0, max).map((entry) => `${entry.key}=${entry.count}`).join(', ') || '-';
}

export function renderSnapshotText(snapshot: Snapshot, title: string): string {
  const lines: string[] = [];
  const { connections } = snapshot;
  lines.push(`${title} — ${snapshot.serverVersion} at ${snapshot.sampledAt}`);
  lines.push(`connections: ${connections.total} of ${connections.max} usable (${(connections.utilization * 100).toFixed(1)} %, ${connections.reserved} reserved)`);
  lines.push(`  by state: ${Object.entries(connections.byState).map(([state, count]) => `${state}=${count}`).join(', ') || '-'}`);
  if (snapshot.hiddenSessions > 0) lines.push(`  ${snapshot.hiddenSessions} sessions hidden from the monitoring account (see alerts)`);
  lines.push(`  by user: ${counts(snapshot.byUser)}`);
  if (snapshot.byApplication.length > 0) lines.push(`  by application: ${counts(snapshot.byApplication)}`);
  if (snapshot.byClient.length > 0) lines.push(`  by client: ${counts(snapshot.byClient)}`);
  if (snapshot.rates) {
    const rates = snapshot.rates;
    const parts = [
      `cache hit ${rates.cacheHitRatio === null ? '-' : `${(rates.cacheHitRatio * 100).toFixed(2)} %`}`,
      `tps ${rates.tps === null ? '-' : rates.tps.toFixed(1)}`,
      `rollback ${rates.rollbackRate === null ? '-' : `${(rates.rollbackRate * 100).toFixed(1)} %`}`,
      `deadlocks ${rates.deadlocks ?? '-'}`,
    ];
    lines.push(`rates: ${parts.join(', ')}`);
  }
  for (const session of snapshot.idleInTransaction.slice(0, 10)) {
    lines.push(`idle in transaction: ${session.id} ${session.user ?? '?'}@${session.client ?? '?'} for ${formatAge(session.transactionAgeSeconds ?? session.stateAgeSeconds)}`);
  }
  for (const session of snapshot.longRunning.slice(0, 10)) {
    lines.push(`long-running: ${session.id} ${session.user ?? '?'} ${formatAge(session.queryAgeSeconds)} ${oneLine(session.query)}`);
  }
  for (const chain of snapshot.blockingChains) {
    lines.push(`blocking: ${chain.sessionIds.join(' ← ')} (${chain.waitingIds.length} waiting)`);
  }
  if (snapshot.mysql) {
    const mysql = snapshot.mysql;
    lines.push(`mysql: threads connected ${mysql.threadsConnected}, running ${mysql.threadsRunning}, max used ${mysql.maxUsedConnections}, aborted connects ${mysql.abortedConnects}, aborted clients ${mysql.abortedClients}`);
  }
  if (snapshot.pgbouncer) {
    for (const pool of snapshot.pgbouncer.pools) {
      lines.push(`pool ${pool.database}/${pool.user}: clients active ${pool.clientsActive} waiting ${pool.clientsWaiting}; servers active ${pool.serversActive} idle ${pool.serversIdle} used ${pool.serversUsed}; maxwait ${pool.maxWaitSeconds.toFixed(1)}s`);
    }
  }
  const settings = Object.entries(snapshot.limits.settings);
  if (settings.length > 0) lines.push(`limits: ${settings.map(([name, value]) => `${name}=${value}`).join(', ')}`);
  for (const probe of snapshot.disabledProbes) lines.push(`probe off: ${probe.probe}: ${probe.reason}`);
  if (snapshot.alerts.length === 0) lines.push('alerts: none');
  for (const alert of snapshot.alerts) lines.push(`${alert.severity.toUpperCase()} ${alert.id}: ${alert.message}`);
  return `${lines.join('\n')}\n\n`;
}
