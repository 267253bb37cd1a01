/**
 * Engine-independent reasoning over collected rows: grouping, lock-wait chains, rates from counter
 * deltas, and alerts. Pure functions, so they are unit-tested without a server.
 */
import type {
  Alert,
  AlertThresholds,
  BlockingChain,
  CountByKey,
  Rates,
  SessionInfo,
  Snapshot,
} from './types';

/** Counts values, most frequent first, ties by key; null values are grouped under `unknownKey`. */
export function countBy<T>(items: readonly T[], keyOf: (item: T) => string | null, unknownKey = '(unknown)'): CountByKey[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item) ?? unknownKey;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function countStates(sessions: readonly SessionInfo[], hiddenSessions: number): Record<string, number> {
  const byState: Record<string, number> = {};
  for (const session of sessions) {
    const state = session.state ?? 'unknown';
    byState[state] = (byState[state] ?? 0) + 1;
  }
  if (hiddenSessions > 0) byState.hidden = hiddenSessions;
  return byState;
}

/**
 * Lock-wait chains from `blockedBy` edges. A root is a session that blocks someone and waits on no
 * one (or, in a cycle — a deadlock about to be detected — the lowest id of the cycle). One chain per
 * root: `sessionIds` follows the longest path of waiters from the root; `waitingIds` lists every
 * session transitively waiting on it.
 */
export function buildBlockingChains(sessions: readonly SessionInfo[]): BlockingChain[] {
  const byId = new Map(sessions.map((session) => [session.id, session]));
  const waitersOf = new Map<string, string[]>();
  for (const session of sessions) {
    for (const blocker of session.blockedBy) {
      if (blocker === session.id) continue;
      const list = waitersOf.get(blocker) ?? [];
      list.push(session.id);
      waitersOf.set(blocker, list);
    }
  }
  if (waitersOf.size === 0) return [];

  const isWaiting = (id: string): boolean => (byId.get(id)?.blockedBy.some((blocker) => blocker !== id) ?? false);
  const roots = [...waitersOf.keys()].filter((id) => !isWaiting(id));
  // Cycles have no root that waits on no one: take the smallest id of every component not reached yet.
  const reached = new Set<string>();
  const visitFrom = (root: string): void => {
    const stack = [root];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (reached.has(id)) continue;
      reached.add(id);
      stack.push(...(waitersOf.get(id) ?? []));
    }
  };
  roots.forEach(visitFrom);
  const leftovers = [...waitersOf.keys()].filter((id) => !reached.has(id)).sort(compareIds);
  for (const id of leftovers) {
    if (reached.has(id)) continue;
    roots.push(id);
    visitFrom(id);
  }

  const chains = roots.sort(compareIds).map((rootId) => {
    const waitingIds: string[] = [];
    const seen = new Set([rootId]);
    const queue = [rootId];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      for (const waiter of waitersOf.get(id) ?? []) {
        if (seen.has(waiter)) continue;
        seen.add(waiter);
        waitingIds.push(waiter);
        queue.push(waiter);
      }
    }
    const longestPath = (id: string, onPath: Set<string>): string[] => {
      let best: string[] = [];
      for (const waiter of waitersOf.get(id) ?? []) {
        if (onPath.has(waiter)) continue;
        onPath.add(waiter);
        const path = longestPath(waiter, onPath);
        onPath.delete(waiter);
        if (path.length > best.length) best = path;
      }
      return [id, ...best];
    };
    const waits = waitingIds.map((id) => byId.get(id)?.stateAgeSeconds ?? null).filter((age): age is number => age !== null);
    return {
      rootId,
      sessionIds: longestPath(rootId, new Set([rootId])),
      waitingIds,
      longestWaitSeconds: waits.length > 0 ? Math.max(...waits) : null,
    };
  });
  return chains.sort((a, b) => b.waitingIds.length - a.waitingIds.length || compareIds(a.rootId, b.rootId));
}

function compareIds(a: string, b: string): number {
  const numberA = Number(a);
  const numberB = Number(b);
  if (Number.isFinite(numberA) && Number.isFinite(numberB)) return numberA - numberB;
  return a.localeCompare(b);
}

/** Cumulative server counters at one server timestamp. */
export interface CounterSample {
  /** Server time in milliseconds since the epoch. */
  readonly serverTimeMs: number;
  readonly commits: number;
  readonly rollbacks: number;
  readonly blocksHit: number;
  readonly blocksRead: number;
  readonly deadlocks: number;
}

/**
 * Rates over the interval between two samples taken by the server's clock. When any counter went
 * backwards (stats reset, server restart) or time did not advance, interval rates are unknown and
 * the new sample becomes the baseline; the cache hit ratio then falls back to the cumulative value.
 */
