/**
 * Helpers for end-to-end tests: the packaged VSIX installed into a real code-server, driven in
 * Debian's Chromium with Playwright. See CONTRIBUTING.md ("Adding an end-to-end test").
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import {
  ensureToolchain, findFreePort, installVsix, launchChromium, PROJECT_ROOT, startCodeServerProcess,
  writeUserSettings, type CodeServerProcess,
} from './code-server-process.mjs';

export { PROJECT_ROOT };
export const SAMPLE_WORKSPACE = path.join(PROJECT_ROOT, 'samples', 'workspace');
export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'test-results', 'screenshots');
const PORT_RANGE: [number, number] = [18100, 18119];

export interface VsCodeSession {
  /** The workbench's address, e.g. http://127.0.0.1:18100/ */
  url: string;
  /** The temporary copy of the workspace that code-server has open. */
  workspace: string;
  /** code-server's user data folder (settings, the extension's global storage). */
  userDataDir: string;
  page: Page;
  browser: Browser;
  server: CodeServerProcess;
  /** Lines code-server printed, for failure messages. */
  serverLog: string[];
  /** The first frame (webviews live in nested frames) for which `matches` resolves true. */
  webviewFrame(matches: (frame: Frame) => Promise<boolean>, timeoutMs?: number): Promise<Frame>;
  /** Closes Chromium, kills code-server with its children and deletes the temporary folders. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Folder copied into a temporary workspace; defaults to samples/workspace. */
  workspace?: string;
  /** User settings, merged over settings that keep dialogs off the workbench. */
  settings?: Record<string, unknown>;
  /** Written as KEY=value lines into the workspace's .env (DATABASE_URL for the panel). */
  dotEnv?: Record<string, string>;
  /** Environment of the code-server process (and so of the extension host). */
  env?: Record<string, string>;
  /** The VSIX to install; defaults to ensureVsix(). */
  vsix?: string;
}

let packagedVsix: string | undefined;

/** The VSIX under test: DBHEALTH_VSIX when the runner packaged it, otherwise packaged now, once. */
export function ensureVsix(): string {
  const fromRunner = process.env.DBHEALTH_VSIX;
  if (fromRunner && existsSync(fromRunner)) return fromRunner;
  if (!packagedVsix) {
    const target = path.join(tmpdir(), `dbhealth-e2e-${process.pid}.vsix`);
    process.once('exit', () => rmSync(target, { force: true }));
    packagedVsix = target;
    execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'package.mjs'), '--out', packagedVsix], { stdio: 'inherit' });
  }
  return packagedVsix;
}

