/**
 * The editor experience end to end, as a user drives it: the packaged VSIX in code-server, leaky
 * Python and TypeScript samples opened from the explorer, their rule codes in the Problems panel,
 * a quick fix applied with Ctrl+. and the diagnostic gone, then Lint Workspace and its count.
 * Screenshots land in test-results/screenshots/editor-*.png.
 */
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openFile, readProblems, runCommand, screenshot, startCodeServer, waitForProblem, type VsCodeSession } from './lib';

let vscode: VsCodeSession;

before(async () => {
  vscode = await startCodeServer();
});
after(async () => {
  await vscode?.stop();
});

/** Marker rows (not file rows) of a rule in the Problems panel; a marker row ends "dbhealth rule [Ln l, Col c]". */
async function markerRows(rule: string): Promise<string[]> {
  return (await readProblems(vscode)).filter((row) => row.includes(`dbhealth ${rule}`));
}

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await vscode.page.waitForTimeout(300);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; Problems rows:\n${(await readProblems(vscode)).join('\n')}`);
}

/**
 * Puts the cursor on the problem by double-clicking its row in the Problems panel (which focuses the
 * editor at the diagnostic), opens the quick-fix menu with Ctrl+. and picks the preferred fix when
 * the rule offers one, else "Disable dbhealth/<rule> for this line".
 */
async function applyQuickFix(rule: string, fileName: string): Promise<string> {
  const { page } = vscode;
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: new RegExp(`dbhealth\\s*${rule}`) }).first();
  await row.dblclick();
  await page.waitForTimeout(300);
  await page.locator(`.tabs-container .tab.active[aria-label^="${fileName}"]`).waitFor({ timeout: 10_000 });
  const menu = page.locator('.action-widget');
  // The menu waits for every code-action provider; TypeScript's server can be slow on first use.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+Period');
    try {
      await menu.waitFor({ state: 'visible', timeout: 20_000 });
      break;
    } catch (error) {
      if (attempt === 3) {
        await screenshot(vscode, `editor-no-quick-fix-menu-${fileName.replace(/\W+/g, '-')}`);
        throw error;
      }
    }
  }
  const items = (await menu.locator('.monaco-list-row.action').allInnerTexts()).map((text) => text.trim());
  // dbhealth's leak fixes (preferred fix or suggestion) all move the release into `finally`;
  // other extensions' actions can share the menu, so the choice goes by that wording.
  const choice = items.find((text) => /finally/.test(text)) ?? items.find((text) => text.startsWith(`Disable dbhealth/${rule}`));
  assert.ok(choice, `no dbhealth quick fix in the menu: ${JSON.stringify(items)}`);
  await screenshot(vscode, `editor-quick-fix-menu-${fileName.replace(/\W+/g, '-')}`);
  // The menu sits under a pointer-blocking overlay; a user (and this test) picks with the keyboard.
  for (let step = 0; step <= items.length; step++) {
    const focused = await menu.locator('.monaco-list-row.action.focused').first().getAttribute('aria-label');
    if (focused === choice) {
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden', timeout: 10_000 });
      return choice;
    }
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Escape');
  throw new Error(`could not focus "${choice}" in the quick-fix menu`);
}

test('a leaky Python file shows its rule code in Problems, and a quick fix from Ctrl+. clears it', async () => {
  await openFile(vscode, 'orders_service/reports.py');
  await waitForProblem(vscode, (row) => row.includes('dbhealth no-leaked-connection'));
  await screenshot(vscode, 'editor-python-problem');
  const before = (await markerRows('no-leaked-connection')).length;
  const applied = await applyQuickFix('no-leaked-connection', 'reports.py');
  await waitUntil(async () => (await markerRows('no-leaked-connection')).length === before - 1, `"${applied}" to remove the reports.py problem`);
  await screenshot(vscode, 'editor-python-fixed');
});

test('a leaky TypeScript file shows its rule code in Problems, and a quick fix from Ctrl+. clears it', async () => {
  await openFile(vscode, 'web/src/orders-repository.ts');
  await waitForProblem(vscode, (row) => row.includes('dbhealth no-leaked-connection'));
  await screenshot(vscode, 'editor-typescript-problem');
  const before = (await markerRows('no-leaked-connection')).length;
  const applied = await applyQuickFix('no-leaked-connection', 'orders-repository.ts');
  await waitUntil(async () => (await markerRows('no-leaked-connection')).length === before - 1, `"${applied}" to remove the orders-repository.ts problem`);
  await screenshot(vscode, 'editor-typescript-fixed');
});

test('Lint Workspace reports a count that matches the Problems panel', async () => {
  await runCommand(vscode, 'dbhealth: Lint Workspace');
  const toast = vscode.page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'dbhealth:' }).filter({ hasText: 'scanned' });
  await toast.first().waitFor({ timeout: 60_000 });
  const summary = (await toast.first().innerText()).trim();
  await screenshot(vscode, 'editor-lint-workspace');
  const counted = /dbhealth: (\d+) problems? in (\d+) files?; scanned (\d+) files?/.exec(summary);
  assert.ok(counted, `unexpected summary: ${summary}`);
  const [problems, files, scanned] = counted.slice(1).map(Number);
  assert.ok(problems >= 1 && files >= 1, `the sample workspace still has leaks (refunds.py); got: ${summary}`);
  assert.ok(scanned >= 6, `every .py and .ts file of the sample is scanned; got: ${summary}`);
  const rows = (await readProblems(vscode)).filter((row) => /dbhealth [a-z-]+ \[Ln \d+, Col \d+\]/.test(row));
  assert.equal(rows.length, problems, `the summary says ${problems}, the Problems panel shows:\n${rows.join('\n')}`);
});
