// The runbook end to end: the packaged VSIX in code-server, DATABASE_URL in the workspace's .env
// pointing at the shared PostgreSQL, an idle-in-transaction session the test opened (tagged with a
// unique application_name; no other session is touched), terminated through the command palette,
// the admin switch and the confirmation dialog; then the session is gone and the audit line is in
// the JSONL file and the audit output channel.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { auditEntries, ensureVsix, SAMPLE_WORKSPACE, SCREENSHOT_DIR } from './lib';
import { clickDialogButton } from './lib/workbench';
import { ensureToolchain, findFreePort, installVsix, launchChromium, startCodeServerProcess, writeUserSettings, type CodeServerProcess } from './lib/code-server-process.mjs';

const CODE_SERVER_PORTS: [number, number] = [18400, 18419];
const TAG = `rbe2e_${process.pid}_${randomBytes(3).toString('hex')}`;

let server: CodeServerProcess | undefined;
let browser: Browser | undefined;
let scratch: string | undefined;
const clients: pg.Client[] = [];

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  for (const client of clients) await client.end().catch(() => undefined);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function connect(applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', application_name: applicationName });
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

test('terminate an idle-in-transaction session through the palette, the admin switch and the confirmation', async () => {
  ensureToolchain();
  const victim = await connect(TAG);
  const pid = String((await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  await victim.query('BEGIN');
  await victim.query(`SELECT 'held open by ${TAG}'`);
  const observer = await connect(`${TAG}_observer`);

  const vsix = ensureVsix();
  scratch = await mkdtemp(path.join(tmpdir(), 'dbhealth-runbook-e2e-'));
  const workspace = path.join(scratch, 'workspace');
  const userDataDir = path.join(scratch, 'user-data');
  const extensionsDir = path.join(scratch, 'extensions');
  await cp(SAMPLE_WORKSPACE, workspace, { recursive: true });
  await writeFile(path.join(workspace, '.env'), 'DATABASE_URL=postgres://postgres@127.0.0.1:5432/test\n');
  await mkdir(extensionsDir, { recursive: true });
  await writeUserSettings(userDataDir, {});
  installVsix({ vsix, extensionsDir, userDataDir });
  server = await startCodeServerProcess({ port: await findFreePort(...CODE_SERVER_PORTS), userDataDir, extensionsDir, folder: workspace });
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });

  // Extension contributions reach the palette a moment after the workbench shows: retry until then.
  const input = page.locator('.quick-input-widget input');
  const commandRow = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Runbook: Terminate a Session' }).first();
  const paletteDeadline = Date.now() + 60_000;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('>dbhealth: Runbook: Terminate a Session');
    if (await commandRow.waitFor({ timeout: 3_000 }).then(() => true, () => false)) break;
    if (Date.now() > paletteDeadline) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'runbook-palette-failure.png') });
      throw new Error('the runbook command never appeared in the command palette');
    }
  }
  await commandRow.click();

  // Read-only until enabled for this connection.
  const adminText = await clickDialogButton(page, 'Enable admin actions');
  assert.match(adminText, /Admin actions are disabled/);

  // The session picker lists sessions of the whole server; choose ours by its pid.
  await input.waitFor({ timeout: 30_000 });
  await input.fill(pid);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: `${pid}  postgres@` }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();

  const confirmation = await clickDialogButton(page, 'Terminate session');
  assert.match(confirmation, new RegExp(`Terminate PostgreSQL session ${pid} \\(postgres@127\\.0\\.0\\.1:\\d+, database test, idle in transaction for [^)]*\\): SELECT 'held open by ${TAG}'`));

  const deadline = Date.now() + 15_000;
  while ((await observer.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [Number(pid)])).rowCount !== 0) {
    assert.ok(Date.now() < deadline, 'the session was not terminated');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const entries = await auditEntries(userDataDir, 1);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].action, 'terminate');
  assert.equal(entries[0].result, 'done');
  assert.equal(entries[0].target.id, pid);
  assert.equal(entries[0].connection, 'postgres postgres@127.0.0.1:5432/test');

  // The audit output channel is shown and carries the same line.
  await page.locator('.part.panel', { hasText: `terminate ${pid}` }).first().waitFor({ timeout: 15_000 });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'runbook-terminate-audit.png') });
});
