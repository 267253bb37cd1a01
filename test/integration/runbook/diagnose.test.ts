import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { PostgresCollector } from '../../../src/db/postgres/collector';
import { CollectorError } from '../../../src/db/errors';
import { makeTarget } from '../../../src/db/target';
import { DEFAULT_THRESHOLDS, type ConnectionTarget } from '../../../src/db/types';
import { DEFAULT_DIAGNOSE_OPTIONS, diagnose, type DiagnoseOptions } from '../../../src/runbook/diagnose';
import { ThrowawayCluster } from '../../support/postgres-cluster';
import { waitFor } from './helpers';

// A private cluster: 12 slots, 1 reserved for superusers, so 11 usable by the `app` role.
const PORT = 16462;
const OPTIONS: DiagnoseOptions = { ...DEFAULT_DIAGNOSE_OPTIONS, blockedWaitSeconds: 0.3 };
const CLUSTER_PASSWORD = 'runbook-secret';
let cluster: ThrowawayCluster;
let monitorTarget: ConnectionTarget;
const clients: Client[] = [];

async function connect(user: string, password: string, applicationName: string): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port: PORT, user, password, database: 'postgres', application_name: applicationName });
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

async function closeAll(): Promise<void> {
  for (const client of clients.splice(0)) await client.end().catch(() => undefined);
}

async function snapshotNow() {
  const collector = new PostgresCollector(monitorTarget);
  await collector.connect();
  try {
    return await collector.collect(DEFAULT_THRESHOLDS);
  } finally {
    await collector.close();
  }
}

before(async () => {
  cluster = new ThrowawayCluster(PORT, {
    superuserPassword: CLUSTER_PASSWORD,
    scramRoles: ['all'],
    settings: { max_connections: '12', superuser_reserved_connections: '1', shared_buffers: "'8MB'" },
  });
  cluster.start();
  monitorTarget = makeTarget({ engine: 'postgres', host: '127.0.0.1', port: PORT, user: 'postgres', password: CLUSTER_PASSWORD, database: 'postgres', tls: 'disable' });
  const admin = await connect('postgres', CLUSTER_PASSWORD, 'setup');
  await admin.query(`CREATE ROLE app LOGIN PASSWORD 'app-secret'`);
  await admin.query('CREATE TABLE accounts (id int PRIMARY KEY, balance int)');
  await admin.query('INSERT INTO accounts VALUES (1, 100)');
  await admin.query('GRANT ALL ON accounts TO app');
  await closeAll();
});

after(async () => {
  await closeAll();
  cluster?.destroy();
});

test('connections filled to the limit → too many connections, from the snapshot and from the refused connect', async () => {
  for (let i = 0; i < 10; i++) await connect('app', 'app-secret', 'filler');
  const snapshot = await snapshotNow();
  const found = diagnose({ snapshot }, OPTIONS);
  assert.equal(found[0]?.scenario, 'too-many-connections', JSON.stringify(found));
  assert.match(found[0].evidence[0], /for 11 usable slots/);
  // The monitor (a superuser) now holds the 11th slot; one more `app` login is refused by the server.
  const monitor = await connect('postgres', CLUSTER_PASSWORD, 'dbhealth-monitor');
  const refused = await connect('app', 'app-secret', 'one-too-many').then(() => null, (error: Error) => error);
  assert.ok(refused, 'the server accepted a connection past its limit');
  const fromFailure = diagnose({ failure: { message: refused.message, code: (refused as { code?: string }).code } }, OPTIONS);
  assert.equal(fromFailure[0]?.scenario, 'too-many-connections', refused.message);
  await monitor.end();
  await closeAll();
});

test('idle transactions held → idle-in-transaction pile-up naming the sessions', async () => {
  const held: string[] = [];
  for (let i = 0; i < 3; i++) {
    const client = await connect('app', 'app-secret', `worker-${i}`);
    await client.query('BEGIN');
    await client.query('SELECT balance FROM accounts WHERE id = 1');
    held.push(String((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid));
  }
  const found = diagnose({ snapshot: await snapshotNow() }, OPTIONS);
  const pileUp = found.find((diagnosis) => diagnosis.scenario === 'idle-in-transaction');
  assert.ok(pileUp, JSON.stringify(found));
  assert.deepEqual([...pileUp.sessionIds].sort(), [...held].sort());
  assert.ok(!found.some((diagnosis) => diagnosis.scenario === 'too-many-connections'));
  await closeAll();
});

test('a blocker holding a lock → long-running blocker naming the root session', async () => {
  const holder = await connect('app', 'app-secret', 'holder');
  await holder.query('BEGIN');
  await holder.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
  const holderPid = String((await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const waiter = await connect('app', 'app-secret', 'waiter');
  const waiting = waiter.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1').catch(() => undefined);
  let found = diagnose({ snapshot: await snapshotNow() }, OPTIONS);
  await waitFor(async () => {
    found = diagnose({ snapshot: await snapshotNow() }, OPTIONS);
    return found.some((diagnosis) => diagnosis.scenario === 'long-running-blocker');
  }, 5000, 'the blocker to be named');
  const blocker = found.find((diagnosis) => diagnosis.scenario === 'long-running-blocker')!;
  assert.equal(blocker.sessionIds[0], holderPid);
  assert.match(blocker.nextStep, new RegExp(`Terminate session ${holderPid}`));
  await holder.query('ROLLBACK');
  await waiting;
  await closeAll();
});

test('wrong password → authentication failure', async () => {
  const collector = new PostgresCollector({ ...monitorTarget, password: 'not-the-password' });
  const error = await collector.connect().then(() => null, (failure: unknown) => failure);
  assert.ok(error instanceof CollectorError);
  const found = diagnose({ failure: error.toFailure() }, OPTIONS);
  assert.equal(found[0]?.scenario, 'authentication-failure', error.message);
});

test('server stopped → server unreachable', async () => {
  cluster.stop('immediate');
  try {
    const collector = new PostgresCollector(monitorTarget);
    const error = await collector.connect().then(() => null, (failure: unknown) => failure);
    assert.ok(error instanceof CollectorError);
    const found = diagnose({ failure: error.toFailure() }, OPTIONS);
    assert.equal(found[0]?.scenario, 'server-unreachable', error.message);
  } finally {
    cluster.start();
  }
});
