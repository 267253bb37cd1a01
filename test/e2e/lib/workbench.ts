// Page-level helpers for e2e tests that drive code-server's workbench directly through Playwright
// (the panel and runbook tests keep their own page rather than a VsCodeSession).
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './index';

/** Saves a screenshot for a failure report; never throws, so the original error stays the one shown. */
export async function failureScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name) }).catch(() => undefined);
}

/** Runs a command by its palette title, retrying while the workbench is still registering extensions. */
export async function commandPalette(page: Page, title: string, failureName = 'palette-failure.png'): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const deadline = Date.now() + 60_000;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.click({ timeout: 5_000 });
      return;
    } catch {
      rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    }
  }
  await failureScreenshot(page, failureName);
  throw new Error(`the palette has no "${title}"; it shows: ${rows.join(' | ') || '(nothing)'}`);
}

/** The health panel's webview frame, found by an element only the panel renders. */
export async function panelFrame(page: Page, timeoutMs = 60_000, failureName = 'health-panel-missing.png'): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if ((await frame.locator('#metric-sessions-value').count().catch(() => 0)) > 0) return frame;
    }
    await page.waitForTimeout(250);
  }
  await failureScreenshot(page, failureName);
  throw new Error('the health panel webview did not appear');
}

/** Clicks a button of the topmost modal dialog and returns the dialog's text (what the user was told). */
export async function clickDialogButton(page: Page, label: string): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box').last();
  await dialog.waitFor({ timeout: 30_000 });
  const text = await dialog.innerText();
  await dialog.locator('.monaco-button', { hasText: label }).first().click();
  await dialog.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  return text;
}
