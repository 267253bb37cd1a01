/**
 * Names the runbook scenario that applies, from a snapshot (what the server shows) and/or the
 * failure of the last connect or poll (when there is no snapshot to show). Each diagnosis carries
 * its evidence — numbers and session ids a person can check — and the next runbook step.
 */
import type { CollectorFailure, SessionInfo, Snapshot } from '../db/types';
import { explainError } from './errors/explain';
import type { RunbookScenario } from './errors/types';
import { formatAge, queryExcerpt } from './session';

export interface Diagnosis {
  readonly scenario: RunbookScenario;
  readonly title: string;
  readonly severity: 'error' | 'warning';
  readonly evidence: readonly string[];
  readonly nextStep: string;
  /** Sessions the next step is about (a blocker to cancel, idle transactions to end). */
  readonly sessionIds: readonly string[];
}

export interface DiagnoseInput {
  readonly snapshot?: Snapshot;
  /** The last connect/poll failure, e.g. a CollectorError's toFailure(), or any driver error text. */
  readonly failure?: Pick<CollectorFailure, 'message'> & Partial<CollectorFailure>;
}

export interface DiagnoseOptions {
  /** Utilization (0–1 of usable slots) at which the connection limit is called exhausted. */
  readonly saturatedUtilization: number;
  /** Idle-in-transaction sessions at which they are called a pile-up, whatever their age. */
  readonly idleInTransactionCount: number;
  /** A single idle transaction older than this also counts. */
  readonly idleInTransactionSeconds: number;
  /** A blocker is named once someone has waited on it this long. */
  readonly blockedWaitSeconds: number;
}

export const DEFAULT_DIAGNOSE_OPTIONS: DiagnoseOptions = {
  saturatedUtilization: 0.95,
  idleInTransactionCount: 3,
  idleInTransactionSeconds: 60,
  blockedWaitSeconds: 5,
};

function isOwnSession(session: SessionInfo): boolean {
  return session.isMonitor || (session.application ?? '').startsWith('dbhealth-');
}

function describeSession(session: SessionInfo): string {
  return `${session.id} ${session.user ?? '?'}@${session.client ?? '?'} (${session.application || 'no application_name'})`;
}

function diagnoseFailure(failure: NonNullable<DiagnoseInput['failure']>): Diagnosis | null {
  const explanation = explainError(`${failure.message}${failure.code ? ` code: '${failure.code}'` : ''}`);
  const evidence = [`last connection attempt failed: ${failure.message}`, ...explanation.evidence.map((line) => `recognised ${line}`)];
  const scenario = explanation.scenario;
  if (failure.kind === 'auth' || scenario === 'authentication-failure') {
    return {
      scenario: 'authentication-failure', title: 'Authentication failure', severity: 'error', evidence, sessionIds: [],
      nextStep: 'Check the user and password the service really uses (secret, environment, .env), test them with the connectivity check, and check pg_hba.conf / the account\'s host part. Retrying will not help.',
    };
  }
  if (scenario === 'too-many-connections' || scenario === 'pool-exhausted') {
    return {
      scenario: 'too-many-connections', title: 'Pool exhausted / too many connections', severity: 'error', evidence, sessionIds: [],
      nextStep: 'Connect with a role that has a reserved slot (superuser / admin), inspect connections per user and idle sessions, terminate idle sessions older than N minutes, then cap the application pools below the limit.',
    };
  }
  if (failure.kind === 'unreachable' || failure.kind === 'timeout' || scenario === 'server-unreachable' || scenario === 'connection-lost') {
    return {
      scenario: 'server-unreachable', title: 'Server unreachable', severity: 'error', evidence, sessionIds: [],
      nextStep: 'Run the connectivity check to see which step fails (DNS, TCP, TLS); check that the server runs and listens on that host and port, and the firewall between; retry with backoff meanwhile.',
    };
  }
  return null;
}

function diagnoseSaturation(snapshot: Snapshot, options: DiagnoseOptions): Diagnosis | null {
  const { connections } = snapshot;
  const evidence: string[] = [];
  if (connections.max > 0 && connections.utilization >= options.saturatedUtilization) {
    evidence.push(`${connections.total} sessions for ${connections.max} usable slots (${Math.round(connections.utilization * 100)} %; ${connections.reserved} more reserved)`);
  }
  const fullRoles = snapshot.limits.roleLimits.filter((role) => role.limit >= 0 && role.current >= role.limit);
  for (const role of fullRoles) evidence.push(`role ${role.role} uses ${role.current} of its CONNECTION LIMIT ${role.limit}`);
  if (snapshot.mysql && snapshot.mysql.maxUserConnections > 0) {
    for (const user of snapshot.byUser.filter((row) => row.count >= snapshot.mysql!.maxUserConnections)) {
      evidence.push(`user ${user.key} has ${user.count} connections, max_user_connections is ${snapshot.mysql.maxUserConnections}`);
    }
  }
  if (evidence.length === 0) return null;
  const top = snapshot.byUser.slice(0, 3).map((row) => `${row.key} ${row.count}`).join(', ');
  if (top) evidence.push(`most connections by user: ${top}`);
  const idle = connections.byState.idle ?? 0;
  const idleInTransaction = (connections.byState['idle in transaction'] ?? 0) + (connections.byState['idle in transaction (aborted)'] ?? 0);
  if (idle + idleInTransaction > 0) evidence.push(`${idle} idle and ${idleInTransaction} idle-in-transaction sessions hold slots`);
  return {
    scenario: 'too-many-connections', title: 'Pool exhausted / too many connections', severity: 'error', evidence, sessionIds: [],
    nextStep: 'Inspect connections per user, terminate idle sessions older than N minutes (preview first), and look for leaked connections in the application; then cap each pool so their sum stays below the limit (or put PgBouncer in front).',
  };
}

