import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { makeTarget } from '../../../src/db/target';
import { cancelQuery, inspectSessions, lookupSession, previewIdleSessions, terminateIdleSessions, terminateSession, type RunbookContext } from '../../../src/runbook/actions';
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

test('lookup by id: the current row of an actionable session; null for bad ids, ended, background and dbhealth sessions', async () => {
  const victim = await taggedClient();
  const pid = await pidOf(victim);
  const port = (await victim.query<{ port: number }>('SELECT inet_client_port() AS port')).rows[0].port;
  await victim.query('BEGIN');
  await victim.query('SELECT 1');
  const found = await lookupSession(TARGET, pid);
  assert.ok(found);
  assert.equal(found.id, pid);
  assert.equal(found.state, 'idle in transaction');
  assert.equal(found.user, 'postgres');
  assert.equal(found.database, 'test');
  assert.equal(found.applicationName, tag);
  assert.equal(found.client, `127.0.0.1:${port}`);
  assert.equal(found.query, 'SELECT 1');
  assert.ok(found.stateAgeSeconds !== null && found.stateAgeSeconds >= 0 && found.queryAgeSeconds !== null);
  await victim.query('ROLLBACK');
  for (const bad of ['abc', '0', '-1', '1.5', '', '99999999999999999999']) assert.equal(await lookupSession(TARGET, bad), null, bad);
  const monitor = await taggedClient('dbhealth-monitor');
  assert.equal(await lookupSession(TARGET, await pidOf(monitor)), null, 'a dbhealth session is never offered');
  const checkpointer = (await victim.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")).rows[0];
  if (checkpointer) assert.equal(await lookupSession(TARGET, String(checkpointer.pid)), null, 'a background process is never offered');
  const gone = await taggedClient();
  const gonePid = await pidOf(gone);
  await gone.end();
  await waitFor(async () => !(await alive(gonePid)), 5000, 'the closed session to leave pg_stat_activity');
  assert.equal(await lookupSession(TARGET, gonePid), null);
});

test('inspect: the per-user rows carry each role\'s own connection limit, unlimited as null; no notes for a superuser', async () => {
  const role = uniqueTag('rb_limited');
  const admin = await taggedClient(`${tag}_admin`);
  await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 7`);
  try {
    const limited = await taggedClient(`${tag}_limited`, role);
    const report = await inspectSessions(TARGET, { longQuerySeconds: 60, idleMinutes: 60 });
    assert.deepEqual(report.perUser.find((row) => row.user === role), { user: role, count: 1, limit: 7 });
    const postgres = report.perUser.find((row) => row.user === 'postgres');
    assert.ok(postgres && postgres.count >= 2 && postgres.limit === null, JSON.stringify(postgres));
    assert.equal(report.serverPerUserLimit, null);
    assert.deepEqual(report.notes, []);
    assert.equal(report.connection, 'postgres postgres@127.0.0.1:5432/test');
    assert.match(report.limits.max_connections ?? '', /^\d+$/);
    assert.match(report.limits.statement_timeout ?? '', /^\d+ms$/, 'a setting with a unit carries it');
    // Sorted by count, largest first.
    const counts = report.perUser.map((row) => row.count);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
    await limited.end();
  } finally {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
  }
});

test('inspect: long-running lists active queries over the threshold only, oldest first; idle lists idle sessions over the threshold', async () => {
  const first = await taggedClient();
  const second = await taggedClient();
  const idle = await taggedClient();
  const [firstPid, secondPid, idlePid] = [await pidOf(first), await pidOf(second), await pidOf(idle)];
  const a = first.query('SELECT pg_sleep(3)');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const b = second.query('SELECT pg_sleep(3)');
  await new Promise((resolve) => setTimeout(resolve, 1300));
  const report = await inspectSessions(TARGET, { longQuerySeconds: 0.2, idleMinutes: 1 / 60 });
  const ours = report.longRunning.filter((s) => [firstPid, secondPid].includes(s.id)).map((s) => s.id);
  assert.deepEqual(ours, [firstPid, secondPid], 'oldest query first');
  assert.ok(report.longRunning.every((s) => s.state === 'active'));
  assert.ok(!report.longRunning.some((s) => s.id === idlePid));
  assert.ok(report.idle.some((s) => s.id === idlePid), 'the idle session is listed as idle');
  assert.ok(!report.idle.some((s) => s.id === firstPid));
  const strict = await inspectSessions(TARGET, { longQuerySeconds: 60, idleMinutes: 60 });
  assert.ok(!strict.longRunning.some((s) => [firstPid, secondPid].includes(s.id)), 'not over a 60 s threshold');
  assert.ok(!strict.idle.some((s) => s.id === idlePid), 'not idle for 60 min');
  await Promise.all([a, b]);
});

test('cancel and terminate say what they did; a session without a numeric pid or backend_start is refused before any statement', async () => {
  const audit = temporaryAudit();
  const context: RunbookContext = { target: TARGET, adminEnabled: true, audit: audit.log };
  const victim = await taggedClient();
  const pid = await pidOf(victim);
  const sleeping = victim.query('SELECT pg_sleep(30)').then(() => 'finished', (error: Error) => error.message);
  await waitFor(async () => (await inspectSessions(TARGET, { longQuerySeconds: 0.2, idleMinutes: 60 })).longRunning.some((s) => s.id === pid), 5000, 'the sleep to be long-running');
  const session = await findOurs(pid);
  assert.deepEqual(await cancelQuery(context, session), { outcome: 'done', action: 'cancel', sessionId: pid, message: `cancel request sent to session ${pid}` });
  await sleeping;
  assert.deepEqual(await terminateSession(context, await findOurs(pid)), { outcome: 'done', action: 'terminate', sessionId: pid, message: `terminated session ${pid}` });
  for (const broken of [{ ...session, backendStart: null }, { ...session, id: 'abc' }, { ...session, id: '0' }, { ...session, id: '-3' }]) {
    const result = await terminateSession(context, broken);
    assert.equal(result.outcome, 'refused', JSON.stringify(broken));
    assert.equal(result.message, 'a PostgreSQL session is identified by a numeric pid and its backend_start; one is missing');
  }
  const entries = audit.entries();
  assert.deepEqual(entries.map((entry) => [entry.action, entry.result]), [['cancel', 'done'], ['terminate', 'done'], ['terminate', 'refused'], ['terminate', 'refused'], ['terminate', 'refused'], ['terminate', 'refused']]);
  assert.deepEqual(entries[0].target, { id: pid, backendStart: session.backendStart, user: 'postgres', client: session.client, database: 'test' });
  assert.equal(entries[0].message, `cancel request sent to session ${pid}`);
  assert.equal(entries[0].connection, 'postgres postgres@127.0.0.1:5432/test');
});

test('a session that has ended, and a server background process, are refused with the reason', async () => {
  const audit = temporaryAudit();
  const context: RunbookContext = { target: TARGET, adminEnabled: true, audit: audit.log };
  const victim = await taggedClient();
  const pid = await pidOf(victim);
  const session = await findOurs(pid);
  await victim.end();
  await waitFor(async () => !(await alive(pid)), 5000, 'the session to end');
  const ended = await terminateSession(context, session);
  assert.deepEqual([ended.outcome, ended.message], ['refused', `session ${pid} no longer exists`]);
  const probe = await taggedClient(`${tag}_probe2`);
  const { rows } = await probe.query<{ pid: number; start: string }>(`SELECT pid, to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS start FROM pg_stat_activity WHERE backend_type = 'checkpointer'`);
  if (rows[0]) {
    const background: RunbookSession = { ...session, id: String(rows[0].pid), backendStart: rows[0].start };
    const result = await terminateSession(context, background);
    assert.deepEqual([result.outcome, result.message], ['refused', `pid ${rows[0].pid} is a server background process (checkpointer), not a client session`]);
  }
});

test('the PgBouncer console is refused, and an unreachable server fails every previewed session with its error', async () => {
  const bouncer = makeTarget({ engine: 'pgbouncer', host: '127.0.0.1', port: 6432, user: 'postgres', database: 'pgbouncer', tls: 'disable' });
  await assert.rejects(inspectSessions(bouncer, { longQuerySeconds: 1, idleMinutes: 1 }), /runbook session actions need a PostgreSQL or MySQL\/MariaDB connection, not the PgBouncer console/);
  await assert.rejects(previewIdleSessions(bouncer, 1), /not the PgBouncer console/);
  const audit = temporaryAudit();
  const session = await findOurs(await pidOf(await taggedClient()));
  const single = await terminateSession({ target: bouncer, adminEnabled: true, audit: audit.log }, session);
  assert.deepEqual([single.outcome, single.action], ['failed', 'terminate']);
  assert.match(single.message, /not the PgBouncer console/);
  const nowhere = { ...TARGET, port: 1 };
  const results = await terminateIdleSessions({ target: nowhere, adminEnabled: true, audit: audit.log }, [session, { ...session, id: '123456' }], 1);
  assert.deepEqual(results.map((r) => [r.sessionId, r.outcome, r.action]), [[session.id, 'failed', 'terminate'], ['123456', 'failed', 'terminate']]);
  assert.ok(results.every((r) => r.message.length > 0 && r.message === results[0].message));
  assert.equal(audit.entries().length, 3);
});

test('bulk without admin actions: every previewed session is refused and audited, none ended', async () => {
  const audit = temporaryAudit();
  const victims = [await taggedClient(), await taggedClient()];
  const pids = [await pidOf(victims[0]), await pidOf(victims[1])];
  const preview = [await findOurs(pids[0]), await findOurs(pids[1])];
  const results = await terminateIdleSessions({ target: TARGET, adminEnabled: false, audit: audit.log }, preview, 0);
  assert.deepEqual(results.map((r) => [r.sessionId, r.outcome, r.action]), [[pids[0], 'refused', 'terminate'], [pids[1], 'refused', 'terminate']]);
  assert.match(results[0].message, /^admin actions are disabled for postgres postgres@127\.0\.0\.1:5432\/test; enable them for this connection first$/);
  for (const pid of pids) assert.ok(await alive(pid));
  assert.deepEqual(audit.entries().map((entry) => [entry.target.id, entry.result]), [[pids[0], 'refused'], [pids[1], 'refused']]);
});
