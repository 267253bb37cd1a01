// Where connections live: their fields in the `dbhealth.connections` setting (user settings, never
// a password), their passwords in SecretStorage, and one more connection derived from
// `DATABASE_URL` in a workspace folder's `.env` whose password stays in memory only.
import * as vscode from 'vscode';
import type { ConnectionTarget, Engine, TlsMode } from '../../db/types';
import { parseConnectionUrl } from '../../db/target';
import { parseDotenv } from './dotenv';

export const CONNECTIONS_SETTING = 'connections';
const ACTIVE_CONNECTION_KEY = 'dbhealth.activeConnection';
export const ENGINES: readonly Engine[] = ['postgres', 'mysql', 'pgbouncer'];
export const TLS_MODES: readonly TlsMode[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];
export const ENV_CONNECTION_PREFIX = 'env:';

/** A connection as the setting stores it. No password field exists, so none can be written. */
export interface StoredConnection {
  id: string;
  name: string;
  engine: Engine;
  host: string;
  port: number;
  database: string;
  user: string;
  tls: TlsMode;
  caFile?: string;
}

/** A connection ready to monitor: stored or from .env, with where its password comes from. */
export interface ResolvedConnection extends StoredConnection {
  source: 'settings' | 'dotenv';
  /** For .env connections: the file it came from (shown to the user). */
  origin?: string;
}

export function secretKey(connectionId: string): string {
  return `dbhealth.connection.${connectionId}.password`;
}

export function connectionLabel(connection: StoredConnection): string {
  const host = connection.host.includes(':') ? `[${connection.host}]` : connection.host;
  const where = `${connection.user}@${host}:${connection.port}/${connection.database}`;
  // Names made from the address already say it; repeating it only adds noise.
  return connection.name === `${connection.user}@${connection.host}/${connection.database}` ? where : `${connection.name} (${where})`;
}

function isStoredConnection(value: unknown): value is StoredConnection {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.id === 'string' &&
    typeof record.name === 'string' &&
    ENGINES.includes(record.engine as Engine) &&
    typeof record.host === 'string' &&
    typeof record.port === 'number' &&
    typeof record.database === 'string' &&
    typeof record.user === 'string' &&
    TLS_MODES.includes(record.tls as TlsMode) &&
    (record.caFile === undefined || typeof record.caFile === 'string')
  );
}

export class ConnectionStore {
  private readonly envPasswords = new Map<string, string>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    context.subscriptions.push(
      this.changeEmitter,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`dbhealth.${CONNECTIONS_SETTING}`)) this.changeEmitter.fire();
      }),
    );
    // A .env written after the window opened (npm run demo, a teammate's setup script) is picked up.
    const envWatcher = vscode.workspace.createFileSystemWatcher('**/.env');
    context.subscriptions.push(envWatcher, envWatcher.onDidCreate(() => this.changeEmitter.fire()), envWatcher.onDidChange(() => this.changeEmitter.fire()), envWatcher.onDidDelete(() => this.changeEmitter.fire()));
  }

  stored(): StoredConnection[] {
    const raw = vscode.workspace.getConfiguration('dbhealth').get<unknown[]>(CONNECTIONS_SETTING) ?? [];
    return Array.isArray(raw) ? raw.filter(isStoredConnection) : [];
  }

  async all(): Promise<ResolvedConnection[]> {
    const fromSettings = this.stored().map((connection): ResolvedConnection => ({ ...connection, source: 'settings' }));
    return [...fromSettings, ...(await this.fromDotenv())];
  }

  async find(id: string): Promise<ResolvedConnection | undefined> {
    return (await this.all()).find((connection) => connection.id === id);
  }

  /** Writes the connection's fields to user settings and its password, if any, to SecretStorage. */
  async save(connection: StoredConnection, password: string | undefined): Promise<void> {
    const clean: StoredConnection = {
      id: connection.id,
      name: connection.name,
      engine: connection.engine,
      host: connection.host,
      port: connection.port,
      database: connection.database,
      user: connection.user,
      tls: connection.tls,
      ...(connection.caFile ? { caFile: connection.caFile } : {}),
    };
    const others = this.stored().filter((existing) => existing.id !== clean.id);
    await vscode.workspace.getConfiguration('dbhealth').update(CONNECTIONS_SETTING, [...others, clean], vscode.ConfigurationTarget.Global);
    if (password !== undefined) {
      if (password === '') await this.context.secrets.delete(secretKey(clean.id));
      else await this.context.secrets.store(secretKey(clean.id), password);
    }
    this.changeEmitter.fire();
  }

  async remove(id: string): Promise<void> {
    const remaining = this.stored().filter((existing) => existing.id !== id);
    await vscode.workspace.getConfiguration('dbhealth').update(CONNECTIONS_SETTING, remaining.length > 0 ? remaining : undefined, vscode.ConfigurationTarget.Global);
    await this.context.secrets.delete(secretKey(id));
    if (this.activeId() === id) await this.setActive(undefined);
    this.changeEmitter.fire();
  }

  async password(connection: ResolvedConnection): Promise<string | undefined> {
    if (connection.source === 'dotenv') return this.envPasswords.get(connection.id);
    return (await this.context.secrets.get(secretKey(connection.id))) ?? undefined;
  }

  async toTarget(connection: ResolvedConnection, defaults: Pick<ConnectionTarget, 'connectTimeoutMs' | 'statementTimeoutMs' | 'applicationName'>): Promise<ConnectionTarget> {
    const password = await this.password(connection);
    return {
      engine: connection.engine,
      host: connection.host,
      port: connection.port,
      database: connection.database,
      user: connection.user,
      tls: connection.tls,
      ...(connection.caFile ? { caFile: connection.caFile } : {}),
      ...(password ? { password } : {}),
      ...defaults,
    };
  }

  activeId(): string | undefined {
    return this.context.workspaceState.get<string>(ACTIVE_CONNECTION_KEY);
  }

  async setActive(id: string | undefined): Promise<void> {
    await this.context.workspaceState.update(ACTIVE_CONNECTION_KEY, id);
    this.changeEmitter.fire();
  }

  /** The active connection, else the only/first one, else DATABASE_URL from .env. */
  async active(): Promise<ResolvedConnection | undefined> {
    const all = await this.all();
    const chosen = this.activeId();
    return all.find((connection) => connection.id === chosen) ?? all[0];
  }

  /**
   * DATABASE_URL of each workspace folder's `.env`. Its password goes to memory only; the URL is
   * re-read on every call so an edited .env takes effect without a reload.
   */
  private async fromDotenv(): Promise<ResolvedConnection[]> {
    const found: ResolvedConnection[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const envUri = vscode.Uri.joinPath(folder.uri, '.env');
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(envUri));
      } catch {
        continue;
      }
      const url = parseDotenv(text).get('DATABASE_URL');
      if (!url) continue;
      let target: ConnectionTarget;
      try {
        target = parseConnectionUrl(url);
      } catch {
        continue;
      }
      const id = `${ENV_CONNECTION_PREFIX}${folder.uri.toString()}`;
      if (target.password) this.envPasswords.set(id, target.password);
      else this.envPasswords.delete(id);
      found.push({
        id,
        name: `DATABASE_URL of ${folder.name}/.env`,
        engine: target.engine,
        host: target.host,
        port: target.port,
        database: target.database,
        user: target.user,
        tls: target.tls,
        ...(target.caFile ? { caFile: target.caFile } : {}),
        source: 'dotenv',
        origin: envUri.fsPath,
      });
    }
    return found;
  }
}
