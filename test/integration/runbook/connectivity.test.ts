import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTarget } from '../../../src/db/target';
import { checkConnectivity } from '../../../src/runbook/connectivity';
import { probeNetwork } from '../../../src/runbook/probe';
import { ThrowawayCluster } from '../../support/postgres-cluster';

const SHARED_PG = makeTarget({ engine: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', tls: 'disable' });
const SHARED_MARIADB = makeTarget({ engine: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test', tls: 'disable' });
/** A loopback port in the runbook's range that nothing listens on. */
const CLOSED_PORT = 16469;

const CLUSTER_PASSWORD = 'runbook-secret';
let cluster: ThrowawayCluster;
before(() => {
  cluster = new ThrowawayCluster(16461, { superuserPassword: CLUSTER_PASSWORD, scramRoles: ['all'], settings: { max_connections: '10' } });
  cluster.start();
});
after(() => cluster?.destroy());

test('every step passes and is timed against the shared PostgreSQL and MariaDB', async () => {
  for (const target of [SHARED_PG, SHARED_MARIADB]) {
    const started = performance.now();
    const report = await checkConnectivity(target);
    const wallMs = performance.now() - started;
    assert.equal(report.ok, true, JSON.stringify(report.steps));
    assert.deepEqual(report.steps.map((step) => [step.step, step.status]), [['dns', 'ok'], ['tcp', 'ok'], ['tls', 'skipped'], ['authentication', 'ok'], ['query', 'ok']]);
    const timed = report.steps.filter((s) => s.status === 'ok').map((step) => ({ step: step.step, ms: step.durationMs }));
    const figures = `${target.engine}: ${JSON.stringify(timed)} within ${wallMs.toFixed(2)} ms measured around the check`;
    // Each step that talks to the server (TCP connect, login, SELECT 1) waits for at least one round trip.
    for (const { step, ms } of timed.filter((t) => t.step !== 'dns')) assert.ok(typeof ms === 'number' && ms > 0, `${step} took no time: ${figures}`);
    // The steps run one after the other inside the check: each, and their sum, fit in the wall-clock time
    // the test measured around it (durations are rounded to 0.01 ms, hence the small allowance).
    for (const { step, ms } of timed) assert.ok(typeof ms === 'number' && ms >= 0 && ms <= wallMs, `${step} lasted longer than the whole check: ${figures}`);
    const total = timed.reduce((sum, { ms }) => sum + (ms ?? 0), 0);
    assert.ok(total <= wallMs + 0.05, `the steps add up to more than the whole check: ${figures}`);
  }
});

test('a closed port fails at the TCP step as "server unreachable"', async () => {
  const report = await checkConnectivity({ ...SHARED_PG, port: CLOSED_PORT });
  assert.equal(report.failedStep, 'tcp');
  assert.match(report.verdict, /server unreachable/);
  assert.match(report.steps[1].detail, /ECONNREFUSED/);
  assert.equal(report.steps[3].status, 'skipped');
});

test('a host name that does not resolve fails at the DNS step', async () => {
  const report = await checkConnectivity({ ...SHARED_PG, host: 'no-such-host.invalid' });
  assert.equal(report.failedStep, 'dns');
  assert.match(report.verdict, /does not resolve/);
});

test('a wrong password fails at the authentication step (PostgreSQL with scram, MariaDB)', async () => {
  const pg = await checkConnectivity(makeTarget({ engine: 'postgres', host: '127.0.0.1', port: cluster.port, user: 'postgres', password: 'wrong', database: 'postgres', tls: 'disable' }));
  assert.equal(pg.failedStep, 'authentication');
  assert.match(pg.verdict, /authentication failure/);
  assert.match(pg.steps[3].detail, /password authentication failed for user "postgres"/);
  const maria = await checkConnectivity({ ...SHARED_MARIADB, user: 'dbhealth_no_such_user', password: 'wrong' });
  assert.equal(maria.failedStep, 'authentication');
  assert.match(maria.verdict, /authentication failure/);
  assert.match(maria.steps[3].detail, /Access denied for user/);
});

test('TLS required against a server without TLS fails at the TLS step', async () => {
  const report = await checkConnectivity(makeTarget({ engine: 'postgres', host: '127.0.0.1', port: cluster.port, user: 'postgres', password: CLUSTER_PASSWORD, database: 'postgres', tls: 'require' }));
  assert.equal(report.failedStep, 'tls');
  assert.match(report.steps[2].detail, /does not support SSL/);
});

test('the network probe reports latency percentiles on loopback and failures on a closed port', async () => {
  const good = await probeNetwork(SHARED_PG, { attempts: 8, intervalMs: 20, timeoutMs: 1000 });
  assert.equal(good.failures, 0);
  assert.equal(good.samplesMs.length, 8);
  assert.ok(good.p50Ms !== null && good.p95Ms !== null && good.p50Ms <= good.p95Ms && good.p95Ms <= good.maxMs!);
  assert.ok(good.jitterMs !== null && good.jitterMs >= 0);
  const bad = await probeNetwork({ ...SHARED_PG, port: CLOSED_PORT }, { attempts: 3, intervalMs: 10, timeoutMs: 500 });
  assert.equal(bad.failures, 3);
  assert.equal(bad.p50Ms, null);
  assert.ok(Object.keys(bad.failureReasons).some((reason) => reason.includes('ECONNREFUSED')));
});
