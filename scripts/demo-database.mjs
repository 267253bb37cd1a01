// The database `npm run demo` shows in the health panel. In order of preference:
//   1. DATABASE_URL from the environment (the user's own database; nothing is started);
//   2. a throwaway PostgreSQL cluster from the machine's own binaries (/usr/lib/postgresql/<v>/bin),
//      with a handful of real sessions kept alive: idle, active, idle in transaction, one blocked;
//   3. an in-process PGlite (WASM PostgreSQL) behind a socket: real counters, but a single session.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

const POSTGRES_ROOT = '/usr/lib/postgresql';

function newestPostgresBin() {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const versions = readdirSync(POSTGRES_ROOT).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(POSTGRES_ROOT, version, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return { version, bin };
  }
  return undefined;
}

/** initdb and the server refuse to run as root; as root, run them as the `postgres` account. */
function runAsServerUser(command, args) {
  if (userInfo().uid !== 0) return execFileSync(command, args, { stdio: 'pipe' });
  return execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
}

function serverUserIds() {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

async function startThrowawayCluster({ bin, version }, port) {
  // Its own folder, not inside the demo's private one: the server account must be able to reach it.
  const scratch = mkdtempSync(path.join(tmpdir(), 'dbhealth-demo-pg-'));
  const dataDir = path.join(scratch, 'pgdata');
  const socketDir = path.join(scratch, 'pgsocket');
  mkdirSync(socketDir, { recursive: true });
  if (userInfo().uid === 0) {
    const { uid, gid } = serverUserIds();
    chownSync(scratch, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  const stop = async () => {
    spawnSync(userInfo().uid === 0 ? 'runuser' : path.join(bin, 'pg_ctl'),
      userInfo().uid === 0
        ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', 'stop']
        : ['-D', dataDir, '-m', 'immediate', 'stop'],
      { stdio: 'ignore' });
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    runAsServerUser(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    runAsServerUser(path.join(bin, 'pg_ctl'), [
      '-D', dataDir, '-l', path.join(scratch, 'postgres.log'), '-w', '-t', '30', 'start',
      '-o', `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c max_connections=40 -c fsync=off`,
    ]);
  } catch (error) {
    await stop();
    throw new Error(`${error.message.split('\n')[0]}: ${error.stderr?.toString().trim() ?? ''}`);
  }
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, description: `a throwaway PostgreSQL ${version} cluster on 127.0.0.1:${port} (data in ${dataDir})`, stop };
}

/**
 * Sessions a real service would leave behind, so the panel has something to show: two idle pool
 * members, a report query running, a transaction left open, and an update waiting on its lock.
 */
async function startDemoSessions(url) {
  const { default: pg } = await import('pg');
  const clients = [];
  const connect = async (applicationName) => {
    const client = new pg.Client({ connectionString: url, application_name: applicationName });
    client.on('error', () => undefined); // the cluster stops under it at the end of the demo
    await client.connect();
    clients.push(client);
    return client;
  };
  const setup = await connect('orders-migrations');
  await setup.query(`CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, status text NOT NULL, total_cents int NOT NULL)`);
  await setup.query(`INSERT INTO orders SELECT g, 'paid', g * 100 FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING`);
  await setup.end();
  clients.pop();

  await (await connect('orders-api')).query('SELECT count(*) FROM orders');
  await (await connect('orders-api')).query('SELECT 1');
  const reporting = await connect('orders-reports');
  void reporting.query('SELECT pg_sleep(86400)').catch(() => undefined);
  const refunds = await connect('orders-refunds');
  await refunds.query('BEGIN');
  await refunds.query(`UPDATE orders SET status = 'refunding' WHERE id = 1`);
  const waiting = await connect('orders-worker');
  void waiting.query(`UPDATE orders SET status = 'shipped' WHERE id = 1`).catch(() => undefined);
  return {
    summary: '2 idle (orders-api), 1 active report query, 1 idle in transaction holding a row lock, 1 update blocked by it',
    stop: async () => {
      await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    },
  };
}

async function startPglite(port) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  await db.exec(`CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, total_cents int NOT NULL);
    INSERT INTO orders SELECT g, 'paid', g * 100 FROM generate_series(1, 1000) g;`);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1' });
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    description: `an embedded PGlite (PostgreSQL in WASM) on 127.0.0.1:${port}: one session at a time, so the panel shows real limits and counters but no crowd`,
    sessions: 'none (PGlite accepts one client at a time: the panel\'s own)',
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * Starts (or adopts) the demo's database.
 * @returns {Promise<{ url: string, description: string, sessions: string, stop(): Promise<void> }>}
 */
export async function startDemoDatabase({ port, log = console.log }) {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, description: 'your database, from DATABASE_URL', sessions: 'yours', stop: async () => undefined };
  }
  const postgres = newestPostgresBin();
  if (postgres) {
    try {
      const cluster = await startThrowawayCluster(postgres, port);
      try {
        const sessions = await startDemoSessions(cluster.url);
        return {
          url: cluster.url,
          description: cluster.description,
          sessions: sessions.summary,
          stop: async () => {
            await sessions.stop();
            await cluster.stop();
          },
        };
      } catch (error) {
        await cluster.stop();
        throw error;
      }
    } catch (error) {
      log(`could not start a PostgreSQL cluster (${error instanceof Error ? error.message.split('\n')[0] : error}); using PGlite instead`);
    }
  }
  return startPglite(port);
}
