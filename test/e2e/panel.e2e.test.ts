// The health panel end to end: the packaged VSIX in code-server, a throwaway PostgreSQL cluster the
// test owns (the shared server is never stopped), a connection added through the commands, the
// panel's numbers checked against sessions the test opened, the server stopped and started again,
// hostile strings checked in the real webview, and screenshots in light and dark themes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { Browser, Frame, Page } from 'playwright-core';
import { ensureVsix, SAMPLE_WORKSPACE, SCREENSHOT_DIR } from './lib';
import { commandPalette, panelFrame } from './lib/workbench';
import { PG_BIN, ThrowawayCluster } from '../support/postgres-cluster';
import { ensureToolchain, findFreePort, installVsix, launchChromium, startCodeServerProcess, writeUserSettings, type CodeServerProcess } from './lib/code-server-process.mjs';

const CODE_SERVER_PORTS: [number, number] = [18310, 18319];
const MAX_CONNECTIONS = 40;
const RESERVED = 3;
const HOSTILE_APP = '<img src=x onerror="document.title=1">';
const HOSTILE_QUERY = `SELECT '<script>document.title=2</script>' AS payload, pg_sleep(600)`;

/** A throwaway cluster on the first free port of this suite's range, started. */
function startThrowawayCluster(): ThrowawayCluster {
  for (let port = 16450; port <= 16459; port++) {
    const probe = spawnSync(path.join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]);
    // pg_isready exits with 2 when nothing answers at all.
    if (probe.status !== 2) continue;
    const cluster = new ThrowawayCluster(port, { settings: { max_connections: String(MAX_CONNECTIONS), superuser_reserved_connections: String(RESERVED) } });
    cluster.start();
    return cluster;
  }
  throw new Error('no free port in 16450-16459 for the throwaway PostgreSQL');
}

/** Sessions whose states the panel must show: idle, idle in transaction, active (sleeping query). */
class SessionCrowd {
  private readonly clients: pg.Client[] = [];
  constructor(private readonly port: number) {}
  private async open(applicationName: string): Promise<pg.Client> {
    const client = new pg.Client({ host: '127.0.0.1', port: this.port, user: 'postgres', database: 'postgres', application_name: applicationName });
    client.on('error', () => undefined);
    await client.connect();
    this.clients.push(client);
    return client;
  }
  async create(): Promise<void> {
    for (let index = 0; index < 5; index++) await this.open('e2e-idle');
    for (let index = 0; index < 2; index++) {
      const client = await this.open('e2e-idle-in-tx');
      await client.query('BEGIN');
      await client.query('SELECT txid_current()');
    }
    const active = await this.open(HOSTILE_APP);
    void active.query(HOSTILE_QUERY).catch(() => undefined);
  }
  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.end().catch(() => undefined)));
  }
}

async function answerQuickInput(page: Page, text: string | undefined, pickLabel?: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  if (pickLabel) {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: pickLabel }).first().click({ timeout: 10_000 });
    return;
  }
  await input.fill(text ?? '');
  await page.keyboard.press('Enter');
}

