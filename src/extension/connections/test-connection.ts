// "Test Connection": walks the path to the database one step at a time so a failure names the
// step that broke (name lookup, TCP, TLS/login, reading statistics) instead of one vague error.
import { lookup } from 'node:dns/promises';
import { connect } from 'node:net';
import type { ConnectionTarget } from '../../db/types';
import type { DatabaseLayer } from '../panel/db-loader';

export type TestStepName = 'resolve host' | 'open TCP connection' | 'TLS handshake' | 'log in' | 'read server statistics';

export interface TestStep {
  step: TestStepName;
  ok: boolean;
  detail: string;
  ms: number;
}

export interface ConnectionTestResult {
  ok: boolean;
  steps: TestStep[];
  failedStep?: TestStepName;
  serverVersion?: string;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await run();
    return { value, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { error, ms: Math.round(performance.now() - started) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export async function testConnection(target: ConnectionTarget, db: DatabaseLayer): Promise<ConnectionTestResult> {
  const steps: TestStep[] = [];
  const fail = (step: TestStepName, detail: string, ms: number): ConnectionTestResult => {
    steps.push({ step, ok: false, detail, ms });
    return { ok: false, steps, failedStep: step };
  };

  const resolved = await timed(() => lookup(target.host));
  if (resolved.error) return fail('resolve host', `${target.host} cannot be resolved: ${messageOf(resolved.error)}`, resolved.ms);
  steps.push({ step: 'resolve host', ok: true, detail: `${target.host} is ${resolved.value?.address}`, ms: resolved.ms });

  const tcp = await timed(() => probeTcp(target.host, target.port, target.connectTimeoutMs));
  if (tcp.error) return fail('open TCP connection', `${target.host}:${target.port}: ${messageOf(tcp.error)}`, tcp.ms);
  steps.push({ step: 'open TCP connection', ok: true, detail: `${target.host}:${target.port} accepts connections`, ms: tcp.ms });

  const collector = db.createCollector(target);
  try {
    const login = await timed(() => collector.connect());
    if (login.error) {
      const text = messageOf(login.error);
      const tlsProblem = target.tls !== 'disable' && /\b(ssl|tls|certificate|self[- ]signed)\b/i.test(text);
      return fail(tlsProblem ? 'TLS handshake' : 'log in', text, login.ms);
    }
    steps.push({ step: 'log in', ok: true, detail: `logged in as ${target.user}${target.tls === 'disable' ? ' (no TLS)' : ` (TLS ${target.tls})`}`, ms: login.ms });

    const read = await timed(() => collector.collect(db.DEFAULT_THRESHOLDS));
    if (read.error) return fail('read server statistics', messageOf(read.error), read.ms);
    const snapshot = read.value!;
    const hidden = snapshot.hiddenSessions > 0 ? `, ${snapshot.hiddenSessions} hidden for lack of privilege` : '';
    steps.push({ step: 'read server statistics', ok: true, detail: `${snapshot.serverVersion}: ${snapshot.connections.total} of ${snapshot.connections.max} usable connections in use${hidden}`, ms: read.ms });
    return { ok: true, steps, serverVersion: snapshot.serverVersion };
  } finally {
    await collector.close().catch(() => undefined);
  }
}

export function describeTestResult(label: string, result: ConnectionTestResult): string {
  if (result.ok) return `dbhealth: ${label} works — ${result.steps.map((step) => `${step.step} ${step.ms} ms`).join(', ')}. ${result.steps.at(-1)?.detail ?? ''}`;
  const failed = result.steps.at(-1)!;
  return `dbhealth: ${label} failed at step “${failed.step}”: ${failed.detail}`;
}
