/**
 * Failure behaviour against real processes: a private PostgreSQL cluster (port 16440-16449) stopped
 * in the middle of a watch and started again, a SCRAM role given the wrong password, and a TCP
 * listener that accepts and never answers. The shared servers are never stopped.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { PostgresCollector } from '../../../src/db/postgres/collector';
import { MysqlCollector } from '../../../src/db/mysql/collector';
import { PgbouncerCollector } from '../../../src/db/pgbouncer/collector';
import { Poller } from '../../../src/db/poller';
import { parseConnectionUrl } from '../../../src/db/target';
import type { PollerState } from '../../../src/db/types';
import { runHealthCommand } from '../../../src/cli/health-command';
import { pgClient, sleep, ThrowawayCluster, uniqueName, waitFor } from './helpers';

const CLUSTER_PORT = 16440 + (process.pid % 5);
const SILENT_PORT = 16445 + (process.pid % 5);
const scramRole = 'dbh_col_scram';
const monitorApp = uniqueName('dbh-col-watch');

interface TimedState { at: number; state: PollerState }

describe('collector failure handling', { timeout: 120_000 }, () => {
  let cluster: ThrowawayCluster;
  let silent: Server;
  const silentSockets: Socket[] = [];

  before(async () => {
    cluster = new ThrowawayCluster(CLUSTER_PORT, { scramRoles: [scramRole] });
    cluster.start();
    const admin = await pgClient({ port: CLUSTER_PORT, database: 'postgres' });
    await admin.query(`CREATE ROLE ${scramRole} LOGIN PASSWORD 'right-password'`);
    await admin.end();
    silent = createServer((socket) => {
      silentSockets.push(socket); // accept, read nothing back, never answer
    });
    await new Promise<void>((resolve) => silent.listen(SILENT_PORT, '127.0.0.1', resolve));
  });

  after(async () => {
    for (const socket of silentSockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
    cluster?.destroy();
  });

  it('reports unreachable with growing backoff when the server stops mid-watch, and recovers on its own', async () => {
    const states: TimedState[] = [];
    const collector = new PostgresCollector(parseConnectionUrl(`postgres://postgres@127.0.0.1:${CLUSTER_PORT}/postgres?application_name=${monitorApp}&connect_timeout=2`));
    const poller = new Poller(collector, { intervalMs: 200, backoffInitialMs: 200, backoffMaxMs: 1600, jitter: 0 }, {
      onState: (state) => states.push({ at: Date.now(), state }),
    });
    const monitorCount = async (): Promise<number> => {
      const admin = await pgClient({ port: CLUSTER_PORT, database: 'postgres' });
      try {
        return (await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [monitorApp])).rows[0].n;
      } finally {
        await admin.end();
      }
    };
    poller.start();
    try {
      await waitFor('live', () => (poller.state.kind === 'live' ? true : undefined));
      await sleep(500);
      assert.equal(await monitorCount(), 1);

      cluster.stop('fast');
      const stoppedAt = Date.now();
      await waitFor('stale or unreachable', () => (poller.state.kind === 'stale' || poller.state.kind === 'unreachable' ? true : undefined), 5000, 20);
      await sleep(4500);
      const down = states.filter((entry) => entry.at >= stoppedAt);
      assert.equal(down.find((entry) => entry.state.kind === 'stale' || entry.state.kind === 'unreachable')?.state.kind, 'stale', 'the first failure after live is reported as stale data');
      const unreachable = down.map((entry) => entry.state).filter((state): state is Extract<PollerState, { kind: 'unreachable' }> => state.kind === 'unreachable');
      assert.ok(unreachable.length >= 3, `unreachable states: ${unreachable.length}`);
      assert.match(unreachable[0].reason, /ECONNREFUSED|terminat|shutting down/);
      // backoff without jitter doubles up to the cap: 200, 400, 800, 1600, 1600 ms
      const attempts = down.filter((entry) => entry.state.kind === 'connecting').map((entry) => entry.at);
      const gaps = attempts.slice(1).map((at, index) => at - attempts[index]);
      assert.ok(gaps.length >= 2, `reconnect attempts ${attempts.length}`);
      for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] >= gaps[i - 1] * 1.5 || gaps[i] >= 1500, `gaps ${gaps.join(',')}`);
      assert.ok(attempts.length <= 6, `no retry storm: ${attempts.length} attempts in ${Date.now() - stoppedAt} ms`);
      const unreachableSince = new Set(unreachable.map((state) => state.since));
      assert.equal(unreachableSince.size, 1, 'unreachable keeps the time it started');

      cluster.start();
      await waitFor('live again', () => (poller.state.kind === 'live' ? true : undefined), 10_000, 50);
      await sleep(600);
      assert.equal(await monitorCount(), 1, 'never more than one monitoring connection');
      assert.equal(poller.lastFailure, null);
    } finally {
      await poller.stop();
    }
    assert.equal(poller.state.kind, 'stopped');
  });

  it('stops at one clear authentication error instead of retrying', async () => {
    const states: PollerState[] = [];
    const collector = new PostgresCollector(parseConnectionUrl(`postgres://${scramRole}:wrong-password@127.0.0.1:${CLUSTER_PORT}/postgres`));
    const poller = new Poller(collector, { intervalMs: 100, backoffInitialMs: 100, backoffMaxMs: 200, jitter: 0, authRetryMs: null }, {
      onState: (state) => states.push(state),
    });
    poller.start();
    try {
      await waitFor('auth-failed', () => (poller.state.kind === 'auth-failed' ? true : undefined));
      await sleep(1500);
      assert.equal(poller.connectAttempts, 1);
      assert.equal(states.filter((state) => state.kind === 'auth-failed').length, 1);
      const state = poller.state as Extract<PollerState, { kind: 'auth-failed' }>;
      assert.match(state.reason, /password authentication failed for user "dbh_col_scram"/);
      assert.equal(state.nextRetryAt, null);
      assert.ok(!state.reason.includes('wrong-password'));
    } finally {
      await poller.stop();
    }

    let stderr = '';
    const code = await runHealthCommand(['--url', `postgres://${scramRole}:wrong-password@127.0.0.1:${CLUSTER_PORT}/postgres`], {
      stdout: () => undefined,
      stderr: (text) => { stderr += text; },
      env: {},
      cwd: process.cwd(),
    });
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^dbhealth: connecting to PostgreSQL: password authentication failed/);

    const right = new PostgresCollector(parseConnectionUrl(`postgres://${scramRole}:right-password@127.0.0.1:${CLUSTER_PORT}/postgres`));
    await right.connect();
    await right.close();
  });

  it('honours the connect timeout against a listener that never answers (postgres, pgbouncer, mysql)', async () => {
    const collectors = [
      new PostgresCollector(parseConnectionUrl(`postgres://postgres@127.0.0.1:${SILENT_PORT}/postgres?connect_timeout=1`)),
      new PgbouncerCollector(parseConnectionUrl(`pgbouncer://postgres@127.0.0.1:${SILENT_PORT}/pgbouncer?connect_timeout=1`)),
      new MysqlCollector(parseConnectionUrl(`mysql://root@127.0.0.1:${SILENT_PORT}/test?connectTimeout=1000`)),
    ];
    for (const collector of collectors) {
      const started = Date.now();
      await assert.rejects(collector.connect(), (error: { kind: string; message: string }) => {
        assert.equal(error.kind, 'timeout', error.message);
        assert.match(error.message, /connect timeout of 1000 ms/);
        return true;
      });
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 900 && elapsed < 3000, `${collector.target.engine} gave up after ${elapsed} ms`);
      assert.equal(collector.isConnected, false);
    }
    assert.ok(silentSockets.length >= 3, 'each client really reached the listener');
  });

  it('a watch on a server that is down says so, and exits 1 when stopped', async () => {
    const controller = new AbortController();
    let stderr = '';
    const running = runHealthCommand(['--url', 'postgres://postgres@127.0.0.1:1/postgres', '--watch', '--interval', '0.2'], {
      stdout: () => undefined,
      stderr: (text) => { stderr += text; },
      env: {},
      cwd: process.cwd(),
    }, controller.signal);
    await sleep(1500);
    controller.abort();
    assert.equal(await running, 1);
    assert.match(stderr, /unreachable since .*ECONNREFUSED.*retry 1 at/);
  });
});