export function computeRates(previous: CounterSample | null, current: CounterSample): Rates {
  const cumulativeHit = ratio(current.blocksHit, current.blocksHit + current.blocksRead);
  const intervalMs = previous ? current.serverTimeMs - previous.serverTimeMs : 0;
  const wentBackwards = previous !== null && (
    current.commits < previous.commits ||
    current.rollbacks < previous.rollbacks ||
    current.blocksHit < previous.blocksHit ||
    current.blocksRead < previous.blocksRead ||
    current.deadlocks < previous.deadlocks
  );
  if (!previous || wentBackwards || intervalMs <= 0) {
    return { cacheHitRatio: cumulativeHit, tps: null, rollbackRate: null, deadlocks: current.deadlocks, deadlocksDelta: null, intervalSeconds: null };
  }
  const commits = current.commits - previous.commits;
  const rollbacks = current.rollbacks - previous.rollbacks;
  const hits = current.blocksHit - previous.blocksHit;
  const reads = current.blocksRead - previous.blocksRead;
  const seconds = intervalMs / 1000;
  return {
    cacheHitRatio: hits + reads > 0 ? hits / (hits + reads) : cumulativeHit,
    tps: (commits + rollbacks) / seconds,
    rollbackRate: ratio(rollbacks, commits + rollbacks),
    deadlocks: current.deadlocks,
    deadlocksDelta: current.deadlocks - previous.deadlocks,
    intervalSeconds: seconds,
  };
}

/** One series of cumulative counters (PostgreSQL: one database of pg_stat_database). */
export type Counters = Omit<CounterSample, 'serverTimeMs'>;

/** Counters per series at one server timestamp. */
export interface KeyedCounterSample {
  readonly serverTimeMs: number;
  readonly byKey: Readonly<Record<string, Counters>>;
}

function sumCounters(list: readonly Counters[]): Counters {
  const total = { commits: 0, rollbacks: 0, blocksHit: 0, blocksRead: 0, deadlocks: 0 };
  for (const counters of list) {
    total.commits += counters.commits;
    total.rollbacks += counters.rollbacks;
    total.blocksHit += counters.blocksHit;
    total.blocksRead += counters.blocksRead;
    total.deadlocks += counters.deadlocks;
  }
  return total;
}

function seriesWentBackwards(previous: Counters, current: Counters): boolean {
  return current.commits < previous.commits || current.rollbacks < previous.rollbacks || current.blocksHit < previous.blocksHit ||
    current.blocksRead < previous.blocksRead || current.deadlocks < previous.deadlocks;
}

/**
 * Server-wide rates from per-series counters. Only series present in both samples and not reset
 * in between contribute, so a database dropped, created or reset elsewhere on the server neither
 * makes the totals go backwards nor produces a spike; when no series is comparable, the interval
 * rates are unknown. `deadlocks` stays the server-wide cumulative count.
 */
