import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { makeTarget } from '../../../src/db/target';
import { cancelQuery, inspectSessions, previewIdleSessions, terminateIdleSessions, terminateSession, type RunbookContext } from '../../../src/runbook/actions';
import type { RunbookSession } from '../../../src/runbook/session';
import { temporaryAudit, uniqueTag, waitFor } from './helpers';

const TARGET = makeTarget({ engine: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', tls: 'disable' });
const tag = uniqueTag('rbtest');
const opened: Client[] = [];

async function taggedClient(applicationName = tag, user = 'postgres'): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port: 5432, user, database: 'test', application_name: applicationName });
  client.on('error', () => undefined);
  await client.connect();
  opened.push(client);
  return client;
}

async function pidOf(client: Client): Promise<string> {
  return String((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);
}

async function alive(pid: string): Promise<boolean> {
  const probe = await taggedClient(`${tag}_probe`);
  try {
    return (await probe.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [Number(pid)])).rowCount === 1;
  } finally {
    await probe.end();
  }
}

async function findOurs(pid: string, idleMinutes = 0): Promise<RunbookSession> {
  const report = await inspectSessions(TARGET, { longQuerySeconds: 0.2, idleMinutes });
  const found = [...report.longRunning, ...report.idle].find((session) => session.id === pid);
  assert.ok(found, `session ${pid} not listed`);
  return found;
}

after(async () => {
  for (const client of opened) await client.end().catch(() => undefined);
});

