/**
 * The runbook's "check connectivity" step: DNS, TCP connect, TLS handshake, authentication and a
 * `SELECT 1` round trip, each timed, with a verdict that names the first step that failed.
 */
import { lookup } from 'node:dns/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { readFileSync } from 'node:fs';
import { describeTarget, redactTarget } from '../db/target';
import type { ConnectionTarget, RedactedTarget } from '../db/types';
import { openRunbookMysql, openRunbookPostgres } from './connections';
import { explainError, type ErrorExplanation } from './errors/explain';

export type CheckStepName = 'dns' | 'tcp' | 'tls' | 'authentication' | 'query';

export interface CheckStep {
  readonly step: CheckStepName;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly durationMs: number | null;
  readonly detail: string;
}

export interface ConnectivityReport {
  readonly target: RedactedTarget;
  readonly ok: boolean;
  readonly steps: readonly CheckStep[];
  readonly failedStep: CheckStepName | null;
  /** One sentence: "reachable and answering" or what failed, e.g. "authentication failure". */
  readonly verdict: string;
  /** The failure's explanation (meaning, retry advice, runbook step), when a step failed. */
  readonly explanation: ErrorExplanation | null;
}

const STEP_ORDER: readonly CheckStepName[] = ['dns', 'tcp', 'tls', 'authentication', 'query'];

/** PostgreSQL's SSLRequest: length 8, code 80877103 (protocol docs, "SSL Session Encryption"). */
const POSTGRES_SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
/** MySQL handshake capability flag CLIENT_SSL. */
const MYSQL_CLIENT_SSL = 0x0800;

