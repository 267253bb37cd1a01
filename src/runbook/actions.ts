/**
 * The runbook's public API: inspect, cancel/terminate one session, and terminate idle sessions in
 * bulk (preview, then exactly that list). The panel, the command palette and the CLI all call these.
 *
 * Safety, enforced here rather than in each caller:
 * - read-only unless `adminEnabled` is set for this connection (refused and audited otherwise);
 * - targets re-validated at execution (PostgreSQL: pid AND backend_start in the signalling
 *   statement itself; MySQL: the processlist row re-read right before KILL);
 * - never dbhealth's own sessions, never server background processes;
 * - ids as parameters; the server decides privileges and its error is returned verbatim;
 * - every attempt (done, refused, failed) goes to the audit log.
 */
import type { Client } from 'pg';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { describeTarget } from '../db/target';
import type { ConnectionTarget } from '../db/types';
import type { AuditLog } from './audit';
import { openRunbookMysql, openRunbookPostgres } from './connections';
import * as mysqlSql from './mysql';
import * as pgSql from './postgres';
import type { ActionKind, ActionResult, RunbookSession } from './session';

export interface RunbookContext {
  readonly target: ConnectionTarget;
  /** Admin actions enabled by the user for this connection. */
  readonly adminEnabled: boolean;
  readonly audit: AuditLog;
  /** MySQL: ids of dbhealth sessions known to the caller (the monitor), for servers without performance_schema. */
  readonly ownSessionIds?: readonly string[];
}

export interface InspectOptions {
  readonly longQuerySeconds: number;
  readonly idleMinutes: number;
}

export interface UserConnections {
  readonly user: string;
  readonly count: number;
  /** The role's / account's own limit; null when unlimited or unknown. */
  readonly limit: number | null;
}

