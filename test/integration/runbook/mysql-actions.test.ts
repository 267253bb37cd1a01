import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { makeTarget } from '../../../src/db/target';
import { cancelQuery, inspectSessions, lookupSession, previewIdleSessions, terminateIdleSessions, terminateSession, type RunbookContext } from '../../../src/runbook/actions';
import { fromSnapshotSession, type RunbookSession } from '../../../src/runbook/session';
import { MysqlCollector } from '../../../src/db/mysql/collector';
import { DEFAULT_THRESHOLDS } from '../../../src/db/types';
import { temporaryAudit, uniqueTag, waitFor } from './helpers';

const TARGET = makeTarget({ engine: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test', tls: 'disable' });
const opened: Connection[] = [];

async function connectAs(user = 'root', password = ''): Promise<{ connection: Connection; id: string }> {
  const connection = await createConnection({ host: '127.0.0.1', port: 3306, user, password, database: 'test' });
  connection.on('error', () => undefined);
  opened.push(connection);
  const [[row]] = await connection.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
  return { connection, id: String(row.id) };
}

async function alive(id: string): Promise<boolean> {
  const { connection } = await connectAs();
  try {
    const [rows] = await connection.query<RowDataPacket[]>('SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ?', [Number(id)]);
    return rows.length === 1;
  } finally {
    await connection.end();
  }
}

async function listed(id: string, ownSessionIds: string[] = []): Promise<RunbookSession | undefined> {
  const report = await inspectSessions(TARGET, { longQuerySeconds: 1, idleMinutes: 0 }, ownSessionIds);
  return [...report.longRunning, ...report.idle].find((session) => session.id === id);
}

after(async () => {
  for (const connection of opened) await connection.end().catch(() => undefined);
});

test('inspect lists the test\'s sleeping connection with user@host:port, and limits', async () => {
  const { id } = await connectAs();
  const session = await listed(id);
  assert.ok(session);
  assert.equal(session.state, 'Sleep');
  assert.equal(session.user, 'root');
  assert.match(session.client ?? '', /:\d+$/);
  const report = await inspectSessions(TARGET, { longQuerySeconds: 1, idleMinutes: 0 });
  assert.ok('max_connections' in report.limits && 'wait_timeout' in report.limits);
  assert.ok(report.perUser.some((row) => row.user === 'root' && row.count >= 1));
});

test('KILL QUERY stops a long SELECT SLEEP and keeps the connection', async () => {
  const audit = temporaryAudit();
  const { connection, id } = await connectAs();
  const started = Date.now();
  const sleeping = connection.query('SELECT SLEEP(30)').then(() => 'returned', (error: Error) => error.message);
  await waitFor(async () => (await listed(id))?.state === 'Query', 5000, 'the query to show');
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const session = (await inspectSessions(TARGET, { longQuerySeconds: 1, idleMinutes: 60 })).longRunning.find((s) => s.id === id);
  assert.ok(session, 'the sleeping query was not listed as long-running');
  const result = await cancelQuery({ target: TARGET, adminEnabled: true, audit: audit.log }, session);
  assert.equal(result.outcome, 'done', result.message);
  await sleeping;
  assert.ok(Date.now() - started < 15_000);
  const [[row]] = await connection.query<RowDataPacket[]>('SELECT 1 AS one');
  assert.equal(row.one, 1);
  assert.equal(audit.entries()[0].action, 'cancel');
});

test('a session taken from the panel\'s snapshot is cancelled as the panel asks (same user@host:port)', async () => {
  const audit = temporaryAudit();
  const { connection, id } = await connectAs();
  const sleeping = connection.query('SELECT SLEEP(30)').then(() => 'returned', (error: Error) => error.message);
  await waitFor(async () => (await listed(id))?.state === 'Query', 5000, 'the query to show');
  const collector = new MysqlCollector(TARGET);
  try {
    await collector.connect();
    const snapshot = await collector.collect(DEFAULT_THRESHOLDS);
    const fromPanel = snapshot.sessions.find((session) => session.id === id);
    assert.ok(fromPanel, 'the snapshot lists the sleeping query');
    assert.match(fromPanel.client ?? '', /:\d+$/);
    const result = await cancelQuery({ target: TARGET, adminEnabled: true, audit: audit.log }, fromSnapshotSession(fromPanel));
    assert.equal(result.outcome, 'done', result.message);
    await sleeping;
    // Per-client counts still group the host's connections, whatever their ports.
    assert.ok(snapshot.byClient.length > 0 && snapshot.byClient.every((row) => !/:\d+$/.test(row.key)), JSON.stringify(snapshot.byClient));
  } finally {
    await collector.close();
  }
});

test('KILL ends the connection; a row that changed owner (user@host:port) is refused', async () => {
  const audit = temporaryAudit();
  const context: RunbookContext = { target: TARGET, adminEnabled: true, audit: audit.log };
  const { id } = await connectAs();
  const session = await listed(id);
  assert.ok(session);
  const impostor = await terminateSession(context, { ...session, client: '10.9.9.9:1234' });
  assert.equal(impostor.outcome, 'refused');
  assert.match(impostor.message, /nothing was done/);
  assert.ok(await alive(id));
  const result = await terminateSession(context, session);
  assert.equal(result.outcome, 'done', result.message);
  await waitFor(async () => !(await alive(id)), 5000, 'the connection to end');
  assert.deepEqual(audit.entries().map((entry) => entry.result), ['refused', 'done']);
});

test('ids are validated as integers before KILL', async () => {
  const audit = temporaryAudit();
  const result = await terminateSession({ target: TARGET, adminEnabled: true, audit: audit.log }, { id: '1; DROP TABLE x', backendStart: null, user: 'root', client: 'x', database: null, applicationName: null, state: 'Sleep', stateAgeSeconds: 0, queryAgeSeconds: null, query: null });
  assert.equal(result.outcome, 'refused');
  assert.match(result.message, /not a MySQL thread id/);
});

test('the monitoring session is never offered nor ended', async () => {
  const audit = temporaryAudit();
  const { id: monitorId } = await connectAs();
  assert.equal(await listed(monitorId, [monitorId]), undefined);
  const forged: RunbookSession = { id: monitorId, backendStart: null, user: 'root', client: null, database: 'test', applicationName: 'dbhealth-monitor', state: 'Sleep', stateAgeSeconds: 0, queryAgeSeconds: null, query: null };
  const result = await terminateSession({ target: TARGET, adminEnabled: true, audit: audit.log, ownSessionIds: [monitorId] }, forged);
  assert.equal(result.outcome, 'refused');
  assert.match(result.message, /dbhealth's own sessions/);
  assert.ok(await alive(monitorId));
});

test('an account without the privilege gets the server\'s own error, verbatim', async () => {
  const user = uniqueTag('rb_nokill');
  const { connection: admin } = await connectAs();
  await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', 'pw']);
  await admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, 'localhost', 'pw']);
  for (const host of ['%', 'localhost']) await admin.query('GRANT PROCESS ON *.* TO ?@?', [user, host]);
  try {
    const { id } = await connectAs();
    const session = await listed(id);
    assert.ok(session);
    const audit = temporaryAudit();
    const result = await terminateSession({ target: { ...TARGET, user, password: 'pw', database: '' }, adminEnabled: true, audit: audit.log }, session);
    assert.equal(result.outcome, 'failed');
    assert.equal(result.message, `You are not owner of thread ${id}`);
    assert.ok(await alive(id));
  } finally {
    for (const host of ['%', 'localhost']) await admin.query('DROP USER IF EXISTS ?@?', [user, host]);
  }
});

test('bulk: kills exactly the previewed sleeping connections, re-checking each still sleeps', async () => {
  const audit = temporaryAudit();
  const stays = await connectAs();
  const goes = await connectAs();
  const notPreviewed = await connectAs();
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const preview = (await previewIdleSessions(TARGET, 2 / 60)).filter((session) => [stays.id, goes.id].includes(session.id));
  assert.equal(preview.length, 2);
  const busy = stays.connection.query('SELECT SLEEP(2)');
  await waitFor(async () => (await listed(stays.id))?.state === 'Query', 5000, 'the previewed connection to run a query');
  const results = await terminateIdleSessions({ target: TARGET, adminEnabled: true, audit: audit.log }, preview, 2 / 60);
  const byId = new Map(results.map((result) => [result.sessionId, result]));
  assert.equal(byId.get(goes.id)?.outcome, 'done', byId.get(goes.id)?.message);
  assert.equal(byId.get(stays.id)?.outcome, 'refused');
  assert.match(byId.get(stays.id)!.message, /no longer idle/);
  await busy;
  await waitFor(async () => !(await alive(goes.id)), 5000, 'the idle connection to end');
  assert.ok(await alive(stays.id));
  assert.ok(await alive(notPreviewed.id));
});

test('bulk: a previewed sleeping connection whose query has now run longer than the threshold is not killed (command re-check)', async () => {
  const audit = temporaryAudit();
  const stays = await connectAs();
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const preview = (await previewIdleSessions(TARGET, 2 / 60)).filter((session) => session.id === stays.id);
  assert.equal(preview.length, 1);
  assert.equal(preview[0].state, 'Sleep');
  const busy = stays.connection.query('SELECT SLEEP(30)').then(() => 'returned', (error: Error) => error.message);
  // Wait until the query has been running for longer than the 2 s threshold (TIME counts the
  // query's seconds): the age alone no longer protects it, only the re-check of the command does.
  await waitFor(async () => {
    const current = await listed(stays.id);
    return current?.state === 'Query' && (current.stateAgeSeconds ?? 0) >= 3;
  }, 8000, 'the previewed connection to run its query for longer than the threshold');
  try {
    const results = await terminateIdleSessions({ target: TARGET, adminEnabled: true, audit: audit.log }, preview, 2 / 60);
    assert.equal(results.length, 1);
    assert.equal(results[0].sessionId, stays.id);
    assert.equal(results[0].outcome, 'refused', results[0].message);
    assert.match(results[0].message, /no longer idle for .* \(now Query, \d+ s\)/);
    assert.ok(await alive(stays.id), 'the connection running a query was killed');
    assert.deepEqual(audit.entries().map((entry) => [entry.action, entry.target.id, entry.result]), [['terminate', stays.id, 'refused']]);
  } finally {
    const { connection: admin } = await connectAs();
    await admin.query('KILL QUERY ?', [Number(stays.id)]).catch(() => undefined);
    await admin.end();
    await busy;
  }
});

test('lookup by id: the current processlist row; null for bad ids, the caller\'s own sessions and ended ones', async () => {
  const { connection, id } = await connectAs();
  const found = await lookupSession(TARGET, id);
  assert.ok(found);
  assert.deepEqual([found.id, found.user, found.database, found.state, found.backendStart, found.applicationName], [id, 'root', 'test', 'Sleep', null, null]);
  assert.match(found.client ?? '', /^(localhost|127\.0\.0\.1):\d+$/);
  assert.ok(found.stateAgeSeconds !== null && found.stateAgeSeconds >= 0);
  assert.equal(found.queryAgeSeconds, null, 'a sleeping connection runs no query');
  for (const bad of ['abc', '0', '-1', '1.5', '']) assert.equal(await lookupSession(TARGET, bad), null, bad);
  assert.equal(await lookupSession(TARGET, id, [id]), null, 'one of dbhealth\'s own sessions');
  await connection.end();
  await waitFor(async () => !(await alive(id)), 5000, 'the connection to end');
  assert.equal(await lookupSession(TARGET, id), null);
});

test('inspect: per-account limits, the server-wide per-user cap, and the note when performance_schema cannot name dbhealth\'s sessions', async () => {
  const user = uniqueTag('rb_cap');
  const { connection: admin } = await connectAs();
  for (const host of ['%', 'localhost']) await admin.query(`CREATE USER ?@? IDENTIFIED BY ? WITH MAX_USER_CONNECTIONS ${host === '%' ? 4 : 6}`, [user, host, 'pw']);
  const [[schema]] = await admin.query<RowDataPacket[]>('SELECT @@performance_schema AS on_');
  try {
    const limited = await createConnection({ host: '127.0.0.1', port: 3306, user, password: 'pw' });
    limited.on('error', () => undefined);
    opened.push(limited);
    const report = await inspectSessions(TARGET, { longQuerySeconds: 60, idleMinutes: 60 });
    assert.deepEqual(report.perUser.find((row) => row.user === user), { user, count: 1, limit: 6 }, 'the largest limit of the account\'s hosts');
    assert.equal(report.perUser.find((row) => row.user === 'root')?.limit, null);
    assert.ok(report.perUser.every((row) => typeof row.count === 'number'));
    assert.equal(report.serverPerUserLimit, Number(report.limits.max_user_connections) > 0 ? Number(report.limits.max_user_connections) : null);
    assert.equal(report.connection, 'mysql root@127.0.0.1:3306/test');
    assert.deepEqual(Object.keys(report.limits).sort(), Object.keys(report.limits).sort().filter((name) => ['max_connections', 'max_user_connections', 'wait_timeout', 'interactive_timeout', 'connect_timeout', 'net_read_timeout', 'net_write_timeout', 'innodb_lock_wait_timeout', 'lock_wait_timeout', 'max_execution_time', 'max_statement_time', 'idle_transaction_timeout', 'max_allowed_packet'].includes(name)));
    const performanceSchemaOff = Number(schema.on_) === 0;
    assert.deepEqual(report.notes.includes('performance_schema is off: dbhealth can only exclude its own sessions it knows by id.'), performanceSchemaOff);
    await limited.end();
  } finally {
    for (const host of ['%', 'localhost']) await admin.query('DROP USER IF EXISTS ?@?', [user, host]);
  }
});

test('KILL and KILL QUERY say what they did; a session that has ended is refused with the reason', async () => {
  const audit = temporaryAudit();
  const context: RunbookContext = { target: TARGET, adminEnabled: true, audit: audit.log };
  const { connection, id } = await connectAs();
  const sleeping = connection.query('SELECT SLEEP(30)').then(() => 'returned', (error: Error) => error.message);
  await waitFor(async () => (await listed(id))?.state === 'Query', 5000, 'the query to show');
  const running = await listed(id);
  assert.ok(running);
  assert.deepEqual(await cancelQuery(context, running), { outcome: 'done', action: 'cancel', sessionId: id, message: `KILL QUERY ${id} accepted` });
  await sleeping;
  const session = await listed(id);
  assert.ok(session);
  const impostor = await terminateSession(context, { ...session, user: 'someone' });
  assert.equal(impostor.message, `session ${id} is now root@${session.client}, not someone@${session.client}: nothing was done`);
  const nullOwner = await terminateSession(context, { ...session, user: null, client: null });
  assert.equal(nullOwner.message, `session ${id} is now root@${session.client}, not ?@?: nothing was done`);
  assert.deepEqual(await terminateSession(context, session), { outcome: 'done', action: 'terminate', sessionId: id, message: `KILL ${id} accepted` });
  await waitFor(async () => !(await alive(id)), 5000, 'the connection to end');
  const again = await terminateSession(context, session);
  assert.deepEqual([again.outcome, again.message], ['refused', `session ${id} no longer exists`]);
  assert.deepEqual(audit.entries().map((entry) => [entry.action, entry.result]), [['cancel', 'done'], ['terminate', 'refused'], ['terminate', 'refused'], ['terminate', 'done'], ['terminate', 'refused']]);
  assert.deepEqual(audit.entries()[0].target, { id, backendStart: null, user: 'root', client: running.client, database: 'test' });
});

test('bulk: a previewed connection that ran a query since (idle again, but for less than the threshold) is not killed', async () => {
  const audit = temporaryAudit();
  const stays = await connectAs();
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const preview = (await previewIdleSessions(TARGET, 2 / 60)).filter((session) => session.id === stays.id);
  assert.equal(preview.length, 1);
  await stays.connection.query('SELECT 1');
  const results = await terminateIdleSessions({ target: TARGET, adminEnabled: true, audit: audit.log }, preview, 2 / 60);
  assert.equal(results[0].outcome, 'refused', results[0].message);
  assert.match(results[0].message, new RegExp(`^session ${stays.id} is no longer idle for ${2 / 60} min \\(now Sleep, [01] s\\)$`));
  assert.ok(await alive(stays.id));
});

test('bulk: the caller\'s own sessions are never killed, even when previewed', async () => {
  const audit = temporaryAudit();
  const own = await connectAs();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const [preview] = (await previewIdleSessions(TARGET, 1 / 60)).filter((session) => session.id === own.id);
  assert.ok(preview);
  const results = await terminateIdleSessions({ target: TARGET, adminEnabled: true, audit: audit.log, ownSessionIds: [own.id] }, [preview], 1 / 60);
  assert.deepEqual([results[0].outcome, results[0].message], ['refused', `session ${own.id} is one of dbhealth's own sessions and is never ended`]);
  assert.ok(await alive(own.id));
  assert.deepEqual(await previewIdleSessions(TARGET, 1 / 60, [own.id]).then((list) => list.filter((s) => s.id === own.id)), [], 'the preview leaves out the caller\'s own sessions');
});
