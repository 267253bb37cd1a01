/**
 * The runbook in the editor: command-palette commands, confirmations, and the audit output channel.
 * The panel calls the same commands with an argument `{ session }` (a RunbookSession it shows), so
 * every path goes through one confirmation and one audit trail.
 */
import * as vscode from 'vscode';
import { connectionLabel, ConnectionStore, type ResolvedConnection } from '../connections/store';
import { loadDatabaseLayer } from '../panel/db-loader';
import { RUNBOOK_COMMANDS } from './command-ids';
import { loadRunbookLayer } from './runbook-loader';
import type { ConnectionTarget } from '../../db/types';
import type { SessionInfo } from '../../db/types';
import type { ActionKind, RunbookSession } from '../../runbook/index';

const ADMIN_ENABLED_KEY = 'dbhealth.runbook.adminEnabledConnections';
const RUNBOOK_APPLICATION_NAME = 'dbhealth-runbook';

/** What the panel (or a test) may pass to the action commands. */
export interface RunbookCommandArgs {
  readonly connectionId?: string;
  /** The session to act on, as the runbook lists it or as the panel's snapshot shows it. */
  readonly session?: RunbookSession | SessionInfo;
  /** dbhealth's own session ids the caller knows (the panel's monitor), for MySQL servers without performance_schema. */
  readonly ownSessionIds?: readonly string[];
  /** Skip the modal: only for the extension-host tests, which answer the confirmation themselves. */
  readonly confirm?: (message: string, detail: string, choices: readonly string[]) => Thenable<string | undefined>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function registerRunbook(context: vscode.ExtensionContext): void {
  const store = new ConnectionStore(context);
  const report = vscode.window.createOutputChannel('dbhealth runbook');
  const auditChannel = vscode.window.createOutputChannel('dbhealth runbook audit');
  context.subscriptions.push(report, auditChannel);
  const auditFile = vscode.Uri.joinPath(context.globalStorageUri, 'runbook-audit.jsonl').fsPath;

  const adminEnabled = (id: string): boolean => (context.globalState.get<string[]>(ADMIN_ENABLED_KEY) ?? []).includes(id);
  const setAdminEnabled = async (id: string, enabled: boolean): Promise<void> => {
    const current = new Set(context.globalState.get<string[]>(ADMIN_ENABLED_KEY) ?? []);
    if (enabled) current.add(id);
    else current.delete(id);
    await context.globalState.update(ADMIN_ENABLED_KEY, [...current]);
  };

  async function pickConnection(args?: RunbookCommandArgs): Promise<{ connection: ResolvedConnection; target: ConnectionTarget } | undefined> {
    const connection = args?.connectionId ? await store.find(args.connectionId) : await store.active();
    if (!connection) {
      void vscode.window.showWarningMessage('dbhealth: no database connection is configured. Add one with "dbhealth: Add Connection" or DATABASE_URL in .env.');
      return undefined;
    }
    const db = loadDatabaseLayer();
    const target = await store.toTarget(connection, {
      connectTimeoutMs: db.DEFAULT_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: db.DEFAULT_STATEMENT_TIMEOUT_MS,
      applicationName: RUNBOOK_APPLICATION_NAME,
    });
    return { connection, target };
  }

  function auditLog() {
    const runbook = loadRunbookLayer();
    return new runbook.AuditLog([
      new runbook.JsonlAuditFile(auditFile),
      { write: (entry) => auditChannel.appendLine(runbook.formatAuditLine(entry)) },
    ]);
  }

  function show(title: string, text: string): void {
    report.appendLine(`── ${title} (${new Date().toISOString()})`);
    report.appendLine(text);
    report.show(true);
  }

  /** Wraps a command so a failure becomes a clear message, never an exception in the host. */
  function command<A extends unknown[]>(id: string, run: (...args: A) => Promise<unknown>): vscode.Disposable {
    return vscode.commands.registerCommand(id, async (...args: A) => {
      try {
        return await run(...args);
      } catch (error) {
        void vscode.window.showErrorMessage(`dbhealth: ${messageOf(error)}`);
        return undefined;
      }
    });
  }

  async function requireAdmin(connection: ResolvedConnection): Promise<boolean> {
    if (adminEnabled(connection.id)) return true;
    const enable = 'Enable admin actions';
    const answer = await vscode.window.showWarningMessage(
      `Admin actions are disabled for ${connectionLabel(connection)}. The runbook is read-only until you enable them for this connection.`,
      { modal: true },
      enable,
    );
    if (answer !== enable) return false;
    await setAdminEnabled(connection.id, true);
    return true;
  }

  async function pickSession(target: ConnectionTarget, action: ActionKind, ownSessionIds: readonly string[]): Promise<RunbookSession | undefined> {
    const runbook = loadRunbookLayer();
    const inspected = await runbook.inspectSessions(target, { longQuerySeconds: 0, idleMinutes: 0 }, ownSessionIds);
    const sessions = action === 'cancel' ? inspected.longRunning : [...inspected.longRunning, ...inspected.idle];
    if (sessions.length === 0) {
      void vscode.window.showInformationMessage(action === 'cancel' ? 'dbhealth: no query is running.' : 'dbhealth: no session to act on.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      sessions.map((session) => ({
        label: `${session.id}  ${session.user ?? '?'}@${session.client ?? '?'}`,
        description: `${session.state ?? '?'} ${runbook.formatAge(session.stateAgeSeconds)} · ${session.database ?? '?'}`,
        detail: runbook.queryExcerpt(session.query),
        session,
      })),
      { placeHolder: action === 'cancel' ? 'Which query to cancel?' : 'Which session to terminate?', matchOnDetail: true },
    );
    return picked?.session;
  }

  async function act(requested: ActionKind, args?: RunbookCommandArgs): Promise<unknown> {
    const picked = await pickConnection(args);
    if (!picked || !(await requireAdmin(picked.connection))) return undefined;
    const runbook = loadRunbookLayer();
    const ownSessionIds = args?.ownSessionIds ?? [];
    const given = args?.session;
    const session = given ? ('applicationName' in given ? given : runbook.fromSnapshotSession(given)) : await pickSession(picked.target, requested, ownSessionIds);
    if (!session) return undefined;
    const engine = picked.target.engine === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL';
    const confirm = args?.confirm ?? ((message, detail, choices) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...choices));
    // Cancel is offered before terminate whenever a query is running.
    const running = session.state === 'active' || session.state === 'Query';
    const cancelChoice = 'Cancel query';
    const terminateChoice = 'Terminate session';
    const choices = requested === 'cancel' ? [cancelChoice] : running ? [cancelChoice, terminateChoice] : [terminateChoice];
    const answer = await confirm(
      requested === 'cancel' ? 'Cancel this query?' : running ? 'This session is running a query. Cancel the query, or end the whole session?' : 'Terminate this session?',
      runbook.describeForConfirmation(requested === 'cancel' || !running ? requested : 'terminate', session, engine),
      choices,
    );
    if (answer !== cancelChoice && answer !== terminateChoice) return undefined;
    const action: ActionKind = answer === cancelChoice ? 'cancel' : 'terminate';
    const context = { target: picked.target, adminEnabled: true, audit: auditLog(), ownSessionIds };
    const result = await (action === 'cancel' ? runbook.cancelQuery(context, session) : runbook.terminateSession(context, session));
    auditChannel.show(true);
    if (result.outcome === 'done') void vscode.window.showInformationMessage(`dbhealth: ${result.message}`);
    else if (result.outcome === 'refused') void vscode.window.showWarningMessage(`dbhealth: not done — ${result.message}`);
    // The server's own error, verbatim.
    else void vscode.window.showErrorMessage(`dbhealth: the server refused: ${result.message}`);
    return result;
  }

  context.subscriptions.push(
    command(RUNBOOK_COMMANDS.checkConnectivity.id, async (args?: RunbookCommandArgs) => {
      const picked = await pickConnection(args);
      if (!picked) return undefined;
      const runbook = loadRunbookLayer();
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'dbhealth: checking connectivity…' }, () => runbook.checkConnectivity(picked.target));
      show('Connectivity check', runbook.formatConnectivityReport(result));
      return result;
    }),
    command(RUNBOOK_COMMANDS.probeNetwork.id, async (args?: RunbookCommandArgs) => {
      const picked = await pickConnection(args);
      if (!picked) return undefined;
      const runbook = loadRunbookLayer();
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'dbhealth: probing the network…' }, () => runbook.probeNetwork(picked.target));
      show('Network stability probe', runbook.formatProbeReport(result));
      return result;
    }),
    command(RUNBOOK_COMMANDS.inspect.id, async (args?: RunbookCommandArgs) => {
      const picked = await pickConnection(args);
      if (!picked) return undefined;
      const runbook = loadRunbookLayer();
      const result = await runbook.inspectSessions(picked.target, { longQuerySeconds: 30, idleMinutes: 10 });
      const line = (session: RunbookSession) => `  ${session.id} ${session.user ?? '?'}@${session.client ?? '?'} ${session.state ?? '?'} ${runbook.formatAge(session.stateAgeSeconds)}: ${runbook.queryExcerpt(session.query)}`;
      show('Inspect', [
        `Long-running queries (> 30 s): ${result.longRunning.length}`, ...result.longRunning.map(line),
        `Idle sessions (> 10 min): ${result.idle.length}`, ...result.idle.map(line),
        'Connections per user:', ...result.perUser.map((row) => `  ${row.user}: ${row.count}${row.limit !== null ? ` of ${row.limit}` : ''}`),
        'Limits and timeouts:', ...Object.entries(result.limits).map(([name, value]) => `  ${name} = ${value}`),
        ...result.notes.map((note) => `Note: ${note}`),
      ].join('\n'));
      return result;
    }),
    command(RUNBOOK_COMMANDS.cancelQuery.id, (args?: RunbookCommandArgs) => act('cancel', args)),
    command(RUNBOOK_COMMANDS.terminateSession.id, (args?: RunbookCommandArgs) => act('terminate', args)),
    command(RUNBOOK_COMMANDS.terminateIdleSessions.id, async (args?: RunbookCommandArgs & { minutes?: number }) => {
      const picked = await pickConnection(args);
      if (!picked || !(await requireAdmin(picked.connection))) return undefined;
      const runbook = loadRunbookLayer();
      const minutesText = args?.minutes !== undefined ? String(args.minutes) : await vscode.window.showInputBox({ prompt: 'Terminate sessions idle for more than how many minutes?', value: '10', validateInput: (value) => (Number(value) >= 0 ? undefined : 'a number of minutes') });
      if (minutesText === undefined) return undefined;
      const minutes = Number(minutesText);
      const preview = await runbook.previewIdleSessions(picked.target, minutes);
      if (preview.length === 0) {
        void vscode.window.showInformationMessage(`dbhealth: no session is idle for more than ${minutes} min.`);
        return [];
      }
      const engine = picked.target.engine === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL';
      const chosen = await vscode.window.showQuickPick(
        preview.map((session) => ({ label: runbook.describeForConfirmation('terminate', session, engine), picked: true, session })),
        { canPickMany: true, placeHolder: `${preview.length} session(s) idle for more than ${minutes} min — untick any to keep` },
      );
      if (!chosen || chosen.length === 0) return undefined;
      const approve = `Terminate ${chosen.length} session(s)`;
      const answer = await vscode.window.showWarningMessage(`Terminate exactly these ${chosen.length} session(s)? Each is re-checked first.`, { modal: true, detail: chosen.map((item) => item.label).join('\n') }, approve);
      if (answer !== approve) return undefined;
      const results = await runbook.terminateIdleSessions({ target: picked.target, adminEnabled: true, audit: auditLog() }, chosen.map((item) => item.session), minutes);
      auditChannel.show(true);
      const done = results.filter((result) => result.outcome === 'done').length;
      void vscode.window.showInformationMessage(`dbhealth: ${done} of ${results.length} session(s) terminated; see the audit channel for each result.`);
      return results;
    }),
    command(RUNBOOK_COMMANDS.diagnose.id, async (args?: RunbookCommandArgs) => {
      const picked = await pickConnection(args);
      if (!picked) return undefined;
      const runbook = loadRunbookLayer();
      const db = loadDatabaseLayer();
      const collector = db.createCollector({ ...picked.target, applicationName: 'dbhealth-diagnose' });
      let diagnoses;
      try {
        await collector.connect();
        diagnoses = runbook.diagnose({ snapshot: await collector.collect(db.DEFAULT_THRESHOLDS) });
      } catch (error) {
        diagnoses = runbook.diagnose({ failure: db.classifyError(error, db.describeTarget(picked.target)).toFailure() });
      } finally {
        await collector.close();
      }
      show('Diagnosis', runbook.formatDiagnoses(diagnoses));
      return diagnoses;
    }),
    command(RUNBOOK_COMMANDS.explainError.id, async (text?: string) => {
      const editor = vscode.window.activeTextEditor;
      const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
      const input = typeof text === 'string' ? text : selected ?? (await vscode.window.showInputBox({ prompt: 'Paste a database error (driver message, SQLSTATE or MySQL error number)', ignoreFocusOut: true }));
      if (!input) return undefined;
      const runbook = loadRunbookLayer();
      const explanation = runbook.explainError(input);
      show('Explain error', `${input.trim()}\n\n${runbook.formatExplanation(explanation)}`);
      return explanation;
    }),
    command(RUNBOOK_COMMANDS.enableAdminActions.id, async (args?: RunbookCommandArgs) => {
      const connection = args?.connectionId ? await store.find(args.connectionId) : await store.active();
      if (!connection) return undefined;
      await setAdminEnabled(connection.id, true);
      void vscode.window.showInformationMessage(`dbhealth: admin actions enabled for ${connectionLabel(connection)}.`);
      return true;
    }),
    command(RUNBOOK_COMMANDS.disableAdminActions.id, async (args?: RunbookCommandArgs) => {
      const connection = args?.connectionId ? await store.find(args.connectionId) : await store.active();
      if (!connection) return undefined;
      await setAdminEnabled(connection.id, false);
      void vscode.window.showInformationMessage(`dbhealth: the runbook is read-only again for ${connectionLabel(connection)}.`);
      return false;
    }),
  );
}
