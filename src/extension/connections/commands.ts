// Connection commands: add, edit, remove, test, choose. Each works interactively from the command
// palette, and also takes its answers as an argument (scripts, keybindings and tests), so the
// same code path stores fields in settings and the password in SecretStorage either way.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { parseConnectionUrl, TargetConfigError } from '../../db/target';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_PORTS, DEFAULT_STATEMENT_TIMEOUT_MS, MONITOR_APPLICATION_NAME, type Engine, type TlsMode } from '../../db/types';
import { PANEL_COMMANDS } from '../panel/contract';
import { loadDatabaseLayer } from '../panel/db-loader';
import { connectionLabel, ENGINES, TLS_MODES, type ConnectionStore, type ResolvedConnection, type StoredConnection } from './store';
import { describeTestResult, testConnection, type ConnectionTestResult } from './test-connection';

const CONNECTION_COMMANDS = {
  add: PANEL_COMMANDS.addConnection,
  edit: PANEL_COMMANDS.editConnection,
  remove: PANEL_COMMANDS.removeConnection,
  test: PANEL_COMMANDS.testConnection,
  select: PANEL_COMMANDS.selectConnection,
} as const;

/** Answers to the add/edit prompts, given as a command argument. */
export type ConnectionFields = Partial<Omit<StoredConnection, 'id'>> & { password?: string; url?: string };

const ENGINE_LABELS: Record<Engine, string> = { postgres: 'PostgreSQL', mysql: 'MySQL / MariaDB', pgbouncer: 'PgBouncer admin console' };
const DEFAULT_DATABASES: Record<Engine, string> = { postgres: 'postgres', mysql: '', pgbouncer: 'pgbouncer' };
const DEFAULT_USERS: Record<Engine, string> = { postgres: 'postgres', mysql: 'root', pgbouncer: 'pgbouncer' };
const TLS_DESCRIPTIONS: Record<TlsMode, string> = {
  disable: 'plain TCP',
  prefer: 'TLS when the server offers it, without checking the certificate',
  require: 'TLS always, without checking the certificate',
  'verify-ca': 'TLS, certificate checked against a CA file',
  'verify-full': 'TLS, certificate and host name checked',
};

class Cancelled extends Error {}

async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const answer = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (answer === undefined) throw new Cancelled();
  return answer;
}

async function pick<T extends vscode.QuickPickItem>(items: T[], placeHolder: string): Promise<T> {
  const chosen = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
  if (!chosen) throw new Cancelled();
  return chosen;
}

function validPort(value: string): string | undefined {
  const port = Number(value);
  return Number.isInteger(port) && port > 0 && port < 65536 ? undefined : 'A port is a whole number from 1 to 65535.';
}

