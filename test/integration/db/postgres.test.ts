/**
 * PostgreSQL collector against the machine's real PostgreSQL 15. Every condition is created in a
 * database of this run's own, so assertions count only this run's sessions even while other suites
 * use the same server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Client } from 'pg';
import { PostgresCollector } from '../../../src/db/postgres/collector';
import { parseConnectionUrl } from '../../../src/db/target';
import { DEFAULT_THRESHOLDS, type Snapshot } from '../../../src/db/types';
import { pgClient, sleep, uniqueName, waitFor } from './helpers';

const database = uniqueName('dbh_col_pg');
const application = uniqueName('dbh-col-app');
const plainRole = uniqueName('dbh_col_plain');
const thresholds = { ...DEFAULT_THRESHOLDS, idleInTransactionSeconds: 0.2, longQuerySeconds: 0.5 };

function countFor(list: readonly { key: string; count: number }[], key: string): number {
  return list.find((entry) => entry.key === key)?.count ?? 0;
}

function ours(snapshot: Snapshot): Snapshot['sessions'] {
  return snapshot.sessions.filter((session) => session.application === application);
}

describe('PostgreSQL collector', { timeout: 120_000 }, () => {
  let admin: Client;
  const held: Client[] = [];
  let collector: PostgresCollector;
  let blockerPid = '';
  let waiterPid = '';
  let sleeperPid = '';
  const idleInTransactionPids: string[] = [];

  before(async () => {
    admin = await pgClient();
    await admin.query(`CREATE DATABASE ${database} CONNECTION LIMIT 40`);
    await admin.query(`CREATE ROLE ${plainRole} LOGIN CONNECTION LIMIT 5`);
    const setup = await pgClient({ database });
    await setup.query('CREATE TABLE account (id int PRIMARY KEY, balance int NOT NULL)');
    await setup.query('INSERT INTO account VALUES (1, 100), (2, 200)');
    await setup.end();

    // 3 idle sessions
    for (let i = 0; i < 3; i++) held.push(await pgClient({ database, application }));
    // 2 sessions idle in transaction
    for (let i = 0; i < 2; i++) {
      const client = await pgClient({ database, application });
      await client.query('BEGIN');
      await client.query('SELECT balance FROM account WHERE id = 2');
      idleInTransactionPids.push(String((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid));
      held.push(client);
    }
    // a row lock held by an idle transaction, and an UPDATE queued behind it
    const blocker = await pgClient({ database, application });
    await blocker.query('BEGIN');
    await blocker.query('UPDATE account SET balance = balance + 1 WHERE id = 1');
    blockerPid = String((await blocker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    held.push(blocker);
    const waiter = await pgClient({ database, application });
    waiterPid = String((await waiter.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    void waiter.query('UPDATE account SET balance = balance - 1 WHERE id = 1').catch(() => undefined);
    held.push(waiter);
    // a query that runs for a while
    const sleeper = await pgClient({ database, application });
    sleeperPid = String((await sleeper.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    void sleeper.query('SELECT pg_sleep(30)').catch(() => undefined);
    held.push(sleeper);

    await waitFor('the UPDATE to wait on the row lock', async () => {
      const result = await admin.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [Number(waiterPid)]);
      return result.rows[0]?.wait_event_type === 'Lock' ? true : undefined;
    });
    await sleep(700); // older than the 0.2 s / 0.5 s thresholds

    collector = new PostgresCollector(parseConnectionUrl(`postgres://postgres@127.0.0.1:5432/${database}?application_name=${application}-monitor`));
    await collector.connect();
  });

  after(async () => {
    await collector?.close();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]).catch(() => undefined);
    for (const client of held) await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${plainRole}`);
    await admin.end();
  });

  it('counts the sessions by state, application and database exactly', async () => {
    const snapshot = await collector.collect(thresholds);
    assert.equal(snapshot.engine, 'postgres');
    assert.match(snapshot.serverVersion, /^PostgreSQL 15\./);
    const mine = ours(snapshot);
    assert.equal(mine.length, 8);
    assert.equal(countFor(snapshot.byApplication, application), 8);
    // our 8 sessions + the monitor: nothing else connects to this run's database
    assert.equal(countFor(snapshot.byDatabase, database), 9);
    const states = (state: string): number => mine.filter((session) => session.state === state).length;
    assert.equal(states('idle'), 3);
    assert.equal(states('idle in transaction'), 3);
    assert.equal(states('active'), 2);
    const monitor = snapshot.sessions.filter((session) => session.isMonitor);
    assert.equal(monitor.length, 1);
    assert.equal(monitor[0].application, `${application}-monitor`);
  });

  it('computes utilization against max_connections minus the reserved slots', async () => {
    const snapshot = await collector.collect(thresholds);
    const settings = (await admin.query(`SELECT current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved`)).rows[0];
    assert.equal(snapshot.connections.reserved, settings.reserved);
    assert.equal(snapshot.connections.max, settings.max - settings.reserved);
    assert.equal(snapshot.limits.maxConnections, settings.max);
    assert.ok(Math.abs(snapshot.connections.utilization - snapshot.connections.total / snapshot.connections.max) < 1e-12);
    assert.ok(snapshot.connections.total >= 9);
    // the limits show the server's defaults, not the monitor's own 3 s statement timeout
    assert.equal(snapshot.limits.settings.statement_timeout, '0 ms');
    assert.deepEqual(snapshot.limits.databaseLimits.find((limit) => limit.database === database), { database, limit: 40, current: 9 });
    assert.deepEqual(snapshot.limits.roleLimits.find((limit) => limit.role === plainRole), { role: plainRole, limit: 5, current: 0 });
  });

  it('lists idle-in-transaction sessions, the long-running query and the blocking chain', async () => {
    const snapshot = await collector.collect(thresholds);
    const idleIds = snapshot.idleInTransaction.filter((session) => session.application === application).map((session) => session.id).sort();
    assert.deepEqual(idleIds, [...idleInTransactionPids, blockerPid].sort());
    for (const session of snapshot.idleInTransaction) assert.ok((session.transactionAgeSeconds ?? 0) > 0.2);

    const waiter = snapshot.sessions.find((session) => session.id === waiterPid);
    assert.ok(waiter);
    assert.deepEqual(waiter.blockedBy, [blockerPid]);
    assert.match(waiter.waitEvent ?? '', /^Lock:/);
    // only lock waiters are asked for blockers
    assert.ok(snapshot.sessions.filter((session) => session.id !== waiterPid && session.application === application).every((session) => session.blockedBy.length === 0));
    const chain = snapshot.blockingChains.find((candidate) => candidate.rootId === blockerPid);
    assert.ok(chain, 'a chain rooted at the lock holder');
    assert.deepEqual(chain.sessionIds, [blockerPid, waiterPid]);
    assert.deepEqual(chain.waitingIds, [waiterPid]);

    const long = snapshot.longRunning.filter((session) => session.application === application).map((session) => session.id).sort();
    assert.deepEqual(long, [sleeperPid, waiterPid].sort());
    const alertIds = snapshot.alerts.map((alert) => alert.id);
    for (const id of ['idle-in-transaction', 'long-running-query', 'blocked-sessions']) assert.ok(alertIds.includes(id), `alert ${id} in ${alertIds.join(',')}`);
  });

  it('measures tps from counter deltas over a pgbench run, and resets when counters go backwards', async () => {
    const init = spawnSync('pgbench', ['-i', '-s', '1', '-q', '-h', '127.0.0.1', '-U', 'postgres', database], { encoding: 'utf8' });
    assert.equal(init.status, 0, init.stderr);
    const before = await collector.collect(thresholds);
    const run = spawnSync('pgbench', ['-h', '127.0.0.1', '-U', 'postgres', '-c', '2', '-T', '3', '-n', database], {
      encoding: 'utf8',
      env: { ...process.env, PGAPPNAME: `${application}-bench` },
    });
    assert.equal(run.status, 0, run.stderr);
    const processed = Number(/number of transactions actually processed: (\d+)/.exec(run.stdout)?.[1]);
    assert.ok(processed > 0, run.stdout);
    // a backend flushes its last counts while it exits, just after pgbench returns
    await waitFor('pgbench backends to exit', async () => {
      const rows = (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [`${application}-bench`])).rows;
      return rows[0].n === 0 ? true : undefined;
    });
    await sleep(300);
    const afterRun = await collector.collect(thresholds);
    assert.ok(afterRun.rates?.tps !== null && afterRun.rates?.intervalSeconds, 'interval rates after a previous poll');
    const { tps, intervalSeconds } = afterRun.rates as { tps: number; intervalSeconds: number };
    // server-wide counters: at least pgbench's own transactions were seen between the two polls
    assert.ok(tps * intervalSeconds >= processed, `tps ${tps} × ${intervalSeconds}s < ${processed}`);
    const sampledGap = (Date.parse(afterRun.sampledAt) - Date.parse(before.sampledAt)) / 1000;
    assert.ok(Math.abs(sampledGap - intervalSeconds) < 0.01);
    assert.ok(afterRun.rates?.cacheHitRatio !== null && (afterRun.rates?.cacheHitRatio ?? 0) > 0);

    // pg_stat_reset on this database sets its counters back to zero: that database sits out one
    // interval, the rates stay sane (never negative), and the next interval counts it again
    const own = await pgClient({ database });
    await own.query('SELECT pg_stat_reset()');
    await own.end();
    const afterReset = await collector.collect(thresholds);
    assert.ok(afterReset.rates?.tps !== null && (afterReset.rates?.tps ?? -1) >= 0, `tps after reset ${afterReset.rates?.tps}`);
    assert.ok((afterReset.rates?.rollbackRate ?? 0) >= 0 && (afterReset.rates?.rollbackRate ?? 0) <= 1);
    const again = spawnSync('pgbench', ['-h', '127.0.0.1', '-U', 'postgres', '-c', '1', '-t', '200', '-n', database], { encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    await waitFor('pgbench backends to report and exit', async () => {
      const rows = (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pgbench'`, [database])).rows;
      return rows[0].n === 0 ? true : undefined;
    });
    await sleep(300);
    const next = await collector.collect(thresholds);
    const counted = (next.rates?.tps ?? 0) * (next.rates?.intervalSeconds ?? 0);
    assert.ok(counted >= 200, `after the reset, the database counts again: ${counted} < 200`);
  });

  it('reports sessions hidden from a role without pg_read_all_stats instead of miscounting them', async () => {
    const plain = new PostgresCollector(parseConnectionUrl(`postgres://${plainRole}@127.0.0.1:5432/${database}?application_name=${application}-plain`));
    await plain.connect();
    try {
      const snapshot = await plain.collect(thresholds);
      // our 8 sessions + the postgres monitor are hidden; the plain monitor sees itself
      assert.equal(countFor(snapshot.byDatabase, database), 10);
      assert.equal(ours(snapshot).length, 0);
      assert.ok(snapshot.hiddenSessions >= 9, `hidden ${snapshot.hiddenSessions}`);
      assert.equal(snapshot.connections.byState.hidden, snapshot.hiddenSessions);
      assert.equal(snapshot.sessions.filter((session) => session.database === database).length, 1);
      assert.ok(snapshot.alerts.some((alert) => alert.id === 'sessions-hidden' && alert.message.startsWith(`${snapshot.hiddenSessions} session(s) hidden`)));
      assert.deepEqual(snapshot.limits.roleLimits.find((limit) => limit.role === plainRole), { role: plainRole, limit: 5, current: 1 });
    } finally {
      await plain.close();
    }
  });

  it('keeps exactly one monitoring connection, tagged, with its statement timeout set after connecting', async () => {
    const rows = (await admin.query(`SELECT pid, current_setting('statement_timeout') FROM pg_stat_activity WHERE application_name = $1`, [`${application}-monitor`])).rows;
    assert.equal(rows.length, 1);
    await collector.connect(); // a reconnect replaces, never adds
    await collector.collect(thresholds);
    const after = (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [`${application}-monitor`])).rows[0].n;
    assert.equal(after, 1);
    const snapshot = await collector.collect(thresholds);
    const monitor = snapshot.sessions.find((session) => session.isMonitor);
    assert.ok(monitor);
    assert.equal(monitor.state, 'active'); // autocommit: never idle in transaction between polls
    assert.equal(monitor.transactionAgeSeconds !== null && (monitor.transactionAgeSeconds ?? 0) > 1, false);
    assert.deepEqual(snapshot.monitorSession, { id: monitor.id, statementTimeout: '3s' });
  });
});
