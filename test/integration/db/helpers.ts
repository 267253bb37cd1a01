/**
 * Shared fixtures for the collector tests: unique names per run (other suites use the same servers
 * at the same time), a throwaway PostgreSQL cluster owned by the postgres OS user, and polling waits.
 */
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
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

/** Runs `command` as the postgres OS user (initdb and the server refuse to run as root). */
function asPostgres(command: string, args: string[]): string {
  const runAs = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] as const : [command, args] as const;
  return execFileSync(runAs[0], runAs[1], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A private PostgreSQL 15 cluster in a temp dir, trust for postgres, SCRAM for the roles listed. */
export class ThrowawayCluster {
  readonly dir: string;
  readonly dataDir: string;
  private started = false;

  constructor(readonly port: number, private readonly settings: Record<string, string> = {}, scramRoles: string[] = []) {
    this.dir = mkdtempSync(join(tmpdir(), 'dbh-collectors-pg-'));
    this.dataDir = join(this.dir, 'data');
    chmodSync(this.dir, 0o700);
    if (process.getuid?.() === 0) {
      const uid = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
      const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
      chownSync(this.dir, Number(uid), Number(gid));
    }
    asPostgres(join(PG_BIN, 'initdb'), ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    const hba = scramRoles.map((role) => `host all ${role} 127.0.0.1/32 scram-sha-256\n`).join('') + 'host all all 127.0.0.1/32 trust\nlocal all all trust\n';
    writeFileSync(join(this.dataDir, 'pg_hba.conf'), hba);
    const conf = {
      listen_addresses: "'127.0.0.1'",
      port: String(port),
      unix_socket_directories: `'${this.dir}'`,
      fsync: 'off',
      shared_buffers: '32MB',
      password_encryption: "'scram-sha-256'",
      ...settings,
    };
    appendFileSync(join(this.dataDir, 'postgresql.conf'), Object.entries(conf).map(([k, v]) => `${k} = ${v}\n`).join(''));
  }

  start(): void {
    asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', this.dataDir, '-l', join(this.dir, 'server.log'), '-w', '-t', '60', 'start']);
    this.started = true;
  }

  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    if (!this.started) return;
    asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
    this.started = false;
  }

  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
