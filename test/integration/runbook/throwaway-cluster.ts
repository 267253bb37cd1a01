/**
 * A private PostgreSQL cluster in a temporary folder, for conditions the shared server must never
 * see (filled to its connection limit, stopped, password authentication). Ports 16460–16469 belong
 * to the runbook tests. initdb refuses to run as root, so as root it runs as the postgres user.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';

export interface ThrowawayCluster {
  readonly port: number;
  readonly password: string;
  readonly dataDir: string;
  start(): void;
  stop(): void;
  destroy(): void;
}

function asPostgres(command: string, args: readonly string[]): string {
  const isRoot = process.getuid?.() === 0;
  const [file, fullArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
  return execFileSync(file, fullArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function createThrowawayCluster(port: number, maxConnections: number): ThrowawayCluster {
  const root = mkdtempSync(path.join(tmpdir(), 'dbhealth-runbook-pg-'));
  const dataDir = path.join(root, 'data');
  const password = 'runbook-secret';
  const passwordFile = path.join(root, 'pw');
  writeFileSync(passwordFile, `${password}\n`);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
    chownSync(passwordFile, uid, gid);
  }
  asPostgres(`${BIN}/initdb`, ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '--no-sync']);
  const options = [
    `-p ${port}`,
    `-c max_connections=${maxConnections}`,
    '-c superuser_reserved_connections=1',
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${root}`,
    '-c fsync=off',
    '-c shared_buffers=8MB',
  ].join(' ');
  let running = false;
  const cluster: ThrowawayCluster = {
    port,
    password,
    dataDir,
    start() {
      asPostgres(`${BIN}/pg_ctl`, ['-D', dataDir, '-o', options, '-l', path.join(root, 'log'), '-w', '-t', '30', 'start']);
      running = true;
    },
    stop() {
      if (!running) return;
      asPostgres(`${BIN}/pg_ctl`, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      running = false;
    },
    destroy() {
      try {
        cluster.stop();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
  return cluster;
}