export function computeRatesAcross(previous: KeyedCounterSample | null, current: KeyedCounterSample): Rates {
  const currentTotals = sumCounters(Object.values(current.byKey));
  const comparable = previous
    ? Object.keys(current.byKey).filter((key) => previous.byKey[key] !== undefined && !seriesWentBackwards(previous.byKey[key], current.byKey[key]))
    : [];
  if (!previous || comparable.length === 0) return computeRates(null, { serverTimeMs: current.serverTimeMs, ...currentTotals });
  const rates = computeRates(
    { serverTimeMs: previous.serverTimeMs, ...sumCounters(comparable.map((key) => previous.byKey[key])) },
    { serverTimeMs: current.serverTimeMs, ...sumCounters(comparable.map((key) => current.byKey[key])) },
  );
  return { ...rates, deadlocks: currentTotals.deadlocks };
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export type SnapshotWithoutAlerts = Omit<Snapshot, 'alerts'>;

function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

/** The alerts a snapshot raises under the given thresholds. Ids are stable (the panel keys on them). */
export function evaluateAlerts(snapshot: SnapshotWithoutAlerts, thresholds: AlertThresholds): Alert[] {
  const alerts: Alert[] = [];
  const { connections } = snapshot;
  if (connections.max > 0 && connections.utilization > thresholds.utilizationWarning) {
    alerts.push({
      id: 'connection-utilization',
      severity: connections.utilization > thresholds.utilizationError ? 'error' : 'warning',
      message: `${connections.total} of ${connections.max} usable connections in use (${percent(connections.utilization)})`,
    });
  }
  const oldIdle = snapshot.idleInTransaction.filter((session) => (session.transactionAgeSeconds ?? session.stateAgeSeconds ?? 0) > thresholds.idleInTransactionSeconds);
  if (oldIdle.length > 0) {
    const oldest = Math.max(...oldIdle.map((session) => session.transactionAgeSeconds ?? session.stateAgeSeconds ?? 0));
    alerts.push({
      id: 'idle-in-transaction',
      severity: 'warning',
      message: `${oldIdle.length} session(s) idle in transaction longer than ${formatSeconds(thresholds.idleInTransactionSeconds)} (oldest ${formatSeconds(oldest)})`,
    });
  }
  if (snapshot.longRunning.length > 0) {
    const longest = Math.max(...snapshot.longRunning.map((session) => session.queryAgeSeconds ?? 0));
    alerts.push({
      id: 'long-running-query',
      severity: 'warning',
      message: `${snapshot.longRunning.length} quer${snapshot.longRunning.length === 1 ? 'y' : 'ies'} running longer than ${formatSeconds(thresholds.longQuerySeconds)} (longest ${formatSeconds(longest)})`,
    });
  }
  if (snapshot.blockingChains.length > 0) {
    const waiting = snapshot.blockingChains.reduce((sum, chain) => sum + chain.waitingIds.length, 0);
    alerts.push({
      id: 'blocked-sessions',
      severity: 'warning',
      message: `${waiting} session(s) waiting on locks held by ${snapshot.blockingChains.map((chain) => chain.rootId).join(', ')}`,
    });
  }
  const hitRatio = snapshot.rates?.cacheHitRatio;
  if (hitRatio !== null && hitRatio !== undefined && hitRatio < thresholds.cacheHitRatioMin) {
    alerts.push({
      id: 'cache-hit-ratio',
      severity: 'warning',
      message: `cache hit ratio ${percent(hitRatio)} is below ${percent(thresholds.cacheHitRatioMin)}`,
    });
  }
  if (snapshot.rates?.deadlocksDelta) {
    alerts.push({ id: 'deadlocks', severity: 'warning', message: `${snapshot.rates.deadlocksDelta} deadlock(s) since the previous poll` });
  }
  const bouncer = snapshot.pgbouncer;
  if (bouncer && bouncer.clientsWaiting >= thresholds.pgbouncerClientsWaiting && bouncer.clientsWaiting > 0) {
    const pools = bouncer.pools.filter((pool) => pool.clientsWaiting > 0).map((pool) => `${pool.database}/${pool.user} (${pool.clientsWaiting})`);
    alerts.push({
      id: 'pgbouncer-clients-waiting',
      severity: bouncer.maxWaitSeconds >= thresholds.pgbouncerMaxWaitSeconds ? 'error' : 'warning',
      message: `${bouncer.clientsWaiting} client(s) waiting for a server connection in ${pools.join(', ')}; longest wait ${bouncer.maxWaitSeconds.toFixed(1)} s`,
    });
  }
  if (snapshot.hiddenSessions > 0) {
    alerts.push({
      id: 'sessions-hidden',
      severity: 'info',
      message: `${snapshot.hiddenSessions} session(s) hidden: the monitoring ${snapshot.engine === 'mysql' ? 'account lacks the PROCESS privilege' : 'role lacks pg_read_all_stats'}`,
    });
  }
  for (const probe of snapshot.disabledProbes) {
    alerts.push({ id: `probe-disabled:${probe.probe}`, severity: 'info', message: `${probe.probe} switched off: ${probe.reason}` });
  }
  return alerts;
}

/**
 * Delay before reconnect attempt `attempt` (1-based): exponential from `initialMs`, capped at
 * `maxMs`, with the given share drawn at random so many monitors do not retry in step.
 */
export function backoffDelayMs(attempt: number, initialMs: number, maxMs: number, jitter: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  const share = Math.min(1, Math.max(0, jitter));
  return Math.round(exponential * (1 - share) + exponential * share * random());
}

/** Idle-in-transaction and long-running lists plus lock chains, the monitor itself left out. */
export function deriveSessionLists(sessions: readonly SessionInfo[], thresholds: AlertThresholds): Pick<Snapshot, 'idleInTransaction' | 'longRunning' | 'blockingChains'> {
  const others = sessions.filter((session) => !session.isMonitor);
  const idleInTransaction = others
    .filter((session) => session.state?.startsWith('idle in transaction'))
    .sort((a, b) => (b.transactionAgeSeconds ?? 0) - (a.transactionAgeSeconds ?? 0));
  const longRunning = others
    .filter((session) => session.state === 'active' && (session.queryAgeSeconds ?? 0) > thresholds.longQuerySeconds)
    .sort((a, b) => (b.queryAgeSeconds ?? 0) - (a.queryAgeSeconds ?? 0));
  return { idleInTransaction, longRunning, blockingChains: buildBlockingChains(others) };
}
