// Runbook actions from the health panel, end to end: the packaged VSIX in code-server, DATABASE_URL in
// the workspace's .env pointing at the shared PostgreSQL, sessions the test opened (tagged with a
// unique application_name; no other session is touched). First an idle-in-transaction session's
// Terminate button is clicked inside the panel's webview frame; the admin switch and the
// confirmation are VS Code's modal dialogs in the workbench page; then the session is gone from
// pg_stat_activity and from the panel, and the audit line is in the JSONL file and the audit output
// channel. Then a running query's Cancel query button: the query fails as cancelled, its session lives.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { auditEntries, SCREENSHOT_DIR, startCodeServer, type VsCodeSession } from './lib';
import { clickDialogButton, commandPalette, failureScreenshot, panelFrame } from './lib/workbench';

const TAG = `panelact_${process.pid}_${randomBytes(3).toString('hex')}`;

let vscode: VsCodeSession | undefined;
const clients: pg.Client[] = [];

after(async () => {
  await vscode?.stop();
  for (const client of clients) await client.end().catch(() => undefined);
});

async function connect(applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', application_name: applicationName });
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

test('terminate an idle-in-transaction session, then cancel a running query, from the panel rows through the confirmations', { timeout: 300_000 }, async () => {
  const victim = await connect(TAG);
  const pid = String((await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  await victim.query('BEGIN');
  await victim.query(`SELECT 'held open by ${TAG}'`);
  const observer = await connect(`${TAG}_observer`);

  vscode = await startCodeServer({ dotEnv: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }, settings: { 'dbhealth.panel.pollIntervalSeconds': 1 } });
  const { page, userDataDir } = vscode;
  await commandPalette(page, 'dbhealth: Open Health Panel');
  const frame = await panelFrame(page);
  // vscode-tabs renames its headers' ids, so the tab is found by its label.
  await frame.locator('vscode-tab-header', { hasText: 'Idle in transaction' }).click();
  const row = frame.locator(`#tab-body-idle-in-transaction tr[data-session="${pid}"]`);
  await row.waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
    await failureScreenshot(page, 'panel-actions-no-row.png');
    throw error;
  });
  assert.ok((await row.innerText()).includes(TAG), 'the row is the session this test opened');
  // An idle transaction runs no query: the row offers Terminate, not Cancel.
  assert.equal(await row.locator('button[data-session-action="cancel"]').count(), 0);
  const terminate = row.locator('button[data-session-action="terminate"]');
  assert.equal(await terminate.getAttribute('aria-label'), `Terminate session ${pid}`);
  await terminate.click();

  // Read-only until enabled for this connection: the runbook's own switch, in the workbench.
  const adminText = await clickDialogButton(page, 'Enable admin actions');
  assert.match(adminText, /Admin actions are disabled/);

  const confirmation = await clickDialogButton(page, 'Terminate session');
  // The panel's snapshot names the client by address only (the collector drops the port).
  assert.match(confirmation, new RegExp(`Terminate PostgreSQL session ${pid} \\(postgres@127\\.0\\.0\\.1(:\\d+)?, database test, idle in transaction for [^)]*\\): SELECT 'held open by ${TAG}'`));

  const deadline = Date.now() + 15_000;
  while ((await observer.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [Number(pid)])).rowCount !== 0) {
    assert.ok(Date.now() < deadline, 'the session was not terminated');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // The observer (another session of the same test) was left alone.
  assert.equal((await observer.query('SELECT 1 AS alive')).rows[0].alive, 1);
  await row.waitFor({ state: 'detached', timeout: 15_000 });

  const entries = await auditEntries(userDataDir, 1);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].action, 'terminate');
  assert.equal(entries[0].result, 'done');
  assert.equal(entries[0].target.id, pid);
  assert.equal(entries[0].connection, 'postgres postgres@127.0.0.1:5432/test');

  // The audit output channel is shown and carries the same line.
  await page.locator('.part.panel', { hasText: `terminate ${pid}` }).first().waitFor({ timeout: 15_000 });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'panel-actions-terminate-audit.png') });

  // Cancel: a session running a long query offers "Cancel query"; the query ends, the session stays.
  const sleeper = await connect(`${TAG}_sleeper`);
  const sleeperPid = String((await sleeper.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const sleeping = sleeper.query('SELECT pg_sleep(600)').then(
    () => 'finished',
    (error: { code?: string }) => error.code ?? 'failed',
  );
  await frame.locator('vscode-tab-header', { hasText: 'Sessions' }).click();
  const sleeperRow = frame.locator(`#tab-body-sessions tr[data-session="${sleeperPid}"]`);
  await sleeperRow.waitFor({ timeout: 60_000 }).catch(async (error: unknown) => {
    await failureScreenshot(page, 'panel-actions-no-sleeper-row.png');
    throw error;
  });
  const cancel = sleeperRow.locator('button[data-session-action="cancel"]');
  assert.equal(await cancel.getAttribute('aria-label'), `Cancel the query of session ${sleeperPid}`);
  await cancel.click();
  const cancelConfirmation = await clickDialogButton(page, 'Cancel query');
  assert.match(cancelConfirmation, /Cancel this query\?/);
  assert.match(cancelConfirmation, /SELECT pg_sleep\(600\)/);
  // 57014: query_canceled, what the server reports to a client whose query was cancelled.
  assert.equal(await sleeping, '57014');
  assert.equal((await sleeper.query('SELECT 1 AS alive')).rows[0].alive, 1);

  const cancelEntry = (await auditEntries(userDataDir, 2))[1];
  assert.equal(cancelEntry.action, 'cancel');
  assert.equal(cancelEntry.result, 'done');
  assert.equal(cancelEntry.target.id, sleeperPid);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'panel-actions-cancel.png') });
});
