/** The runbook's view of a session it may list, and what an action reports. */
import type { SessionInfo } from '../db/types';

export interface RunbookSession {
  /** PostgreSQL pid / MySQL processlist id. */
  readonly id: string;
  /** PostgreSQL backend_start (ISO, microseconds, UTC); null on MySQL. */
  readonly backendStart: string | null;
  readonly user: string | null;
  /** `host:port`, `host`, or `local` for a Unix socket. */
  readonly client: string | null;
  readonly database: string | null;
  readonly applicationName: string | null;
  /** PostgreSQL state (`active`, `idle in transaction`, …) or MySQL COMMAND (`Query`, `Sleep`, …). */
  readonly state: string | null;
  /** Seconds in the current state (PostgreSQL now − state_change; MySQL TIME). */
  readonly stateAgeSeconds: number | null;
  /** Seconds the current/last query has been running (PostgreSQL now − query_start). */
  readonly queryAgeSeconds: number | null;
  readonly query: string | null;
}

/** A session as the panel's snapshot shows it, in the runbook's shape (the panel passes these to the commands). */
export function fromSnapshotSession(session: SessionInfo): RunbookSession {
  return {
    id: session.id,
    backendStart: session.backendStart,
    user: session.user,
    client: session.client,
    database: session.database,
    applicationName: session.application,
    state: session.state,
    stateAgeSeconds: session.stateAgeSeconds,
    queryAgeSeconds: session.queryAgeSeconds,
    query: session.query,
  };
}

export type ActionKind = 'cancel' | 'terminate';

export type ActionOutcome =
  /** The server accepted the signal / KILL. */
  | 'done'
  /** dbhealth refused before asking the server (admin disabled, target changed, protected session). */
  | 'refused'
  /** The server said no or errored; `message` is its text, verbatim. */
  | 'failed';

export interface ActionResult {
  readonly outcome: ActionOutcome;
  readonly action: ActionKind;
  readonly sessionId: string;
  readonly message: string;
}

/** Thrown for a refused action where a caller expects an exception; carries the reason text. */
export class ActionRefusedError extends Error {}

const EXCERPT_LENGTH = 120;

export function queryExcerpt(query: string | null): string {
  if (!query) return '(no query text)';
  const flattened = query.replace(/\s+/g, ' ').trim();
  return flattened.length > EXCERPT_LENGTH ? `${flattened.slice(0, EXCERPT_LENGTH - 1)}…` : flattened;
}

export function formatAge(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'unknown age';
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${rest}s`;
  return `${rest}s`;
}

/**
 * The confirmation sentence: names exactly what will end (id, user@client, database, state and its
 * age, query excerpt), so a person approves this session and not "some session".
 */
export function describeForConfirmation(action: ActionKind, session: RunbookSession, engineLabel: string): string {
  const verb = action === 'cancel' ? `Cancel the running query of ${engineLabel} session` : `Terminate ${engineLabel} session`;
  const who = `${session.user ?? '?'}@${session.client ?? '?'}`;
  const state = `${session.state ?? 'unknown state'} for ${formatAge(session.stateAgeSeconds)}`;
  return `${verb} ${session.id} (${who}, database ${session.database ?? '?'}, ${state}): ${queryExcerpt(session.query)}`;
}
