/**
 * Building a ConnectionTarget from a URL or settings, and redacting it for display.
 * Accepted schemes: postgres://, postgresql://, mysql://, mariadb://, pgbouncer://; a postgres URL
 * whose database is `pgbouncer` also means PgBouncer's admin console.
 */
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_PORTS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  MONITOR_APPLICATION_NAME,
  type ConnectionTarget,
  type Engine,
  type RedactedTarget,
  type TlsMode,
} from './types';

export class TargetConfigError extends Error {}

const ENGINE_BY_SCHEME: Readonly<Record<string, Engine>> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
  'pgbouncer:': 'pgbouncer',
};

const TLS_MODES: readonly TlsMode[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** MySQL-style ssl-mode words mapped onto the sslmode vocabulary. */
const MYSQL_SSL_MODES: Readonly<Record<string, TlsMode>> = {
  disabled: 'disable',
  preferred: 'prefer',
  required: 'require',
  verify_ca: 'verify-ca',
  verify_identity: 'verify-full',
};

const DEFAULT_USERS: Readonly<Record<Engine, string>> = { postgres: 'postgres', mysql: 'root', pgbouncer: 'pgbouncer' };

function parseTlsMode(value: string): TlsMode {
  const lowered = value.toLowerCase();
  if ((TLS_MODES as readonly string[]).includes(lowered)) return lowered as TlsMode;
  const mapped = MYSQL_SSL_MODES[lowered.replace('-', '_')];
  if (mapped) return mapped;
  if (lowered === 'allow') return 'prefer';
  if (lowered === 'true') return 'require';
  if (lowered === 'false') return 'disable';
  throw new TargetConfigError(`unknown TLS mode "${value}" (use one of ${TLS_MODES.join(', ')})`);
}

function parsePositiveNumber(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new TargetConfigError(`${name} must be a positive number (got "${value}")`);
  return number;
}

/** Parses a connection URL. Throws TargetConfigError with a message that never contains the password. */
export function parseConnectionUrl(text: string): ConnectionTarget {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new TargetConfigError('not a valid connection URL (expected e.g. postgres://user@host:5432/db)');
  }
  const schemeEngine = ENGINE_BY_SCHEME[url.protocol];
  if (!schemeEngine) {
    throw new TargetConfigError(`unsupported URL scheme "${url.protocol}" (use postgres://, postgresql://, mysql://, mariadb:// or pgbouncer://)`);
  }
  const rawDatabase = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const engine: Engine = schemeEngine === 'postgres' && rawDatabase === 'pgbouncer' ? 'pgbouncer' : schemeEngine;
  const host = decodeURIComponent(url.hostname.replace(/^\[|\]$/g, '')) || '127.0.0.1';
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[engine];
  const params = url.searchParams;

  let tls: TlsMode = 'prefer';
  const tlsParam = params.get('sslmode') ?? params.get('ssl-mode') ?? params.get('ssl');
  if (tlsParam !== null) tls = parseTlsMode(tlsParam);
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1') {
    // Loopback rarely has TLS configured; only an explicit sslmode asks for it.
    if (tlsParam === null) tls = 'disable';
  }
  const caFile = params.get('sslrootcert') ?? params.get('ssl-ca') ?? undefined;
  const connectTimeoutParam = params.get('connect_timeout') ?? params.get('connectTimeout');
  const connectTimeoutMs = connectTimeoutParam === null
    ? DEFAULT_CONNECT_TIMEOUT_MS
    // libpq's connect_timeout is in seconds; mysql's connectTimeout in milliseconds.
    : parsePositiveNumber('connect_timeout', connectTimeoutParam) * (params.has('connect_timeout') ? 1000 : 1);
  const statementTimeoutParam = params.get('statement_timeout_ms');
  const password = url.password ? decodeURIComponent(url.password) : undefined;

  return {
    engine,
    host,
    port,
    database: engine === 'pgbouncer' ? 'pgbouncer' : rawDatabase || (engine === 'postgres' ? decodeURIComponent(url.username) || 'postgres' : ''),
    user: decodeURIComponent(url.username) || DEFAULT_USERS[engine],
    ...(password !== undefined ? { password } : {}),
    tls,
    ...(caFile ? { caFile } : {}),
    connectTimeoutMs,
    statementTimeoutMs: statementTimeoutParam === null ? DEFAULT_STATEMENT_TIMEOUT_MS : parsePositiveNumber('statement_timeout_ms', statementTimeoutParam),
    applicationName: params.get('application_name') ?? MONITOR_APPLICATION_NAME,
  };
}

/** Fills defaults for a target assembled from settings (the panel's host/port/… fields). */
export function makeTarget(partial: Partial<ConnectionTarget> & { engine: Engine; host: string }): ConnectionTarget {
  const engine = partial.engine;
  return {
    engine,
    host: partial.host,
    port: partial.port ?? DEFAULT_PORTS[engine],
    database: engine === 'pgbouncer' ? 'pgbouncer' : partial.database ?? '',
    user: partial.user ?? DEFAULT_USERS[engine],
    ...(partial.password !== undefined ? { password: partial.password } : {}),
    tls: partial.tls ?? 'prefer',
    ...(partial.caFile ? { caFile: partial.caFile } : {}),
    connectTimeoutMs: partial.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: partial.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    applicationName: partial.applicationName ?? MONITOR_APPLICATION_NAME,
  };
}

export function redactTarget(target: ConnectionTarget): RedactedTarget {
  const { password, ...rest } = target;
  return { ...rest, hasPassword: password !== undefined && password !== '' };
}

/** `engine user@host:port/database` — for messages and titles, never containing the password. */
export function describeTarget(target: ConnectionTarget | RedactedTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.engine} ${target.user}@${host}:${target.port}/${target.database}`;
}