function diagnoseIdleInTransaction(snapshot: Snapshot, options: DiagnoseOptions): Diagnosis | null {
  const sessions = snapshot.idleInTransaction.filter((session) => !isOwnSession(session));
  const ageOf = (session: SessionInfo) => session.transactionAgeSeconds ?? session.stateAgeSeconds ?? 0;
  const old = sessions.filter((session) => ageOf(session) >= options.idleInTransactionSeconds);
  if (sessions.length < options.idleInTransactionCount && old.length === 0) return null;
  const oldest = [...sessions].sort((a, b) => ageOf(b) - ageOf(a));
  return {
    scenario: 'idle-in-transaction',
    title: 'Idle-in-transaction pile-up',
    severity: old.length > 0 ? 'error' : 'warning',
    evidence: [
      `${sessions.length} sessions idle in transaction${old.length > 0 ? `, ${old.length} for more than ${formatAge(options.idleInTransactionSeconds)}` : ''}`,
      ...oldest.slice(0, 5).map((session) => `${describeSession(session)} open for ${formatAge(ageOf(session))}: ${queryExcerpt(session.query)}`),
    ],
    nextStep: 'These hold locks and connection slots while doing nothing: find the code path that opens a transaction and then waits or forgets to commit/rollback on errors; terminate the oldest ones if they block others; set idle_in_transaction_session_timeout.',
    sessionIds: oldest.map((session) => session.id),
  };
}

function diagnoseBlockers(snapshot: Snapshot, options: DiagnoseOptions): Diagnosis[] {
  const byId = new Map(snapshot.sessions.map((session) => [session.id, session]));
  const diagnoses: Diagnosis[] = [];
  for (const chain of snapshot.blockingChains) {
    if (chain.waitingIds.length === 0) continue;
    if ((chain.longestWaitSeconds ?? 0) < options.blockedWaitSeconds) continue;
    const root = byId.get(chain.rootId);
    const rootState = root?.state ?? 'unknown state';
    const idleHolder = rootState.startsWith('idle in transaction');
    diagnoses.push({
      scenario: 'long-running-blocker',
      title: 'Long-running blocker',
      severity: 'error',
      evidence: [
        `session ${root ? describeSession(root) : chain.rootId} blocks ${chain.waitingIds.length} session(s) (${chain.waitingIds.join(', ')}), longest wait ${formatAge(chain.longestWaitSeconds)}`,
        `blocker is ${rootState}${root ? ` for ${formatAge(root.stateAgeSeconds)}, transaction open ${formatAge(root.transactionAgeSeconds)}` : ''}: ${queryExcerpt(root?.query ?? null)}`,
      ],
      nextStep: idleHolder
        ? `The blocker is idle in a transaction: nothing to cancel. Terminate session ${chain.rootId} (its transaction rolls back) if its owner cannot commit it, and fix the code that leaves it open.`
        : `Cancel the blocker's query (session ${chain.rootId}) first; terminate only if cancelling does not release the lock.`,
      sessionIds: [chain.rootId, ...chain.waitingIds],
    });
  }
  return diagnoses;
}

/** Every scenario that applies, most urgent first; empty when nothing in the input points at one. */
export function diagnose(input: DiagnoseInput, options: DiagnoseOptions = DEFAULT_DIAGNOSE_OPTIONS): Diagnosis[] {
  const found: Diagnosis[] = [];
  if (input.failure) {
    const fromFailure = diagnoseFailure(input.failure);
    if (fromFailure) found.push(fromFailure);
  }
  if (input.snapshot) {
    const saturation = diagnoseSaturation(input.snapshot, options);
    if (saturation && !found.some((diagnosis) => diagnosis.scenario === 'too-many-connections')) found.push(saturation);
    found.push(...diagnoseBlockers(input.snapshot, options));
    const idle = diagnoseIdleInTransaction(input.snapshot, options);
    if (idle) found.push(idle);
  }
  return found.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

export function formatDiagnoses(diagnoses: readonly Diagnosis[]): string {
  if (diagnoses.length === 0) return 'No runbook scenario applies: connections, idle transactions and locks look normal.';
  return diagnoses
    .map((diagnosis) => [`${diagnosis.severity === 'error' ? 'ERROR' : 'WARN '} ${diagnosis.title} [${diagnosis.scenario}]`, ...diagnosis.evidence.map((line) => `  - ${line}`), `  next: ${diagnosis.nextStep}`].join('\n'))
    .join('\n\n');
}