export interface InspectReport {
  readonly connection: string;
  readonly longRunning: readonly RunbookSession[];
  readonly idle: readonly RunbookSession[];
  readonly perUser: readonly UserConnections[];
  /** Server-wide per-user cap (MySQL max_user_connections), null when none. */
  readonly serverPerUserLimit: number | null;
  readonly limits: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function withPostgres<T>(target: ConnectionTarget, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await openRunbookPostgres(target);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withMysql<T>(target: ConnectionTarget, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await openRunbookMysql(target);
  try {
    return await work(connection);
  } finally {
    await connection.end().catch(() => undefined);
  }
}

function requireSqlEngine(target: ConnectionTarget): 'postgres' | 'mysql' {
  if (target.engine === 'pgbouncer') throw new Error('runbook session actions need a PostgreSQL or MySQL/MariaDB connection, not the PgBouncer console');
  return target.engine;
}

async function mysqlExcluded(connection: Connection, context: { ownSessionIds?: readonly string[] }): Promise<Set<string>> {
  const own = await mysqlSql.ownMysqlSessionIds(connection);
  for (const id of context.ownSessionIds ?? []) own.add(id);
  return own;
}

export async function inspectSessions(target: ConnectionTarget, options: InspectOptions, ownSessionIds: readonly string[] = []): Promise<InspectReport> {
  const connection = describeTarget(target);
  if (requireSqlEngine(target) === 'postgres') {
    return withPostgres(target, async (client) => {
      const longRunning = await pgSql.listPostgresSessions(client, pgSql.PG_LONG_RUNNING, [options.longQuerySeconds]);
      const idle = await pgSql.listPostgresSessions(client, pgSql.PG_IDLE_OLDER_THAN, [options.idleMinutes * 60, pgSql.PG_IDLE_STATES]);
      const perUser = await client.query<{ user: string | null; count: number; limit: number | null }>(pgSql.PG_CONNECTIONS_PER_USER);
      const limits = await client.query<{ name: string; value: string }>(pgSql.PG_LIMITS, [pgSql.PG_LIMIT_SETTINGS]);
      const notes: string[] = [];
      if (perUser.rows.some((row) => row.user === null)) notes.push('Some sessions are hidden from this role (no pg_read_all_stats): their user is unknown.');
      return {
        connection,
        longRunning,
        idle,
        perUser: perUser.rows.map((row) => ({ user: row.user ?? '(hidden)', count: row.count, limit: row.limit === null || row.limit < 0 ? null : row.limit })),
        serverPerUserLimit: null,
        limits: Object.fromEntries(limits.rows.map((row) => [row.name, row.value])),
        notes,
      };
    });
  }
  return withMysql(target, async (db) => {
    const excluded = await mysqlExcluded(db, { ownSessionIds });
    const longRunning = await mysqlSql.listMysqlSessions(db, mysqlSql.MYSQL_LONG_RUNNING, [options.longQuerySeconds], excluded);
    const idle = await mysqlSql.listMysqlSessions(db, mysqlSql.MYSQL_IDLE_OLDER_THAN, [options.idleMinutes * 60], excluded);
    const [perUserRows] = await db.query<(RowDataPacket & { user: string; count: number })[]>(mysqlSql.MYSQL_CONNECTIONS_PER_USER, [...mysqlSql.MYSQL_ACTIONABLE_VALUES]);
    const [limitRows] = await db.query<(RowDataPacket & { Variable_name: string; Value: string })[]>(mysqlSql.MYSQL_LIMITS, [mysqlSql.MYSQL_LIMIT_VARIABLES]);
    const limits = Object.fromEntries(limitRows.map((row) => [row.Variable_name, row.Value]));
    const notes: string[] = [];
    const accountLimits = new Map<string, number>();
    try {
      const [rows] = await db.query<(RowDataPacket & { user: string; lim: number })[]>(mysqlSql.MYSQL_ACCOUNT_LIMITS);
      for (const row of rows) if (Number(row.lim) > 0) accountLimits.set(row.user, Math.max(accountLimits.get(row.user) ?? 0, Number(row.lim)));
    } catch (error) {
      notes.push(`Per-account limits not shown: ${messageOf(error)}`);
    }
    if (excluded.size === 0) notes.push('performance_schema is off: dbhealth can only exclude its own sessions it knows by id.');
    const serverPerUser = Number(limits.max_user_connections ?? 0);
    return {
      connection,
      longRunning,
      idle,
      perUser: perUserRows.map((row) => ({ user: row.user, count: Number(row.count), limit: accountLimits.get(row.user) ?? null })),
      serverPerUserLimit: serverPerUser > 0 ? serverPerUser : null,
      limits,
      notes,
    };
  });
}

/**
 * The current row of one actionable session (null when gone, protected or a background process),
 * so a caller that knows only an id can show the confirmation text.
 */
export async function lookupSession(target: ConnectionTarget, id: string, ownSessionIds: readonly string[] = []): Promise<RunbookSession | null> {
  if (requireSqlEngine(target) === 'postgres') {
    const pid = Number(id);
    if (!Number.isSafeInteger(pid) || pid <= 0) return null;
    return withPostgres(target, async (client) => (await pgSql.listPostgresSessions(client, pgSql.PG_SESSION_BY_PID, [pid]))[0] ?? null);
  }
  const threadId = mysqlSql.parseThreadId(id);
  if (threadId === null) return null;
  return withMysql(target, async (db) => {
    const excluded = await mysqlExcluded(db, { ownSessionIds });
    const session = await mysqlSql.readMysqlSession(db, threadId);
    return session && !excluded.has(session.id) && !mysqlSql.isBackgroundMysqlSession(session) ? session : null;
  });
}

/** Candidates for the bulk action, to show before anything is ended. */
export async function previewIdleSessions(target: ConnectionTarget, idleMinutes: number, ownSessionIds: readonly string[] = []): Promise<RunbookSession[]> {
  if (requireSqlEngine(target) === 'postgres') {
    return withPostgres(target, (client) => pgSql.listPostgresSessions(client, pgSql.PG_IDLE_OLDER_THAN, [idleMinutes * 60, pgSql.PG_IDLE_STATES]));
  }
  return withMysql(target, async (db) => mysqlSql.listMysqlSessions(db, mysqlSql.MYSQL_IDLE_OLDER_THAN, [idleMinutes * 60], await mysqlExcluded(db, { ownSessionIds })));
}

async function audited(context: RunbookContext, session: Pick<RunbookSession, 'id'> & Partial<RunbookSession>, result: ActionResult): Promise<ActionResult> {
  await context.audit.record({
    connection: describeTarget(context.target),
    action: result.action,
    target: { id: session.id, backendStart: session.backendStart ?? null, user: session.user ?? null, client: session.client ?? null, database: session.database ?? null },
    result: result.outcome,
    message: result.message,
  });
  return result;
}

function refusedIfReadOnly(context: RunbookContext, action: ActionKind, sessionId: string): ActionResult | null {
  if (context.adminEnabled) return null;
  return { outcome: 'refused', action, sessionId, message: `admin actions are disabled for ${describeTarget(context.target)}; enable them for this connection first` };
}

async function signalPostgres(client: Client, action: ActionKind, session: RunbookSession, statement: string, values: unknown[]): Promise<ActionResult> {
  const pid = Number(session.id);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !session.backendStart) {
    return { outcome: 'refused', action, sessionId: session.id, message: 'a PostgreSQL session is identified by a numeric pid and its backend_start; one is missing' };
  }
  try {
    const result = await client.query<{ signalled: boolean }>(statement, [pid, session.backendStart, ...values]);
    const row = result.rows[0];
    if (!row) return { outcome: 'refused', action, sessionId: session.id, message: await pgSql.explainNotActionable(client, pid, session.backendStart) };
    if (!row.signalled) return { outcome: 'failed', action, sessionId: session.id, message: `the server did not signal pid ${pid} (it may have just ended)` };
    const what = action === 'cancel' ? 'cancel request sent to' : 'terminated';
    return { outcome: 'done', action, sessionId: session.id, message: `${what} session ${pid}` };
  } catch (error) {
    return { outcome: 'failed', action, sessionId: session.id, message: messageOf(error) };
  }
}

function sameMysqlConnection(expected: RunbookSession, current: RunbookSession | null): string | null {
  if (!current) return `session ${expected.id} no longer exists`;
  if (current.user !== expected.user || current.client !== expected.client) {
    return `session ${expected.id} is now ${current.user ?? '?'}@${current.client ?? '?'}, not ${expected.user ?? '?'}@${expected.client ?? '?'}: nothing was done`;
  }
  if (mysqlSql.isBackgroundMysqlSession(current)) return `session ${expected.id} is a server background thread`;
  return null;
}

async function killMysql(db: Connection, context: RunbookContext, action: ActionKind, session: RunbookSession, stillWanted?: (current: RunbookSession) => string | null): Promise<ActionResult> {
  const threadId = mysqlSql.parseThreadId(session.id);
  if (threadId === null) return { outcome: 'refused', action, sessionId: session.id, message: `"${session.id}" is not a MySQL thread id` };
  try {
    const excluded = await mysqlExcluded(db, context);
    const [[self]] = await db.query<(RowDataPacket & { id: number })[]>('SELECT CONNECTION_ID() AS id');
    if (excluded.has(session.id) || Number(self.id) === threadId) {
      return { outcome: 'refused', action, sessionId: session.id, message: `session ${session.id} is one of dbhealth's own sessions and is never ended` };
    }
    const current = await mysqlSql.readMysqlSession(db, threadId);
    const mismatch = sameMysqlConnection(session, current) ?? (current && stillWanted ? stillWanted(current) : null);
    if (mismatch) return { outcome: 'refused', action, sessionId: session.id, message: mismatch };
    // Client-side placeholder: renders the validated integer as digits (see the comment in mysql.ts).
    await db.query(action === 'cancel' ? 'KILL QUERY ?' : 'KILL ?', [threadId]);
    return { outcome: 'done', action, sessionId: session.id, message: action === 'cancel' ? `KILL QUERY ${threadId} accepted` : `KILL ${threadId} accepted` };
  } catch (error) {
    return { outcome: 'failed', action, sessionId: session.id, message: messageOf(error) };
  }
}

async function actOnSession(context: RunbookContext, action: ActionKind, session: RunbookSession): Promise<ActionResult> {
  const refused = refusedIfReadOnly(context, action, session.id);
  if (refused) return audited(context, session, refused);
  let result: ActionResult;
  try {
    if (requireSqlEngine(context.target) === 'postgres') {
      result = await withPostgres(context.target, (client) => signalPostgres(client, action, session, action === 'cancel' ? pgSql.PG_CANCEL : pgSql.PG_TERMINATE, []));
    } else {
      result = await withMysql(context.target, (db) => killMysql(db, context, action, session));
    }
  } catch (error) {
    result = { outcome: 'failed', action, sessionId: session.id, message: messageOf(error) };
  }
  return audited(context, session, result);
}

/** Cancels the running statement; the session and its transaction stay (PostgreSQL) / transaction stays (MySQL KILL QUERY). */
export function cancelQuery(context: RunbookContext, session: RunbookSession): Promise<ActionResult> {
  return actOnSession(context, 'cancel', session);
}

/** Ends the session (its open transaction rolls back). Offer cancelQuery first for an active query. */
export function terminateSession(context: RunbookContext, session: RunbookSession): Promise<ActionResult> {
  return actOnSession(context, 'terminate', session);
}

/**
 * Terminates exactly the previewed sessions, each re-validated at execution: same identity, still
 * idle, still older than the threshold. Sessions not in the preview are never touched.
 */
export async function terminateIdleSessions(context: RunbookContext, preview: readonly RunbookSession[], idleMinutes: number): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  if (!context.adminEnabled) {
    for (const session of preview) results.push(await audited(context, session, refusedIfReadOnly(context, 'terminate', session.id)!));
    return results;
  }
  const seconds = idleMinutes * 60;
  const run = async (each: (session: RunbookSession) => Promise<ActionResult>) => {
    for (const session of preview) results.push(await audited(context, session, await each(session)));
  };
  try {
    if (requireSqlEngine(context.target) === 'postgres') {
      await withPostgres(context.target, (client) => run((session) => signalPostgres(client, 'terminate', session, pgSql.PG_TERMINATE_IF_STILL_IDLE, [seconds, pgSql.PG_IDLE_STATES])));
    } else {
      await withMysql(context.target, (db) =>
        run((session) =>
          killMysql(db, context, 'terminate', session, (current) =>
            current.state !== 'Sleep' || (current.stateAgeSeconds ?? 0) < seconds ? `session ${session.id} is no longer idle for ${idleMinutes} min (now ${current.state}, ${current.stateAgeSeconds ?? '?'} s)` : null,
          ),
        ),
      );
    }
  } catch (error) {
    const done = new Set(results.map((result) => result.sessionId));
    for (const session of preview.filter((candidate) => !done.has(candidate.id))) {
      results.push(await audited(context, session, { outcome: 'failed', action: 'terminate', sessionId: session.id, message: messageOf(error) }));
    }
  }
  return results;
}
