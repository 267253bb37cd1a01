/**
 * Turning driver errors into CollectorErrors with a kind the poller can act on and a message a
 * person can read (no stack, no password).
 */
import type { CollectorErrorKind, CollectorFailure } from './types';

export class CollectorError extends Error implements CollectorFailure {
  constructor(
    readonly kind: CollectorErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CollectorError';
  }

  toFailure(): CollectorFailure {
    return { kind: this.kind, message: this.message, ...(this.code !== undefined ? { code: this.code } : {}) };
  }
}

/** SQLSTATEs (PostgreSQL/PgBouncer) and MySQL errnos that mean "wrong credentials or not allowed in". */
const AUTH_CODES = new Set(['28P01', '28000', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_NOT_SUPPORTED_AUTH_MODE', '1045', '1044']);
/** Insufficient privilege for one probe: switch the probe off, keep polling. */
const PRIVILEGE_CODES = new Set(['42501', 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR', '1227', '1142', '1143']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', '57P01', '57P02', '57P03', '08006', '08001', '08004']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', '57014', 'ER_QUERY_TIMEOUT', 'PROTOCOL_SEQUENCE_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  const errno = (error as { errno?: unknown }).errno;
  return typeof errno === 'number' ? String(errno) : undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
  if (error instanceof Error && error.message) return error.message.split('\n')[0];
  return String(error);
}

function nestedCode(error: unknown): string | undefined {
  const code = errorCode(error);
  if (code) return code;
  if (error instanceof AggregateError) for (const inner of error.errors) { const c = errorCode(inner); if (c) return c; }
  return undefined;
}

/**
 * The drivers' words for "the server asked for a password and the client had none": pg fails its
 * own SCRAM/MD5 step before sending anything ("client password must be a string"), MySQL refuses
 * the log-in and says no password was used.
 */
const PG_NO_PASSWORD = /client password must be a string/i;
const MYSQL_NO_PASSWORD = /\(using password: NO\)/;

/** Where a password can be given, per engine: only places the CLI and the extension really read. */
const WHERE_TO_GIVE_A_PASSWORD = {
  postgres: 'in the URL (postgres://user:PASSWORD@host:port/database), in the PGPASSWORD environment variable, or in ~/.pgpass; in VS Code, as the connection\'s password',
  mysql: 'in the URL (mysql://user:PASSWORD@host:port/database); in VS Code, as the connection\'s password',
} as const;

/** Classifies any error thrown by pg / mysql2 / net into a CollectorError. `where` prefixes the message. */
export function classifyError(error: unknown, where: string): CollectorError {
  if (error instanceof CollectorError) return error;
  const code = nestedCode(error);
  const message = errorMessage(error);
  const missingPassword = PG_NO_PASSWORD.test(message) ? 'postgres' : MYSQL_NO_PASSWORD.test(message) ? 'mysql' : undefined;
  if (missingPassword) {
    return new CollectorError('auth', `${where}: the server asks for a password and none was given. Give one ${WHERE_TO_GIVE_A_PASSWORD[missingPassword]}.`, code);
  }
  let kind: CollectorErrorKind = 'protocol';
  if (code && AUTH_CODES.has(code)) kind = 'auth';
  else if (/password authentication failed|no pg_hba\.conf entry|SASL|Access denied for user/i.test(message)) kind = 'auth';
  else if (code && PRIVILEGE_CODES.has(code)) kind = 'privilege';
  else if (code && TIMEOUT_CODES.has(code)) kind = 'timeout';
  else if (/timeout|timed out/i.test(message)) kind = 'timeout';
  else if (code && UNREACHABLE_CODES.has(code)) kind = 'unreachable';
  else if (/Connection terminated|ECONNREFUSED|connect ECONN|socket hang up|server closed the connection|Connection lost|the database system is (starting up|shutting down)|closed the connection/i.test(message)) kind = 'unreachable';
  return new CollectorError(kind, `${where}: ${message}`, code);
}