test('inspect lists the test\'s idle-in-transaction session with identity, never dbhealth\'s own sessions', async () => {
  const victim = await taggedClient();
  await victim.query('BEGIN');
  await victim.query('SELECT 1');
  const monitor = await taggedClient('dbhealth-monitor');
  const monitorPid = await pidOf(monitor);
  const pid = await pidOf(victim);
  const report = await inspectSessions(TARGET, { longQuerySeconds: 0, idleMinutes: 0 });
  const session = report.idle.find((candidate) => candidate.id === pid);
  assert.ok(session);
  assert.equal(session.state, 'idle in transaction');
  assert.equal(session.applicationName, tag);
  assert.match(session.backendStart ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  const everyListed = [...report.idle, ...report.longRunning];
  assert.ok(!everyListed.some((candidate) => candidate.id === monitorPid), 'the monitoring session was offered');
  assert.ok(!everyListed.some((candidate) => (candidate.applicationName ?? '').startsWith('dbhealth-')));
  assert.ok(report.perUser.some((row) => row.user === 'postgres' && row.count >= 2));
  assert.ok('max_connections' in report.limits && 'idle_in_transaction_session_timeout' in report.limits);
  await victim.query('ROLLBACK');
});

test('read-only by default: without admin actions enabled nothing is ended and the refusal is audited', async () => {
  const audit = temporaryAudit();
  const victim = await taggedClient();
  const pid = await pidOf(victim);
  const session = await findOurs(pid);
  const result = await terminateSession({ target: TARGET, adminEnabled: false, audit: audit.log }, session);
  assert.equal(result.outcome, 'refused');
  assert.match(result.message, /admin actions are disabled/);
  assert.ok(await alive(pid));
  assert.deepEqual(audit.entries().map((entry) => [entry.action, entry.target.id, entry.result]), [['terminate', pid, 'refused']]);
});

test('cancel stops the running query and keeps the session', async () => {
  const audit = temporaryAudit();
  const context: RunbookContext = { target: TARGET, adminEnabled: true, audit: audit.log };
  const victim = await taggedClient();
  const pid = await pidOf(victim);
  const sleeping = victim.query('SELECT pg_sleep(30)').then(() => 'finished', (error: Error) => error.message);
  await waitFor(async () => (await inspectSessions(TARGET, { longQuerySeconds: 0.2, idleMinutes: 60 })).longRunning.some((s) => s.id === pid), 5000, 'the sleep to be long-running');
  const session = await findOurs(pid);
  assert.equal(session.state, 'active');
  const result = await cancelQuery(context, session);
  assert.equal(result.outcome, 'done', result.message);
  assert.equal(await sleeping, 'canceling statement due to user request');
  assert.equal((await victim.query('SELECT 1 AS one')).rows[0].one, 1);
});

test('a reused pid (same pid, different backend_start) is refused and the session survives', async () => {
  const audit = temporaryAudit();
  const victim = await taggedClient();
  const pid = await pidOf(victim);
  const session = await findOurs(pid);
  const earlier = new Date(Date.parse(session.backendStart!) - 60_000).toISOString().replace('.000Z', '.000000Z');
  const result = await terminateSession({ target: TARGET, adminEnabled: true, audit: audit.log }, { ...session, backendStart: earlier });
  assert.equal(result.outcome, 'refused');
  assert.match(result.message, /reused the pid/);
  assert.ok(await alive(pid));
  assert.equal(audit.entries()[0].result, 'refused');
});

test('the monitoring session is refused even when asked for by pid and backend_start', async () => {
  const audit = temporaryAudit();
  const monitor = await taggedClient('dbhealth-monitor');
  const pid = await pidOf(monitor);
  const { rows } = await monitor.query<{ start: string }>(`SELECT to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS start FROM pg_stat_activity WHERE pid = pg_backend_pid()`);
  const forged: RunbookSession = { id: pid, backendStart: rows[0].start, user: 'postgres', client: null, database: 'test', applicationName: 'dbhealth-monitor', state: 'idle', stateAgeSeconds: 0, queryAgeSeconds: 0, query: null };
  const result = await terminateSession({ target: TARGET, adminEnabled: true, audit: audit.log }, forged);
  assert.equal(result.outcome, 'refused');
  assert.match(result.message, /dbhealth's own sessions/);
  assert.equal((await monitor.query('SELECT 1 AS one')).rows[0].one, 1);
});

test('terminate ends an idle-in-transaction session and writes the audit line', async () => {
  const audit = temporaryAudit();
  const victim = await taggedClient();
  await victim.query('BEGIN');
  await victim.query('SELECT 1');
  const pid = await pidOf(victim);
  const session = await findOurs(pid);
  const result = await terminateSession({ target: TARGET, adminEnabled: true, audit: audit.log }, session);
  assert.equal(result.outcome, 'done', result.message);
  await waitFor(async () => !(await alive(pid)), 5000, 'the session to end');
  const [entry] = audit.entries();
  assert.equal(entry.action, 'terminate');
  assert.equal(entry.result, 'done');
  assert.equal(entry.target.id, pid);
  assert.equal(entry.target.backendStart, session.backendStart);
  assert.match(entry.connection, /^postgres postgres@127\.0\.0\.1:5432\/test$/);
});

test('a role without the privilege gets the server\'s own error, verbatim', async () => {
  const role = uniqueTag('rb_noprivilege');
  const admin = await taggedClient(`${tag}_admin`);
  await admin.query(`CREATE ROLE ${role} LOGIN`);
  // Allowed to see every session (so re-validation passes) but not to signal them.
  await admin.query(`GRANT pg_read_all_stats TO ${role}`);
  try {
    const victim = await taggedClient();
    const pid = await pidOf(victim);
    const session = await findOurs(pid);
    const audit = temporaryAudit();
    const result = await terminateSession({ target: { ...TARGET, user: role }, adminEnabled: true, audit: audit.log }, session);
    assert.equal(result.outcome, 'failed');
    // PostgreSQL 15's own text for signalling a superuser's backend without being one.
    assert.equal(result.message, 'must be a superuser to terminate superuser process');
    assert.ok(await alive(pid));
    assert.equal(audit.entries()[0].message, result.message);
    assert.equal(audit.entries()[0].result, 'failed');
  } finally {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
  }
});

test('bulk: terminates exactly the previewed idle sessions, re-checking each is still idle', async () => {
  const audit = temporaryAudit();
  const context: RunbookContext = { target: TARGET, adminEnabled: true, audit: audit.log };
  const stays = await taggedClient();
  const goes = await taggedClient();
  const notPreviewed = await taggedClient();
  const [staysPid, goesPid] = [await pidOf(stays), await pidOf(goes)];
  await new Promise((resolve) => setTimeout(resolve, 1200));
  const preview = (await previewIdleSessions(TARGET, 1 / 60)).filter((session) => session.applicationName === tag && [staysPid, goesPid].includes(session.id));
  assert.equal(preview.length, 2);
  const notPreviewedPid = await pidOf(notPreviewed);
  const busy = stays.query('SELECT pg_sleep(3)');
  await waitFor(async () => (await inspectSessions(TARGET, { longQuerySeconds: 0.1, idleMinutes: 60 })).longRunning.some((s) => s.id === staysPid), 5000, 'the previewed session to become active');
  const results = await terminateIdleSessions(context, preview, 1 / 60);
  const byId = new Map(results.map((result) => [result.sessionId, result]));
  assert.equal(byId.get(goesPid)?.outcome, 'done');
  assert.equal(byId.get(staysPid)?.outcome, 'refused');
  assert.match(byId.get(staysPid)!.message, /no longer matches \(state now active\)/);
  await busy;
  await waitFor(async () => !(await alive(goesPid)), 5000, 'the idle session to end');
  assert.ok(await alive(staysPid));
  assert.ok(await alive(notPreviewedPid));
  assert.equal(audit.entries().length, 2);
});

test('bulk: a previewed idle session whose query has now run longer than the threshold is not terminated (state re-check)', async () => {
  const audit = temporaryAudit();
  const context: RunbookContext = { target: TARGET, adminEnabled: true, audit: audit.log };
  const stays = await taggedClient();
  const staysPid = await pidOf(stays);
  await new Promise((resolve) => setTimeout(resolve, 1200));
  const preview = (await previewIdleSessions(TARGET, 1 / 60)).filter((session) => session.applicationName === tag && session.id === staysPid);
  assert.equal(preview.length, 1);
  assert.equal(preview[0].state, 'idle');
  const busy = stays.query('SELECT pg_sleep(30)').then(() => 'finished', (error: Error) => error.message);
  // Wait until the query has been running for longer than the 1 s threshold: its state age alone
  // no longer protects it, only the re-check of the state (active, not idle) does.
  await waitFor(async () => {
    const running = (await inspectSessions(TARGET, { longQuerySeconds: 0.1, idleMinutes: 60 })).longRunning.find((s) => s.id === staysPid);
    return running !== undefined && running.state === 'active' && (running.stateAgeSeconds ?? 0) > 1.5;
  }, 5000, 'the previewed session to run its query for longer than the threshold');
  try {
    const results = await terminateIdleSessions(context, preview, 1 / 60);
    assert.equal(results.length, 1);
    assert.equal(results[0].sessionId, staysPid);
    assert.equal(results[0].outcome, 'refused', results[0].message);
    assert.match(results[0].message, /no longer matches \(state now active\)/);
    assert.ok(await alive(staysPid), 'the active session was terminated');
    assert.deepEqual(audit.entries().map((entry) => [entry.action, entry.target.id, entry.result]), [['terminate', staysPid, 'refused']]);
  } finally {
    const probe = await taggedClient(`${tag}_cancel`);
    await probe.query('SELECT pg_cancel_backend($1)', [Number(staysPid)]);
    await probe.end();
    await busy;
  }
});
