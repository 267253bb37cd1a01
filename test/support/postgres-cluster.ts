/**
 * A private PostgreSQL 15 cluster in a temporary folder, for conditions the shared server must never
 * see: filled to its connection limit, stopped and restarted, password authentication, hostile
 * session data. Used by the integration and end-to-end layers; each suite passes its own port.
 * initdb and the server refuse to run as root, so as root they run as the postgres OS user.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface ClusterOptions {
  /** Extra postgresql.conf settings, written as given (`"'8MB'"` for strings that need quotes). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Roles that must log in over TCP with SCRAM; `all` for every role. Everything else is trusted. */
  readonly scramRoles?: readonly string[];
  /** The postgres superuser's password, set at initdb (needed when it must use SCRAM). */
  readonly superuserPassword?: string;
}

function asPostgres(command: string, args: readonly string[]): string {
  const [file, fullArgs] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
  return execFileSync(file, fullArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function giveToPostgres(paths: readonly string[]): void {
  if (process.getuid?.() !== 0) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  for (const path of paths) chownSync(path, uid, gid);
}

export class ThrowawayCluster {
  readonly dir: string;
  readonly dataDir: string;
  readonly password: string | undefined;
  private started = false;

  constructor(readonly port: number, options: ClusterOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'dbhealth-pg-'));
    this.dataDir = join(this.dir, 'data');
    this.password = options.superuserPassword;
    chmodSync(this.dir, 0o755);
    const initdbArgs = ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'];
    const owned = [this.dir];
    if (this.password !== undefined) {
      const passwordFile = join(this.dir, 'superuser-password');
      writeFileSync(passwordFile, `${this.password}\n`);
      owned.push(passwordFile);
      initdbArgs.push(`--pwfile=${passwordFile}`);
    }
    giveToPostgres(owned);
    asPostgres(join(PG_BIN, 'initdb'), initdbArgs);
    const scram = (options.scramRoles ?? []).map((role) => `host all ${role} 127.0.0.1/32 scram-sha-256\n`).join('');
    writeFileSync(join(this.dataDir, 'pg_hba.conf'), `${scram}host all all 127.0.0.1/32 trust\nlocal all all trust\n`);
    const conf: Record<string, string> = {
      listen_addresses: "'127.0.0.1'",
      port: String(port),
      unix_socket_directories: `'${this.dir}'`,
      fsync: 'off',
      shared_buffers: "'32MB'",
      password_encryption: "'scram-sha-256'",
      ...options.settings,
    };
    appendFileSync(join(this.dataDir, 'postgresql.conf'), Object.entries(conf).map(([key, value]) => `${key} = ${value}\n`).join(''));
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