/** Fills or asks for every field; `current` supplies defaults when editing. */
async function completeFields(given: ConnectionFields, current: StoredConnection | undefined, interactive: boolean): Promise<{ connection: Omit<StoredConnection, 'id'>; password: string | undefined }> {
  if (given.url) {
    const target = parseConnectionUrl(given.url);
    return {
      connection: { name: given.name ?? `${target.user}@${target.host}/${target.database}`, engine: target.engine, host: target.host, port: target.port, database: target.database, user: target.user, tls: target.tls, ...(target.caFile ? { caFile: target.caFile } : {}) },
      password: target.password ?? given.password,
    };
  }
  const engine: Engine =
    given.engine ??
    (interactive
      ? (await pick(ENGINES.map((value) => ({ label: ENGINE_LABELS[value], value, picked: value === current?.engine })), 'Database engine')).value
      : (current?.engine ?? 'postgres'));
  const host = given.host ?? (interactive ? await ask({ prompt: 'Host name or address', value: current?.host ?? '127.0.0.1', validateInput: (value) => (value.trim() ? undefined : 'A host is needed.') }) : (current?.host ?? '127.0.0.1'));
  const port = given.port ?? (interactive ? Number(await ask({ prompt: 'Port', value: String(current?.port ?? DEFAULT_PORTS[engine]), validateInput: validPort })) : (current?.port ?? DEFAULT_PORTS[engine]));
  const database =
    engine === 'pgbouncer' ? 'pgbouncer' : (given.database ?? (interactive ? await ask({ prompt: 'Database', value: current?.database ?? DEFAULT_DATABASES[engine] }) : (current?.database ?? DEFAULT_DATABASES[engine])));
  const user = given.user ?? (interactive ? await ask({ prompt: 'User', value: current?.user ?? DEFAULT_USERS[engine], validateInput: (value) => (value.trim() ? undefined : 'A user is needed.') }) : (current?.user ?? DEFAULT_USERS[engine]));
  const password =
    given.password ??
    (interactive
      ? (await ask({ prompt: current ? 'Password (kept in VS Code’s secret storage; leave empty to keep the current one)' : 'Password (kept in VS Code’s secret storage; leave empty for none)', password: true })) || undefined
      : undefined);
  const tls: TlsMode =
    given.tls ??
    (interactive
      ? (await pick(TLS_MODES.map((value) => ({ label: value, description: TLS_DESCRIPTIONS[value], value, picked: value === (current?.tls ?? 'prefer') })), 'TLS mode')).value
      : (current?.tls ?? 'prefer'));
  let caFile = given.caFile ?? current?.caFile;
  if (interactive && given.caFile === undefined && (tls === 'verify-ca' || tls === 'verify-full')) {
    caFile = (await ask({ prompt: 'CA certificate file (PEM); leave empty to use the system’s trusted CAs', value: current?.caFile ?? '' })) || undefined;
  }
  const name = given.name ?? (interactive ? await ask({ prompt: 'Name shown in the panel', value: current?.name ?? `${user}@${host}/${database}` }) : (current?.name ?? `${user}@${host}/${database}`));
  return { connection: { name, engine, host: host.trim(), port, database, user: user.trim(), tls, ...(caFile ? { caFile } : {}) }, password };
}

async function pickConnection(store: ConnectionStore, placeHolder: string, includeDotenv: boolean): Promise<ResolvedConnection> {
  const all = (await store.all()).filter((connection) => includeDotenv || connection.source === 'settings');
  if (all.length === 0) throw new Error('no connection is configured yet; run “dbhealth: Add Connection” first.');
  const chosen = await pick(
    all.map((connection) => ({ label: connection.name, description: `${ENGINE_LABELS[connection.engine]} ${connection.user}@${connection.host}:${connection.port}/${connection.database}`, detail: connection.source === 'dotenv' ? `from ${connection.origin}` : undefined, connection })),
    placeHolder,
  );
  return chosen.connection;
}

function showFailure(error: unknown): undefined {
  if (error instanceof Cancelled) return undefined;
  const message = error instanceof TargetConfigError || error instanceof Error ? error.message : String(error);
  void vscode.window.showErrorMessage(`dbhealth: ${message}`);
  return undefined;
}

