// The health panel on MariaDB, end to end: the packaged VSIX in code-server, DATABASE_URL in the
// workspace's .env pointing at the shared MariaDB, and a long query this test started (tagged with
// a unique comment in its text; no other thread is touched). The panel shows the server's own
// connection limit and the query's row; its Cancel query button, the admin switch and the
// confirmation end the query with KILL QUERY while the connection stays, and the cancel is audited.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { auditEntries, SCREENSHOT_DIR, startCodeServer, type VsCodeSession } from './lib';
import { clickDialogButton, commandPalette, failureScreenshot, panelFrame } from './lib/workbench';

const TAG = `panelmaria_${process.pid}_${randomBytes(3).toString('hex')}`;

let vscode: VsCodeSession | undefined;
const connections: Connection[] = [];

after(async () => {
  await vscode?.stop();
  // destroy, not end: end would wait for a SLEEP that a failed test never cancelled.
  for (const connection of connections) connection.destroy();
});

async function connect(): Promise<Connection> {
  const connection = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' });
  connection.on('error', () => undefined);
  connections.push(connection);
  return connection;
}

async function scalar(connection: Connection, sql: string): Promise<number> {
  const [rows] = await connection.query<RowDataPacket[]>(sql);
  return Number(Object.values(rows[0])[0]);
}

test('health panel on MariaDB: the server limit, a running query, and Cancel query through the confirmation', { timeout: 300_000 }, async () => {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const observer = await connect();
  const maxConnections = await scalar(observer, 'SELECT @@max_connections');
  const sleeper = await connect();
  const threadId = String(await scalar(sleeper, 'SELECT CONNECTION_ID()'));
  const started = Date.now();
  const sleeping = sleeper.query(`SELECT /* ${TAG} */ SLEEP(600)`).then(
    () => 'returned',
    (error: { code?: string }) => error.code ?? 'failed',
  );

  vscode = await startCodeServer({ dotEnv: { DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' }, settings: { 'dbhealth.panel.pollIntervalSeconds': 1 } });
  const { page, userDataDir } = vscode;
  await commandPalette(page, 'dbhealth: Open Health Panel');
  const frame = await panelFrame(page);
  // MariaDB reserves no slot out of max_connections: all of them are usable.
  const utilization = frame.locator('#metric-utilization .metric-detail');
  await utilization.filter({ hasText: new RegExp(`^\\d+ of ${maxConnections} usable \\(max ${maxConnections}, 0 reserved\\)$`) }).waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
    await failureScreenshot(page, 'panel-mariadb-no-utilization.png');
    throw error;
  });

  const row = frame.locator(`#tab-body-sessions tr[data-session="${threadId}"]`);
  await row.waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
    await failureScreenshot(page, 'panel-mariadb-no-row.png');
    throw error;
  });
  assert.ok((await row.innerText()).includes(TAG), 'the row is the query this test started');
  const cancel = row.locator('button[data-session-action="cancel"]');
  assert.equal(await cancel.getAttribute('aria-label'), `Cancel the query of session ${threadId}`);
  await cancel.click({ timeout: 15_000 });

  const adminText = await clickDialogButton(page, 'Enable admin actions');
  assert.match(adminText, /Admin actions are disabled/);
  const confirmation = await clickDialogButton(page, 'Cancel query');
  assert.match(confirmation, /Cancel this query\?/);
  assert.match(confirmation, new RegExp(`MySQL/MariaDB session ${threadId}`));

  // KILL QUERY ends the statement (an interrupted SLEEP returns, or fails as interrupted) long
  // before its 600 s; the connection itself stays usable.
  const ending = await Promise.race([sleeping, new Promise<string>((resolve) => setTimeout(() => resolve('still sleeping after 30 s'), 30_000))]);
  assert.ok(['returned', 'ER_QUERY_INTERRUPTED'].includes(ending), `the query ended with ${ending}`);
  assert.ok(Date.now() - started < 120_000, 'the query ran on instead of being cancelled');
  assert.equal(await scalar(sleeper, 'SELECT 1'), 1);
  assert.equal(await scalar(observer, 'SELECT 1'), 1);

  const entries = await auditEntries(userDataDir, 1);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].action, 'cancel');
  assert.equal(entries[0].result, 'done');
  assert.equal(entries[0].target.id, threadId);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'panel-mariadb-cancel.png') });
});
