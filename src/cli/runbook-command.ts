/**
 * `dbhealth runbook <action> [options]` — the runbook from a terminal.
 * Exit codes: 0 healthy / done, 1 a problem found or an action refused or failed, 2 usage errors.
 * Actions that end sessions need both `--admin` (admin actions are off unless asked for) and `--yes`
 * (without it the exact confirmation text is printed and nothing is done).
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { choiceOption, parseArgs, singleOption, UsageError, type ParsedArgs } from './args';
import type { CliIO } from './main';
import type { ConnectionTarget } from '../db/index';

type DatabaseLayer = typeof import('../db/index');
type RunbookLayer = typeof import('../runbook/index');

const FORMATS = ['text', 'json'] as const;

export const RUNBOOK_USAGE = `Usage: dbhealth runbook <action> [--url URL] [options]
  check                          DNS, TCP, TLS, authentication and SELECT 1, each timed
  probe [--count N] [--interval-ms MS]   repeated TCP connects: p50/p95 latency, jitter, failures
  inspect [--long-seconds S] [--idle-minutes M]   long queries, idle sessions, per-user counts, limits
  cancel <id> [--backend-start ISO] --admin [--yes]      cancel the running query (MySQL: KILL QUERY)
  terminate <id> [--backend-start ISO] --admin [--yes]   end the session (MySQL: KILL)
  terminate-idle --minutes M [--ids 1,2,...] --admin [--yes]   preview, then end exactly those ids
  diagnose                       name the runbook scenario from a live snapshot
  explain [error text...]        explain a database error (reads stdin when no text is given)
Common: --url (or DATABASE_URL), --format text|json, --audit-file FILE
(default ~/.dbhealth/runbook-audit.jsonl). PostgreSQL sessions need --backend-start (from inspect).`;

const VALUED = ['url', 'format', 'count', 'interval-ms', 'long-seconds', 'idle-minutes', 'backend-start', 'minutes', 'ids', 'audit-file'];
const BOOLEANS = ['admin', 'yes', 'help'];

function numberOption(args: ParsedArgs, name: string, fallback: number, min: number): number {
  const text = singleOption(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new UsageError(`--${name} must be a number ≥ ${min} (got "${text}")`);
  return value;
}

async function readTarget(args: ParsedArgs, io: CliIO): Promise<{ db: DatabaseLayer; target: ConnectionTarget }> {
  const url = singleOption(args, 'url') ?? io.env.DATABASE_URL;
  if (!url) throw new UsageError('this runbook action needs --url (or DATABASE_URL in the environment)');
  const db: DatabaseLayer = await import('../db/index');
  try {
    return { db, target: db.parseConnectionUrl(url) };
  } catch (error) {
    if (error instanceof db.TargetConfigError) throw new UsageError(error.message);
    throw error;
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function print(io: CliIO, json: boolean, value: unknown, text: string): void {
  io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

export async function runRunbookCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === 'help') {
    io.stdout(`${RUNBOOK_USAGE}\n`);
    return action === undefined ? 2 : 0;
  }
  const args = parseArgs(rest, VALUED, BOOLEANS);
  const json = choiceOption(args, 'format', FORMATS, 'text') === 'json';
  const runbook: RunbookLayer = await import('../runbook/index');

  if (action === 'explain') {
    const text = args.positionals.length > 0 ? args.positionals.join(' ') : await readStdin();
    if (!text.trim()) throw new UsageError('explain needs the error text (as arguments or on stdin)');
    const explanation = runbook.explainError(text);
    print(io, json, explanation, runbook.formatExplanation(explanation));
    return explanation.recognised ? 0 : 1;
  }

  const { db, target } = await readTarget(args, io);
  switch (action) {
    case 'check': {
      const report = await runbook.checkConnectivity(target);
      print(io, json, report, runbook.formatConnectivityReport(report));
      return report.ok ? 0 : 1;
    }
    case 'probe': {
      const report = await runbook.probeNetwork(target, {
        attempts: Math.round(numberOption(args, 'count', runbook.DEFAULT_PROBE_OPTIONS.attempts, 1)),
        intervalMs: numberOption(args, 'interval-ms', runbook.DEFAULT_PROBE_OPTIONS.intervalMs, 0),
        timeoutMs: Math.min(target.connectTimeoutMs, runbook.DEFAULT_PROBE_OPTIONS.timeoutMs),
      });
      print(io, json, report, runbook.formatProbeReport(report));
      return report.failures === 0 ? 0 : 1;
    }
    case 'inspect': {
      const report = await runbook.inspectSessions(target, {
        longQuerySeconds: numberOption(args, 'long-seconds', 30, 0),
        idleMinutes: numberOption(args, 'idle-minutes', 10, 0),
      });
      print(io, json, report, formatInspect(runbook, report));
      return 0;
    }
    case 'diagnose': {
      const collector = db.createCollector(target);
      let diagnoses;
      try {
        await collector.connect();
        diagnoses = runbook.diagnose({ snapshot: await collector.collect(db.DEFAULT_THRESHOLDS) });
      } catch (error) {
        diagnoses = runbook.diagnose({ failure: db.classifyError(error, db.describeTarget(target)).toFailure() });
      } finally {
        await collector.close();
      }
      print(io, json, diagnoses, runbook.formatDiagnoses(diagnoses));
      return diagnoses.some((diagnosis) => diagnosis.severity === 'error') ? 1 : 0;
    }
    case 'cancel':
    case 'terminate':
      return actOnOne(runbook, db, target, action, args, io, json);
    case 'terminate-idle':
      return terminateIdle(runbook, db, target, args, io, json);
    default:
      throw new UsageError(`unknown runbook action "${action}"\n${RUNBOOK_USAGE}`);
  }
}

function auditLog(runbook: RunbookLayer, args: ParsedArgs, io: CliIO) {
  const file = singleOption(args, 'audit-file') ?? path.join(homedir(), '.dbhealth', 'runbook-audit.jsonl');
  return new runbook.AuditLog([new runbook.JsonlAuditFile(file), { write: (entry) => io.stderr(`audit: ${runbook.formatAuditLine(entry)}\n`) }]);
}

function engineLabel(target: ConnectionTarget): string {
  return target.engine === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL';
}

async function actOnOne(runbook: RunbookLayer, db: DatabaseLayer, target: ConnectionTarget, action: 'cancel' | 'terminate', args: ParsedArgs, io: CliIO, json: boolean): Promise<number> {
  const [id, extra] = args.positionals;
  if (!id || extra !== undefined) throw new UsageError(`${action} needs exactly one session id`);
  const backendStart = singleOption(args, 'backend-start');
  if (target.engine === 'postgres' && !backendStart) throw new UsageError('PostgreSQL pids are reused: give --backend-start as printed by "dbhealth runbook inspect"');
  const current = await runbook.lookupSession(target, id);
  if (!current) {
    io.stderr(`dbhealth: session ${id} is not an actionable session on ${db.describeTarget(target)} (gone, a background process, or dbhealth's own)\n`);
    return 1;
  }
  // The user's backend_start pins the session they looked at; the action re-validates it on the server.
  const session = backendStart ? { ...current, backendStart } : current;
  const confirmation = runbook.describeForConfirmation(action, session, engineLabel(target));
  if (!args.flags.has('admin') || !args.flags.has('yes')) {
    io.stdout(`${confirmation}\nNothing done: re-run with --admin --yes to ${action === 'cancel' ? 'cancel it' : 'end it'}.\n`);
    if (action === 'terminate' && current.state === 'active') io.stdout('The session is running a query: consider "cancel" first.\n');
    return 1;
  }
  const result = await (action === 'cancel' ? runbook.cancelQuery : runbook.terminateSession)({ target, adminEnabled: true, audit: auditLog(runbook, args, io) }, session);
  print(io, json, result, `${confirmation}\n${result.outcome}: ${result.message}`);
  return result.outcome === 'done' ? 0 : 1;
}

async function terminateIdle(runbook: RunbookLayer, db: DatabaseLayer, target: ConnectionTarget, args: ParsedArgs, io: CliIO, json: boolean): Promise<number> {
  const minutesText = singleOption(args, 'minutes');
  if (minutesText === undefined) throw new UsageError('terminate-idle needs --minutes');
  const minutes = numberOption(args, 'minutes', 10, 0);
  const preview = await runbook.previewIdleSessions(target, minutes);
  const idsText = singleOption(args, 'ids');
  const lines = preview.map((session) => `  ${runbook.describeForConfirmation('terminate', session, engineLabel(target))}${session.backendStart ? ` [backend_start ${session.backendStart}]` : ''}`);
  if (idsText === undefined || !args.flags.has('admin') || !args.flags.has('yes')) {
    const text = `${preview.length} session(s) idle for more than ${minutes} min on ${db.describeTarget(target)}:\n${lines.join('\n')}\nNothing done: re-run with --ids <the ids you approve> --admin --yes.`;
    print(io, json, preview, text);
    return preview.length > 0 ? 1 : 0;
  }
  const approved = new Set(idsText.split(',').map((id) => id.trim()).filter(Boolean));
  const chosen = preview.filter((session) => approved.has(session.id));
  const missing = [...approved].filter((id) => !chosen.some((session) => session.id === id));
  for (const id of missing) io.stderr(`dbhealth: session ${id} is not in the idle preview any more; skipped\n`);
  const results = await runbook.terminateIdleSessions({ target, adminEnabled: true, audit: auditLog(runbook, args, io) }, chosen, minutes);
  print(io, json, results, results.map((result) => `${result.sessionId}: ${result.outcome} — ${result.message}`).join('\n') || 'nothing to do');
  return results.every((result) => result.outcome === 'done') && missing.length === 0 ? 0 : 1;
}

function formatInspect(runbook: RunbookLayer, report: import('../runbook/index').InspectReport): string {
  const describe = (session: import('../runbook/index').RunbookSession) =>
    `  ${session.id}${session.backendStart ? ` [${session.backendStart}]` : ''} ${session.user ?? '?'}@${session.client ?? '?'} db=${session.database ?? '?'} ${session.state ?? '?'} ${runbook.formatAge(session.stateAgeSeconds)}: ${runbook.queryExcerpt(session.query)}`;
  const lines = [`Inspect: ${report.connection}`, `Long-running queries (${report.longRunning.length}):`, ...report.longRunning.map(describe), `Idle sessions (${report.idle.length}):`, ...report.idle.map(describe), 'Connections per user:'];
  for (const row of report.perUser) lines.push(`  ${row.user}: ${row.count}${row.limit !== null ? ` of ${row.limit}` : report.serverPerUserLimit !== null ? ` of ${report.serverPerUserLimit} (server-wide max_user_connections)` : ''}`);
  lines.push('Limits and timeouts:', ...Object.entries(report.limits).map(([name, value]) => `  ${name} = ${value}`));
  lines.push(...report.notes.map((note) => `Note: ${note}`));
  return lines.join('\n');
}