export function registerConnectionCommands(context: vscode.ExtensionContext, store: ConnectionStore): void {
  const add = async (fields?: ConnectionFields): Promise<string | undefined> => {
    try {
      let given: ConnectionFields = fields ?? {};
      if (!fields) {
        const fromEnv = (await store.all()).filter((connection) => connection.source === 'dotenv');
        const how = await pick(
          [
            ...fromEnv.map((connection) => ({ label: `Use ${connection.name}`, description: `${connection.user}@${connection.host}:${connection.port}/${connection.database}`, connection, method: 'dotenv' as const })),
            { label: 'Enter host, port, database and user…', method: 'fields' as const, connection: undefined },
            { label: 'Paste a connection URL…', description: 'postgres://, mysql://, pgbouncer://', method: 'url' as const, connection: undefined },
          ],
          'How do you want to add the connection?',
        );
        if (how.method === 'url') given = { url: await ask({ prompt: 'Connection URL (a password in it goes to secret storage, not to settings)', placeHolder: 'postgres://user@host:5432/database', password: false }) };
        if (how.method === 'dotenv' && how.connection) {
          const { source: _source, origin: _origin, id: _id, ...rest } = how.connection;
          given = { ...rest, password: await store.password(how.connection) };
        }
      }
      const { connection, password } = await completeFields(given, undefined, fields === undefined && given.url === undefined && given.host === undefined);
      const id = `conn-${randomUUID().slice(0, 8)}`;
      await store.save({ id, ...connection }, password);
      await store.setActive(id);
      if (!fields) {
        void vscode.window.showInformationMessage(`dbhealth: added ${connectionLabel({ id, ...connection })}.`, 'Test Connection', 'Open Health Panel').then((choice) => {
          if (choice === 'Test Connection') void vscode.commands.executeCommand(CONNECTION_COMMANDS.test, id);
          if (choice === 'Open Health Panel') void vscode.commands.executeCommand(PANEL_COMMANDS.openHealthPanel);
        });
      }
      return id;
    } catch (error) {
      return showFailure(error);
    }
  };

  const edit = async (argument?: { id: string } & ConnectionFields): Promise<string | undefined> => {
    try {
      const existing = argument ? store.stored().find((connection) => connection.id === argument.id) : await pickConnection(store, 'Connection to edit', false);
      if (!existing) throw new Error(`no connection with id ${argument?.id}`);
      const { id: _id, ...changes } = argument ?? { id: existing.id };
      const { connection, password } = await completeFields(changes, existing, argument === undefined);
      await store.save({ id: existing.id, ...connection }, password);
      return existing.id;
    } catch (error) {
      return showFailure(error);
    }
  };

  const remove = async (id?: string): Promise<boolean> => {
    try {
      const existing = id ? store.stored().find((connection) => connection.id === id) : await pickConnection(store, 'Connection to remove', false);
      if (!existing) throw new Error(`no connection with id ${id}`);
      if (!id) {
        const confirmed = await vscode.window.showWarningMessage(`Remove ${connectionLabel(existing)} and its stored password?`, { modal: true }, 'Remove');
        if (confirmed !== 'Remove') return false;
      }
      await store.remove(existing.id);
      return true;
    } catch (error) {
      showFailure(error);
      return false;
    }
  };

  const test = async (id?: string): Promise<ConnectionTestResult | undefined> => {
    try {
      const connection = id ? await store.find(id) : await pickConnection(store, 'Connection to test', true);
      if (!connection) throw new Error(`no connection with id ${id}`);
      const target = await store.toTarget(connection, { connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS, statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS, applicationName: `${MONITOR_APPLICATION_NAME}-test` });
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `dbhealth: testing ${connection.name}…` }, () => testConnection(target, loadDatabaseLayer()));
      const message = describeTestResult(connection.name, result);
      if (result.ok) void vscode.window.showInformationMessage(message);
      else void vscode.window.showErrorMessage(message);
      return result;
    } catch (error) {
      return showFailure(error);
    }
  };

  const select = async (id?: string): Promise<string | undefined> => {
    try {
      const connection = id ? await store.find(id) : await pickConnection(store, 'Connection the health panel shows', true);
      if (!connection) throw new Error(`no connection with id ${id}`);
      await store.setActive(connection.id);
      return connection.id;
    } catch (error) {
      return showFailure(error);
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(CONNECTION_COMMANDS.add, add),
    vscode.commands.registerCommand(CONNECTION_COMMANDS.edit, edit),
    vscode.commands.registerCommand(CONNECTION_COMMANDS.remove, remove),
    vscode.commands.registerCommand(CONNECTION_COMMANDS.test, test),
    vscode.commands.registerCommand(CONNECTION_COMMANDS.select, select),
  );
}
