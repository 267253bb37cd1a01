/**
 * MySQL/MariaDB collector against the machine's MariaDB 10.11. Sessions of this run use a schema
 * of their own, so counts by database are exact while other suites share the server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, type Connection } from 'mysql2/promise';
import { MysqlCollector } from '../../../src/db/mysql/collector';
import { parseConnectionUrl } from '../../../src/db/target';
import { DEFAULT_THRESHOLDS, type Snapshot } from '../../../src/db/types';
import { sleep, uniqueName, waitFor } from './helpers';

const schema = uniqueName('dbh_col_my');
const thresholds = { ...DEFAULT_THRESHOLDS, idleInTransactionSeconds: 0.2, longQuerySeconds: 0.5, longSleepSeconds: 0.5 };

async function open(database?: string): Promise<Connection> {
  const connection = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', ...(database ? { database } : {}) });
  connection.on('error', () => undefined);
  return connection;
}

async function threadId(connection: Connection): Promise<string> {
  const [rows] = await connection.query('SELECT CONNECTION_ID() AS id');
  return String((rows as { id: number }[])[0].id);
}

function inSchema(snapshot: Snapshot): Snapshot['sessions'] {
  return snapshot.sessions.filter((session) => session.database === schema);
}

describe('MySQL/MariaDB collector', { timeout: 60_000 }, () => {
  let admin: Connection;
  const held: Connection[] = [];
  let collector: MysqlCollector;
  const idleIds: string[] = [];
  const inTransactionIds: string[] = [];
  let blockerId = '';
  let waiterId = '';
  let sleeperId = '';

  before(async () => {
    admin = await open();
    await admin.query(`CREATE DATABASE ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.account (id INT PRIMARY KEY, balance INT NOT NULL) ENGINE=InnoDB`);
    await admin.query(`INSERT INTO ${schema}.account VALUES (1, 100), (2, 200)`);
    for (let i = 0; i < 3; i++) {
      const connection = await open(schema);
      idleIds.push(await threadId(connection));
      held.push(connection);
    }
    for (let i = 0; i < 2; i++) {
      const connection = await open(schema);
      await connection.query('START TRANSACTION');
      await connection.query('SELECT balance FROM account WHERE id = 2 LOCK IN SHARE MODE');
      inTransactionIds.push(await threadId(connection));
      held.push(connection);
    }
    const blocker = await open(schema);
    await blocker.query('START TRANSACTION');
    await blocker.query('UPDATE account SET balance = balance + 1 WHERE id = 1');
    blockerId = await threadId(blocker);
    held.push(blocker);
    const waiter = await open(schema);
    waiterId = await threadId(waiter);
    await waiter.query('SET SESSION innodb_lock_wait_timeout = 50');
    void waiter.query('UPDATE account SET balance = balance - 1 WHERE id = 1').catch(() => undefined);
    held.push(waiter);
    const sleeper = await open(schema);
    sleeperId = await threadId(sleeper);
    void sleeper.query('SELECT SLEEP(30)').catch(() => undefined);
    held.push(sleeper);

    await waitFor('the UPDATE to wait on the row lock', async () => {
      const [rows] = await admin.query('SELECT COUNT(*) AS n FROM information_schema.INNODB_LOCK_WAITS');
      return Number((rows as { n: number }[])[0].n) > 0 ? true : undefined;
    });
    await sleep(1200); // past the 0.5 s thresholds (TIME has whole seconds)
    collector = new MysqlCollector(parseConnectionUrl(`mysql://root@127.0.0.1:3306/${schema}?application_name=${schema}-monitor`));
    await collector.connect();
  });

  after(async () => {
    await collector?.close();
    for (const id of [...idleIds, ...inTransactionIds, blockerId, waiterId, sleeperId]) await admin.query('KILL ?', [Number(id)]).catch(() => undefined);
    for (const connection of held) connection.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${schema}`);
    await admin.end();
  });

  it('reports threads, limits and counters from status and variables', async () => {
    const snapshot = await collector.collect(thresholds);
    assert.equal(snapshot.engine, 'mysql');
    assert.match(snapshot.serverVersion, /MariaDB/);
    const [variables] = await admin.query(`SELECT @@max_connections AS max, @@wait_timeout AS wait, @@interactive_timeout AS interactive, @@max_user_connections AS per_user`);
    const expected = (variables as { max: number; wait: number; interactive: number; per_user: number }[])[0];
    assert.equal(snapshot.connections.max, Number(expected.max));
    assert.equal(snapshot.mysql?.maxConnections, Number(expected.max));
    assert.equal(snapshot.mysql?.waitTimeout, Number(expected.wait));
    assert.equal(snapshot.mysql?.interactiveTimeout, Number(expected.interactive));
    assert.equal(snapshot.mysql?.maxUserConnections, Number(expected.per_user));
    assert.equal(snapshot.mysql?.processListSource, 'information_schema'); // performance_schema is off on this MariaDB
    assert.ok((snapshot.mysql?.threadsConnected ?? 0) >= 10);
    assert.ok((snapshot.mysql?.maxUsedConnections ?? 0) >= (snapshot.mysql?.threadsConnected ?? 0) - 5);
    assert.ok('max_connections' in (snapshot.mysql?.connectionErrors ?? {}));
    assert.ok(Math.abs(snapshot.connections.utilization - snapshot.connections.total / snapshot.connections.max) < 1e-12);
  });

  it('classifies this run\'s sessions exactly: idle, idle in transaction, active', async () => {
    const snapshot = await collector.collect(thresholds);
    const mine = inSchema(snapshot).filter((session) => !session.isMonitor);
    assert.equal(mine.length, 8);
    const byState = (state: string): string[] => mine.filter((session) => session.state === state).map((session) => session.id).sort();
    assert.deepEqual(byState('idle'), [...idleIds].sort());
    assert.deepEqual(byState('idle in transaction'), [...inTransactionIds, blockerId].sort());
    assert.deepEqual(byState('active'), [waiterId, sleeperId].sort());
    const countFor = snapshot.byDatabase.find((entry) => entry.key === schema)?.count;
    assert.equal(countFor, 9); // + the monitor
    const monitor = snapshot.sessions.filter((session) => session.isMonitor);
    assert.equal(monitor.length, 1);
    assert.equal(monitor[0].application, `${schema}-monitor`);
    assert.deepEqual([...snapshot.mysql!.longSleepingIds].filter((id) => idleIds.includes(id)).sort(), [...idleIds].sort());
  });

  it('finds the lock wait, the long query and the open transactions', async () => {
    const snapshot = await collector.collect(thresholds);
    const waiter = snapshot.sessions.find((session) => session.id === waiterId);
    assert.deepEqual(waiter?.blockedBy, [blockerId]);
    const chain = snapshot.blockingChains.find((candidate) => candidate.rootId === blockerId);
    assert.deepEqual(chain?.sessionIds, [blockerId, waiterId]);
    const long = snapshot.longRunning.filter((session) => session.database === schema).map((session) => session.id).sort();
    assert.deepEqual(long, [waiterId, sleeperId].sort());
    const idle = snapshot.idleInTransaction.filter((session) => session.database === schema).map((session) => session.id).sort();
    assert.deepEqual(idle, [...inTransactionIds, blockerId].sort());
    for (const session of snapshot.idleInTransaction) assert.ok((session.transactionAgeSeconds ?? 0) > 0.2);
    assert.deepEqual(snapshot.disabledProbes, []);
    assert.equal(snapshot.hiddenSessions, 0);
    const ids = snapshot.alerts.map((alert) => alert.id);
    for (const id of ['idle-in-transaction', 'long-running-query', 'blocked-sessions']) assert.ok(ids.includes(id), ids.join(','));
  });

  it('switches off a probe the account may not run and says why, without failing the poll', async () => {
    const user = uniqueName('dbh_col_u');
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'pw-${user}'`);
    await admin.query(`GRANT SELECT ON ${schema}.* TO '${user}'@'%'`);
    const limited = new MysqlCollector(parseConnectionUrl(`mysql://${user}:pw-${user}@127.0.0.1:3306/${schema}`));
    try {
      await limited.connect();
      const first = await limited.collect(thresholds);
      const probes = first.disabledProbes.map((probe) => probe.probe).sort();
      assert.deepEqual(probes, ['innodb-lock-waits', 'innodb-transactions']);
      assert.match(first.disabledProbes[0].reason, /PROCESS/);
      assert.ok(first.alerts.some((alert) => alert.id === 'probe-disabled:innodb-transactions'));
      // only its own thread is visible without PROCESS; this run's 8 sessions and the root monitor are hidden
      assert.equal(first.sessions.length, 1);
      assert.ok(first.hiddenSessions >= 9, `hidden ${first.hiddenSessions}`);
      assert.equal(first.connections.byState.hidden, first.hiddenSessions);
      assert.ok(first.alerts.some((alert) => alert.id === 'sessions-hidden' && alert.message.endsWith('lacks the PROCESS privilege')));
      const second = await limited.collect(thresholds);
      assert.equal(second.disabledProbes.length, 2);
    } finally {
      await limited.close();
      await admin.query(`DROP USER '${user}'@'%'`);
    }
  });
});
