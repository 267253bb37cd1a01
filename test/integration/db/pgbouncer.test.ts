/**
 * PgBouncer collector against Debian's pgbouncer, started by this test with its own ini on a port in
 * 16432-16439 in front of the shared PostgreSQL, with a pool of 2 so clients queue.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { PgbouncerCollector } from '../../../src/db/pgbouncer/collector';
import { parseConnectionUrl } from '../../../src/db/target';
import { DEFAULT_THRESHOLDS } from '../../../src/db/types';
import { runHealthCommand } from '../../../src/cli/health-command';
import { freePort, pgClient, sleep, uniqueName, waitFor } from './helpers';

const PGBOUNCER = '/usr/sbin/pgbouncer';
const alias = uniqueName('dbh_col_bouncer');
const thresholds = { ...DEFAULT_THRESHOLDS, pgbouncerMaxWaitSeconds: 1 };

describe('PgBouncer collector', { timeout: 60_000 }, () => {
  let dir = '';
  let port = 0;
  let bouncer: ChildProcess | null = null;
  const clients: Client[] = [];
  let collector: PgbouncerCollector;

  before(async () => {
    assert.ok(existsSync(PGBOUNCER), `${PGBOUNCER} is missing: scripts/ensure-databases.sh installs Debian's pgbouncer package`);
    port = await freePort(16432, 16439);
    dir = mkdtempSync(join(tmpdir(), 'dbh-collectors-bouncer-'));
    if (process.getuid?.() === 0) {
      chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    }
    writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
    writeFileSync(join(dir, 'pgbouncer.ini'), [
      '[databases]',
      `${alias} = host=127.0.0.1 port=5432 dbname=test pool_size=2`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'admin_users = postgres',
      'pool_mode = transaction',
      'max_client_conn = 40',
      'default_pool_size = 2',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'));
    // -u drops root for the postgres user itself, so signals reach pgbouncer directly
    bouncer = spawn(PGBOUNCER, [...(process.getuid?.() === 0 ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
    await waitFor('pgbouncer to listen', async () => {
      try {
        const probe = await pgClient({ port, database: 'pgbouncer' });
        await probe.end();
        return true;
      } catch {
        return undefined;
      }
    }, 10_000, 200);
    for (let i = 0; i < 5; i++) clients.push(await pgClient({ port, database: alias, application: `${alias}-app` }));
    for (const client of clients) void client.query('SELECT pg_sleep(4)').catch(() => undefined);
    await sleep(1300);
    collector = new PgbouncerCollector(parseConnectionUrl(`postgres://postgres@127.0.0.1:${port}/pgbouncer?application_name=${alias}-monitor`));
    await collector.connect();
  });

  after(async () => {
    await collector?.close();
    for (const client of clients) await client.end().catch(() => undefined);
    if (bouncer && bouncer.exitCode === null) {
      bouncer.kill('SIGINT');
      await new Promise((resolve) => bouncer?.once('exit', resolve));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows two clients served and three queued in the pool of two, with the wait', async () => {
    const snapshot = await collector.collect(thresholds);
    assert.equal(snapshot.engine, 'pgbouncer');
    assert.match(snapshot.serverVersion, /PgBouncer 1\.\d+/);
    const pool = snapshot.pgbouncer?.pools.find((candidate) => candidate.database === alias);
    assert.ok(pool, `pool for ${alias} in ${JSON.stringify(snapshot.pgbouncer?.pools)}`);
    assert.equal(pool.user, 'postgres');
    assert.equal(pool.clientsActive, 2);
    assert.equal(pool.clientsWaiting, 3);
    assert.equal(pool.serversActive, 2);
    assert.equal(pool.poolMode, 'transaction');
    assert.ok(pool.maxWaitSeconds >= 1 && pool.maxWaitSeconds < 4, `maxwait ${pool.maxWaitSeconds}`);
    assert.equal(snapshot.pgbouncer?.clientsWaiting, 3);
    const database = snapshot.pgbouncer?.databases.find((candidate) => candidate.name === alias);
    assert.equal(database?.poolSize, 2);
    assert.equal(database?.database, 'test');
    assert.equal(database?.port, 5432);
    assert.equal(snapshot.connections.max, 40);
    assert.equal(snapshot.limits.settings.max_client_conn, '40');
    const alert = snapshot.alerts.find((candidate) => candidate.id === 'pgbouncer-clients-waiting');
    assert.ok(alert);
    assert.equal(alert.severity, 'error'); // waited longer than the 1 s threshold
    assert.match(alert.message, new RegExp(`^3 client\\(s\\) waiting .*${alias}/postgres \\(3\\)`));
  });

  it('reads SHOW STATS after the queries complete', async () => {
    // transaction pooling: when the first two sleeps end their servers go to the queued three
    await waitFor('the queue to drain and every query to finish', async () => {
      const snapshot = await collector.collect(thresholds);
      const pool = snapshot.pgbouncer?.pools.find((candidate) => candidate.database === alias);
      return pool && pool.clientsWaiting === 0 && pool.serversActive === 0 ? snapshot : undefined;
    }, 20_000, 500);
    // stats are averaged every stats_period (60 s by default); totals are updated at once
    const snapshot = await collector.collect(thresholds);
    const stats = snapshot.pgbouncer?.stats.find((candidate) => candidate.database === alias);
    assert.ok(stats);
    assert.ok(stats.totalQueryCount >= 5, `total_query_count ${stats.totalQueryCount}`);
    assert.ok(!snapshot.alerts.some((candidate) => candidate.id === 'pgbouncer-clients-waiting'));
  });

  it('keeps one admin-console connection, tagged, and the CLI prints the same data', async () => {
    const admin = await pgClient({ port, database: 'pgbouncer' });
    try {
      const rows = (await admin.query('SHOW CLIENTS')).rows as Record<string, unknown>[];
      const monitors = rows.filter((row) => row.application_name === `${alias}-monitor`);
      assert.equal(monitors.length, 1);
    } finally {
      await admin.end();
    }
    let stdout = '';
    const code = await runHealthCommand(['--url', `pgbouncer://postgres@127.0.0.1:${port}/pgbouncer`, '--format', 'json'], {
      stdout: (text) => { stdout += text; },
      stderr: () => undefined,
      env: {},
      cwd: process.cwd(),
    });
    const parsed = JSON.parse(stdout) as { engine: string; pgbouncer: { pools: { database: string }[] }; connections: { max: number } };
    assert.equal(code, 0);
    assert.equal(parsed.engine, 'pgbouncer');
    assert.equal(parsed.connections.max, 40);
    assert.ok(parsed.pgbouncer.pools.some((pool) => pool.database === alias));
    assert.ok(readFileSync(join(dir, 'pgbouncer.log'), 'utf8').length > 0);
  });
});