export async function startCodeServer(options: StartOptions = {}): Promise<VsCodeSession> {
  ensureToolchain();
  const vsix = options.vsix ?? ensureVsix();
  const scratch = await mkdtemp(path.join(tmpdir(), 'dbhealth-e2e-'));
  // Also when the run is interrupted and stop() never runs.
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  const workspace = path.join(scratch, 'workspace');
  const userDataDir = path.join(scratch, 'user-data');
  const extensionsDir = path.join(scratch, 'extensions');
  await cp(options.workspace ?? SAMPLE_WORKSPACE, workspace, { recursive: true });
  if (options.dotEnv) {
    await writeFile(path.join(workspace, '.env'), Object.entries(options.dotEnv).map(([key, value]) => `${key}=${value}\n`).join(''));
  }
  await mkdir(extensionsDir, { recursive: true });
  await writeUserSettings(userDataDir, options.settings);
  installVsix({ vsix, extensionsDir, userDataDir });

  const serverLog: string[] = [];
  let server: CodeServerProcess | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServerProcess({
      port: await findFreePort(...PORT_RANGE), userDataDir, extensionsDir, folder: workspace, env: options.env,
      log: (line) => serverLog.push(line),
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer fills in once the workspace is read; tests start from there.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    const started = server;
    const startedBrowser = browser;
    return {
      url: server.url,
      workspace,
      userDataDir,
      page,
      browser,
      server,
      serverLog,
      webviewFrame: (matches, timeoutMs = 30_000) => findFrame(page, matches, timeoutMs),
      async stop() {
        await startedBrowser.close().catch(() => undefined);
        await started.stop();
        await rm(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await rm(scratch, { recursive: true, force: true });
    throw new Error(`code-server did not start: ${error instanceof Error ? error.message : error}\n${serverLog.slice(-20).join('\n')}`);
  }
}

async function findFrame(page: Page, matches: (frame: Frame) => Promise<boolean>, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (await matches(frame).catch(() => false)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame matched within ${timeoutMs / 1000} s`);
}

/**
 * Opens a workspace file by clicking through the explorer (Ctrl+P belongs to the browser), the way
 * a user would; falls back to Go to File through the command palette.
 */
export async function openFile(session: VsCodeSession, relativePath: string): Promise<void> {
  const { page } = session;
  const segments = relativePath.split('/');
  const fileName = segments[segments.length - 1];
  try {
    for (const [depth, segment] of segments.entries()) {
      const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-level="${depth + 1}"][aria-label="${segment}"]`).first();
      await row.waitFor({ timeout: 10_000 });
      const isFolder = depth < segments.length - 1;
      if (isFolder && (await row.getAttribute('aria-expanded')) === 'true') continue;
      await row.click();
    }
  } catch {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(relativePath);
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
  }
  await page.locator(`.tabs-container .tab[aria-label^="${fileName}"]`).first().waitFor({ timeout: 15_000 });
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
}

/** Runs a command by its palette title (e.g. "dbhealth: Lint Workspace") through F1, as a user would. */
export async function runCommand(session: VsCodeSession, title: string): Promise<void> {
  const { page } = session;
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  try {
    await row.waitFor({ timeout: 10_000 });
  } catch {
    await page.keyboard.press('Escape');
    throw new Error(`the command palette has no command titled "${title}"`);
  }
  await row.click();
}

/** Shows the Problems panel and returns the text of each visible row (files and their problems). */
export async function readProblems(session: VsCodeSession): Promise<string[]> {
  const { page } = session;
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible().catch(() => false))) {
    await page.keyboard.press('Control+Shift+M');
    try {
      await panel.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      await runCommand(session, 'View: Focus Problems');
      await panel.waitFor({ state: 'visible', timeout: 10_000 });
    }
  }
  return (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/** Waits until some Problems row satisfies `matches`; fails with the rows it saw. */
export async function waitForProblem(session: VsCodeSession, matches: (row: string) => boolean, timeoutMs = 45_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await readProblems(session);
    const found = rows.find(matches);
    if (found) return found;
    await session.page.waitForTimeout(500);
  }
  throw new Error(`no matching row in the Problems panel after ${timeoutMs / 1000} s; rows were:\n${rows.join('\n') || '(none)'}`);
}

/** Saves a screenshot of the whole workbench to test-results/screenshots/<name>.png. */
export async function screenshot(session: VsCodeSession, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await session.page.screenshot({ path: file });
  return file;
}

/** Where the runbook writes its audit log inside code-server's user data folder. */
export function auditFilePath(userDataDir: string): string {
  return path.join(userDataDir, 'User', 'globalStorage', 'dbhealth.dbhealth', 'runbook-audit.jsonl');
}

/** The audit fields the end-to-end tests check (src/runbook/audit.ts writes more). */
export interface AuditEntry {
  readonly action: string;
  readonly result: string;
  readonly connection: string;
  readonly target: { readonly id: string };
}

/**
 * The runbook's audit entries, once there are at least `count` of them (the extension writes the
 * JSONL line just after the action) or `timeoutMs` passed; the caller asserts on what it gets.
 */
export async function auditEntries(userDataDir: string, count: number, timeoutMs = 10_000): Promise<AuditEntry[]> {
  const file = auditFilePath(userDataDir);
  const read = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter((line) => line !== '') : []);
  const deadline = Date.now() + timeoutMs;
  let lines = read();
  while (lines.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    lines = read();
  }
  return lines.map((line) => JSON.parse(line) as AuditEntry);
}