function elapsedSince(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export function openTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`connect ETIMEDOUT ${host}:${port} (no answer within ${timeoutMs} ms)`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

function readSome(socket: Socket, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server sent nothing within ${timeoutMs} ms`)), timeoutMs);
    socket.once('data', (data) => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('end', () => {
      clearTimeout(timer);
      reject(new Error('the server closed the connection'));
    });
  });
}

/**
 * PostgreSQL: SSLRequest, then a real TLS handshake on the same socket. MySQL negotiates TLS inside
 * its login handshake, so here we read the server greeting and check that it offers TLS; the
 * encrypted login itself is timed by the authentication step.
 */
async function checkTls(target: ConnectionTarget, address: string): Promise<string> {
  const socket = await openTcp(address, target.port, target.connectTimeoutMs);
  try {
    if (target.engine === 'mysql') {
      const greeting = await readSome(socket, target.connectTimeoutMs);
      // Payload after the 4-byte packet header: protocol version, NUL-ended version string,
      // 4-byte thread id, 8-byte auth data, filler, then the lower 2 capability bytes.
      const versionEnd = greeting.indexOf(0, 5);
      const capabilities = greeting.readUInt16LE(versionEnd + 1 + 4 + 8 + 1);
      if ((capabilities & MYSQL_CLIENT_SSL) === 0) throw new Error('the server does not offer TLS (CLIENT_SSL not in its greeting)');
      return 'server offers TLS; negotiated during authentication';
    }
    socket.write(POSTGRES_SSL_REQUEST);
    const answer = await readSome(socket, target.connectTimeoutMs);
    if (answer[0] !== 0x53) throw new Error('the server does not support SSL (answered N to SSLRequest)');
    const verify = target.tls === 'verify-ca' || target.tls === 'verify-full';
    const secure = connectTls({
      socket,
      servername: /^[\d.:]+$/.test(target.host) ? undefined : target.host,
      rejectUnauthorized: verify,
      ...(target.caFile ? { ca: readFileSync(target.caFile, 'utf8') } : {}),
      ...(target.tls === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    const protocol = secure.getProtocol() ?? 'TLS';
    secure.destroy();
    return `${protocol} handshake completed${verify ? ', certificate verified' : ''}`;
  } finally {
    socket.destroy();
  }
}

/** The little both drivers' connections share that the check needs: one query, then close. */
interface CheckSession {
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

async function checkAuthenticationAndQuery(target: ConnectionTarget, steps: CheckStep[]): Promise<unknown> {
  let started = performance.now();
  let session: CheckSession;
  try {
    session = target.engine === 'mysql' ? await openRunbookMysql(target, 'dbhealth-check') : await openRunbookPostgres(target, 'dbhealth-check');
  } catch (error) {
    steps.push({ step: 'authentication', status: 'failed', durationMs: elapsedSince(started), detail: messageOf(error) });
    return error;
  }
  steps.push({ step: 'authentication', status: 'ok', durationMs: elapsedSince(started), detail: `logged in as ${target.user}` });
  started = performance.now();
  try {
    await session.query('SELECT 1');
    steps.push({ step: 'query', status: 'ok', durationMs: elapsedSince(started), detail: 'SELECT 1 answered' });
    return undefined;
  } catch (error) {
    steps.push({ step: 'query', status: 'failed', durationMs: elapsedSince(started), detail: messageOf(error) });
    return error;
  } finally {
    await session.end().catch(() => undefined);
  }
}

const VERDICT_BY_SCENARIO: Readonly<Record<string, string>> = {
  'too-many-connections': 'too many connections',
  'authentication-failure': 'authentication failure',
  'server-unreachable': 'server unreachable',
  'connection-lost': 'connection dropped',
  'pool-exhausted': 'too many connections',
};

function verdictFor(step: CheckStepName, explanation: ErrorExplanation): string {
  const named = explanation.scenario ? VERDICT_BY_SCENARIO[explanation.scenario] : undefined;
  if (step === 'dns') return 'server unreachable: the host name does not resolve';
  if (step === 'tcp') return `server unreachable: ${explanation.title}`;
  if (step === 'tls') return `TLS failure: ${explanation.recognised ? explanation.title : 'handshake failed'}`;
  return `${named ?? explanation.title} (at the ${step} step)`;
}

/** Runs every step in order; the first failure stops the later steps (reported as skipped). */
export async function checkConnectivity(target: ConnectionTarget): Promise<ConnectivityReport> {
  const steps: CheckStep[] = [];
  let failure: unknown;
  let failedStep: CheckStepName | null = null;

  let started = performance.now();
  let address = target.host;
  try {
    const resolved = await lookup(target.host);
    address = resolved.address;
    steps.push({ step: 'dns', status: 'ok', durationMs: elapsedSince(started), detail: `${target.host} → ${address}` });
  } catch (error) {
    steps.push({ step: 'dns', status: 'failed', durationMs: elapsedSince(started), detail: messageOf(error) });
    failure = error;
    failedStep = 'dns';
  }

  if (!failedStep) {
    started = performance.now();
    try {
      const socket = await openTcp(address, target.port, target.connectTimeoutMs);
      socket.destroy();
      steps.push({ step: 'tcp', status: 'ok', durationMs: elapsedSince(started), detail: `connected to ${address}:${target.port}` });
    } catch (error) {
      steps.push({ step: 'tcp', status: 'failed', durationMs: elapsedSince(started), detail: `${messageOf(error)}${codeOf(error) && !messageOf(error).includes(codeOf(error)!) ? ` (${codeOf(error)})` : ''}` });
      failure = error;
      failedStep = 'tcp';
    }
  }

  if (!failedStep) {
    if (target.tls === 'disable') {
      steps.push({ step: 'tls', status: 'skipped', durationMs: null, detail: 'TLS not configured for this connection' });
    } else {
      started = performance.now();
      try {
        const detail = await checkTls(target, address);
        steps.push({ step: 'tls', status: 'ok', durationMs: elapsedSince(started), detail });
      } catch (error) {
        const optional = target.tls === 'prefer';
        steps.push({
          step: 'tls',
          status: optional ? 'skipped' : 'failed',
          durationMs: elapsedSince(started),
          detail: optional ? `${messageOf(error)} — TLS is only preferred, continuing without it` : messageOf(error),
        });
        if (!optional) {
          failure = error;
          failedStep = 'tls';
        }
      }
    }
  }

  if (!failedStep) {
    if (target.engine === 'pgbouncer') {
      steps.push({ step: 'authentication', status: 'skipped', durationMs: null, detail: 'PgBouncer admin console: use the health panel to log in' });
    } else {
      failure = await checkAuthenticationAndQuery(target, steps);
      const failed = steps.find((step) => step.status === 'failed');
      if (failed) failedStep = failed.step;
    }
  }

  for (const step of STEP_ORDER) {
    if (!steps.some((done) => done.step === step)) steps.push({ step, status: 'skipped', durationMs: null, detail: `not run: the ${failedStep} step failed` });
  }
  steps.sort((a, b) => STEP_ORDER.indexOf(a.step) - STEP_ORDER.indexOf(b.step));

  if (!failedStep) {
    return { target: redactTarget(target), ok: true, steps, failedStep: null, verdict: `${describeTarget(target)} is reachable and answering`, explanation: null };
  }
  const code = codeOf(failure);
  const explanation = explainError(`${messageOf(failure)}${code ? ` code: '${code}'` : ''}`);
  return { target: redactTarget(target), ok: false, steps, failedStep, verdict: verdictFor(failedStep, explanation), explanation };
}

export function formatConnectivityReport(report: ConnectivityReport): string {
  const lines = [`Connectivity check: ${describeTarget(report.target)}`];
  for (const step of report.steps) {
    const time = step.durationMs === null ? '' : ` ${step.durationMs.toFixed(1)} ms`;
    lines.push(`  ${step.status === 'ok' ? 'ok  ' : step.status === 'failed' ? 'FAIL' : 'skip'} ${step.step.padEnd(14)}${time.padStart(11)}  ${step.detail}`);
  }
  lines.push(`Verdict: ${report.verdict}`);
  if (report.explanation) lines.push(`Next: ${report.explanation.runbookStep}`, `Retry: ${report.explanation.retryAdvice}`);
  return lines.join('\n');
}
