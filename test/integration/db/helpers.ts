/**
 * Shared fixtures for the collector tests: unique names per run (other suites use the same servers
 * at the same time), free ports, clients of the shared server, the throwaway cluster, and polling waits.
 */
import { createServer } from 'node:net';
import { Client } from 'pg';

export { ThrowawayCluster } from '../../support/postgres-cluster';
export const SHARED_PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

/** Lower-case identifier safe for databases, roles and application names. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000, stepMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(stepMs);
  }
}

/** The first loopback port in [from, to] nothing listens on (each suite owns its own range). */
export async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function pgClient(options: { port?: number; database?: string; user?: string; password?: string; application?: string } = {}): Promise<Client> {
  const client = new Client({
    host: '127.0.0.1',
    port: options.port ?? 5432,
    user: options.user ?? 'postgres',
    database: options.database ?? 'test',
    ...(options.password ? { password: options.password } : {}),
    ...(options.application ? { application_name: options.application } : {}),
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