async function waitForText(frame: Frame, selector: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = (await frame.locator(selector).first().textContent().catch(() => '')) ?? '';
    if (pattern.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${selector} never matched ${pattern}; last text: "${last}"`);
}

let cluster: ThrowawayCluster | undefined;
let crowd: SessionCrowd | undefined;
let server: CodeServerProcess | undefined;
let browser: Browser | undefined;
let scratch: string | undefined;

before(async () => {
  ensureToolchain();
  cluster = startThrowawayCluster();
  crowd = new SessionCrowd(cluster.port);
  await crowd.create();
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await server?.stop();
  await crowd?.close();
  cluster?.destroy();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test('health panel: add a connection, live numbers, unreachable and recovery, literal strings, themes', { timeout: 300_000 }, async () => {
  const vsix = ensureVsix();
  scratch = await mkdtemp(path.join(tmpdir(), 'dbhealth-panel-e2e-'));
  const workspace = path.join(scratch, 'workspace');
  const userDataDir = path.join(scratch, 'user-data');
  const extensionsDir = path.join(scratch, 'extensions');
  await mkdir(extensionsDir, { recursive: true });
  const { cp } = await import('node:fs/promises');
  await cp(SAMPLE_WORKSPACE, workspace, { recursive: true });
  const baseSettings = { 'workbench.colorTheme': 'Default Light Modern', 'dbhealth.panel.pollIntervalSeconds': 1 };
  await writeUserSettings(userDataDir, baseSettings);
  installVsix({ vsix, extensionsDir, userDataDir });
  server = await startCodeServerProcess({ port: await findFreePort(...CODE_SERVER_PORTS), userDataDir, extensionsDir, folder: workspace });
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });

  // Add the connection through the command palette, as a user would.
  await commandPalette(page, 'dbhealth: Add Connection');
  await answerQuickInput(page, undefined, 'Paste a connection URL');
  await answerQuickInput(page, `postgres://postgres@127.0.0.1:${cluster!.port}/postgres`);
  await page.locator('.notifications-toasts', { hasText: 'dbhealth: added' }).first().waitFor({ timeout: 15_000 });

  await commandPalette(page, 'dbhealth: Open Health Panel');
  const frame = await panelFrame(page);
  await waitForText(frame, '#status-line', /^Live/, 60_000);

  // Numbers against what this test created, counted by the server itself.
  const observer = new pg.Client({ host: '127.0.0.1', port: cluster!.port, user: 'postgres', database: 'postgres' });
  await observer.connect();
  const usable = MAX_CONNECTIONS - RESERVED;
  const utilization = await waitForText(frame, '#metric-utilization .metric-detail', new RegExp(`^\\d+ of ${usable} usable \\(max ${MAX_CONNECTIONS}, ${RESERVED} reserved\\)$`), 20_000);
  const shownInUse = Number(utilization.split(' ')[0]);
  const serverCount = Number((await observer.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend'`)).rows[0].n);
  // 8 sessions of the crowd + the observer + the monitor; the observer may or may not be counted yet.
  assert.ok(shownInUse >= 9 && shownInUse <= serverCount, `in use shown ${shownInUse}, server counts ${serverCount}`);
  await waitForText(frame, '#state-counts [data-state="idle in transaction"] dd', /^2$/, 20_000);
  const stateText = await frame.locator('#state-counts').textContent();
  console.log(`panel: utilization "${utilization}", states "${stateText}", server client backends ${serverCount}`);
  await observer.end();

  // The sessions table lists the crowd; idle sessions are hidden by default, so show them.
  await frame.locator('#hide-idle').click();
  await frame.locator('tr[data-session]', { hasText: 'e2e-idle-in-tx' }).first().waitFor({ timeout: 10_000 });
  assert.equal(await frame.locator('tr[data-session]', { hasText: 'e2e-idle-in-tx' }).count(), 2);
  assert.equal(await frame.locator('tr[data-session] td:nth-child(3)', { hasText: /^e2e-idle$/ }).count(), 5);

  // Hostile application_name and query text: literal, inert.
  const hostileRow = frame.locator('tr[data-session]', { hasText: HOSTILE_APP });
  await hostileRow.first().waitFor({ timeout: 10_000 });
  assert.ok(((await hostileRow.first().textContent()) ?? '').includes("<script>document.title=2</script>"));
  await hostileRow.first().locator('[data-show-query]').click();
  await waitForText(frame, '#query-text', /pg_sleep\(600\)/, 10_000);
  assert.equal(await frame.locator('#query-text').textContent(), HOSTILE_QUERY);
  const inert = await frame.evaluate(() => ({ images: document.querySelectorAll('#root img').length, scripts: document.querySelectorAll('#root script').length, title: document.title }));
  assert.deepEqual(inert, { images: 0, scripts: 0, title: 'Database Health' });
  await frame.locator('#close-query').click();

  // Screenshots in light, then dark (the settings file is watched; the theme switches live).
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'health-panel-light.png') });
  await commandPalette(page, 'Preferences: Color Theme');
  await page.locator('.quick-input-widget input').fill('Dark Modern');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark Modern' }).first().click({ timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark'), undefined, { timeout: 15_000 });
  await frame.locator('body.vscode-dark').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'health-panel-dark.png') });
  await commandPalette(page, 'Preferences: Color Theme');
  await page.locator('.quick-input-widget input').fill('Dark High Contrast');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark High Contrast' }).first().click({ timeout: 10_000 });
  await frame.locator('body.vscode-high-contrast').waitFor({ timeout: 15_000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'health-panel-high-contrast.png') });

  // The status-bar item carries the active connection's health (it is clicked below, to bring the panel back).
  const statusItem = page.locator('.statusbar-item', { hasText: /DB \d+ %/ }).first();
  await statusItem.waitFor({ timeout: 10_000 });
  console.log(`status bar: "${(await statusItem.textContent())?.trim()}"`);

  // One monitoring connection while visible; none while hidden behind another editor; history kept.
  const monitorSessions = async (): Promise<number> => {
    const probe = new pg.Client({ host: '127.0.0.1', port: cluster!.port, user: 'postgres', database: 'postgres' });
    await probe.connect();
    try {
      return Number((await probe.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'dbhealth-monitor'`)).rows[0].n);
    } finally {
      await probe.end();
    }
  };
  assert.equal(await monitorSessions(), 1, 'one monitoring connection while the panel is visible');
  await page.locator('.explorer-folders-view .monaco-list-row[aria-label="README.md"]').first().click();
  await page.locator('.tabs-container .tab[aria-label^="README.md"]').first().waitFor({ timeout: 15_000 });
  const hiddenDeadline = Date.now() + 15_000;
  while ((await monitorSessions()) !== 0 && Date.now() < hiddenDeadline) await page.waitForTimeout(500);
  assert.equal(await monitorSessions(), 0, 'no monitoring connection while the panel is hidden');
  // Clicking the status-bar item (paused while the panel is hidden) brings the panel back.
  assert.equal(await page.locator('.tabs-container .tab.active', { hasText: 'Database Health' }).count(), 0, 'the panel is not the active tab before the click');
  const pausedItem = page.locator('.statusbar-item', { hasText: /DB (\d+ %|health|live|stale|unreachable)/ }).first();
  console.log(`status bar while hidden: "${(await pausedItem.textContent())?.trim()}"`);
  await pausedItem.click();
  await page.locator('.tabs-container .tab.active', { hasText: 'Database Health' }).first().waitFor({ timeout: 15_000 });
  const shownAgain = await panelFrame(page);
  // The page is rebuilt on show; the host re-sends the history it kept while the panel was hidden.
  const line = shownAgain.locator('#metric-utilization svg.sparkline polyline');
  await line.waitFor({ state: 'attached', timeout: 10_000 });
  const pointsAfterShow = ((await line.getAttribute('points')) ?? '').split(' ').length;
  assert.ok(pointsAfterShow >= 5, `the reloaded page drew ${pointsAfterShow} points of history`);
  await waitForText(shownAgain, '#status-line', /^Live/, 30_000);
  assert.equal(await monitorSessions(), 1, 'polling resumed on one connection');

  // Stop the server: the panel says unreachable and counts down to its retry; start it: live again.
  await crowd!.close();
  cluster!.stop();
  const unreachable = await waitForText(shownAgain, '#status-line', /^Unreachable: .+ — retrying in \d+ s$/, 60_000);
  console.log(`panel while the server is down: "${unreachable}"`);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'health-panel-unreachable.png') });
  cluster!.start();
  const recoveredAt = Date.now();
  await waitForText(shownAgain, '#status-line', /^Live/, 90_000);
  console.log(`panel live again ${((Date.now() - recoveredAt) / 1000).toFixed(1)} s after the server started`);
});
