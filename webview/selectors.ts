// Pure views over a snapshot: what each table lists, in which order. Kept apart from rendering so
// the ordering rules (root blocker first, oldest idle transaction first) are tested on plain data.
import type { PanelSession, PanelSnapshot } from '../src/protocol/panel';

/** Rows drawn per table; the rest is counted and reachable through search and the idle filter. */
export const MAX_RENDERED_ROWS = 200;

function sessionMatches(session: PanelSession, needle: string): boolean {
  const fields = [session.id, session.user, session.application, session.client, session.database, session.state, session.queryPreview, session.waitEvent];
  return fields.some((field) => field !== null && field.toLowerCase().includes(needle));
}

export function filterSessions(sessions: readonly PanelSession[], hideIdle: boolean, search: string): PanelSession[] {
  const needle = search.trim().toLowerCase();
  return sessions.filter((session) => (!hideIdle || session.state !== 'idle') && (needle === '' || sessionMatches(session, needle)));
}

const byDescendingAge =
  (age: (session: PanelSession) => number | null) =>
  (a: PanelSession, b: PanelSession): number =>
    (age(b) ?? -1) - (age(a) ?? -1);

/** Active queries running at least `minimumSeconds`, longest first. */
export function longRunningQueries(snapshot: PanelSnapshot, minimumSeconds: number): PanelSession[] {
  return snapshot.sessions
    .filter((session) => session.state === 'active' && session.queryAgeSeconds !== null && session.queryAgeSeconds >= minimumSeconds)
    .sort(byDescendingAge((session) => session.queryAgeSeconds));
}

/** Sessions idle inside an open transaction, the oldest transaction first. */
export function idleInTransaction(snapshot: PanelSnapshot): PanelSession[] {
  return snapshot.sessions
    .filter((session) => session.state === 'idle in transaction' || session.state === 'idle in transaction (aborted)')
    .sort(byDescendingAge((session) => session.transactionAgeSeconds ?? session.stateAgeSeconds));
}

export interface BlockingNode {
  session: PanelSession;
  /** Sessions waiting on this one. */
  blocked: BlockingNode[];
}

/**
 * The lock-wait forest, root blockers first: a root blocks others and waits for nobody (or only for
 * sessions not in the snapshot). Lock cycles have no such root, so a cycle's lowest id stands in
 * for one; every session appears once.
 */
export function blockingForest(snapshot: PanelSnapshot): BlockingNode[] {
  const byId = new Map(snapshot.sessions.map((session) => [session.id, session]));
  const waitersOf = new Map<string, PanelSession[]>();
  for (const session of snapshot.sessions) {
    for (const blockerId of session.blockedBy) {
      if (!byId.has(blockerId)) continue;
      const waiters = waitersOf.get(blockerId) ?? [];
      waiters.push(session);
      waitersOf.set(blockerId, waiters);
    }
  }
  const placed = new Set<string>();
  const build = (session: PanelSession): BlockingNode => {
    placed.add(session.id);
    const blocked = (waitersOf.get(session.id) ?? []).filter((waiter) => !placed.has(waiter.id));
    for (const waiter of blocked) placed.add(waiter.id);
    return { session, blocked: blocked.map((waiter) => build(waiter)) };
  };
  const involved = snapshot.sessions.filter((session) => waitersOf.has(session.id) || session.blockedBy.some((id) => byId.has(id)));
  const countWaiters = (session: PanelSession): number => waitersOf.get(session.id)?.length ?? 0;
  const roots = involved
    .filter((session) => waitersOf.has(session.id) && !session.blockedBy.some((id) => byId.has(id)))
    .sort((a, b) => countWaiters(b) - countWaiters(a) || a.id.localeCompare(b.id, undefined, { numeric: true }));
  const forest = roots.map(build);
  const cycleMembers = involved.filter((session) => !placed.has(session.id)).sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  for (const session of cycleMembers) if (!placed.has(session.id)) forest.push(build(session));
  return forest;
}

/** Usable slots: the limit minus the slots reserved for superusers/replication. */
export function usableConnections(snapshot: PanelSnapshot): number | null {
  if (snapshot.maxConnections === null) return null;
  return Math.max(0, snapshot.maxConnections - (snapshot.reservedConnections ?? 0));
}
