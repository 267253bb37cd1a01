// The built webview bundle (dist/webview.js) in Chromium, under the same CSP as in VS Code, fed
// protocol messages the way the host sends them: 1,000 sessions and their updates drawn as sent, and
// hostile database strings shown literally with nothing executed. How long drawing takes is
// measured by bench/panel.bench.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { HostMessage, PanelSession } from '../../src/protocol/panel';
import { makeCrowd, makeSession } from '../unit/webview/fixtures';
import { launchChromium } from './lib/code-server-process.mjs';
import { deliver, initMessage, openPanelPage, updateMessage } from './lib/panel-page';

/** What the page draws for a snapshot, read back from the DOM. */
async function drawn(page: Page): Promise<{ rows: string[]; states: string[]; note: string; sessions: string; counts: Record<string, string> }> {
  return page.evaluate(() => ({
    rows: [...document.querySelectorAll('#tab-body-sessions tbody tr')].map((row) => row.getAttribute('data-session') ?? ''),
    states: [...document.querySelectorAll('#tab-body-sessions tbody tr')].map((row) => row.getAttribute('data-state') ?? ''),
    note: document.querySelector('#tab-body-sessions .table-note')?.textContent ?? '',
    sessions: document.querySelector('#metric-sessions-value')?.textContent ?? '',
    counts: Object.fromEntries([...document.querySelectorAll('#state-counts .state-count')].map((item) => [item.querySelector('dt')?.textContent ?? '', item.querySelector('dd')?.textContent ?? ''])),
  }));
}

/** The same picture computed by the test from the sessions it sent (idle hidden, the first 200 drawn). */
function expectedPicture(sessions: readonly PanelSession[]) {
  const notIdle = sessions.filter((session) => session.state !== 'idle');
  const counts: Record<string, string> = {};
  for (const session of sessions) counts[session.state] = String(Number(counts[session.state] ?? 0) + 1);
  return {
    rows: notIdle.slice(0, 200).map((session) => session.id),
    states: notIdle.slice(0, 200).map((session) => session.state),
    note: `Showing 200 of ${notIdle.length} matching sessions (${sessions.length} in all). Search or hide idle sessions to narrow the list.`,
    sessions: String(sessions.length),
    counts,
  };
}

const sessionsOf = (message: HostMessage): PanelSession[] => (message.type === 'init' || message.type === 'snapshot' ? message.snapshot?.sessions ?? [] : []);

describe('health panel webview in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  // Rendering time is measured in bench/panel.bench.ts (`npm run bench -- panel`) against a 16.7 ms frame.
  it('renders 1,000 sessions and redraws each update and a search with what they contain', async () => {
    const page = await openPanelPage(browser);
    const init = initMessage();
    await deliver(page, init);
    await page.locator('#tab-body-sessions tbody tr').first().waitFor();
    // Idle sessions hidden by default: 400 of the 1,000 are not idle; 200 rows are drawn.
    assert.deepEqual(await drawn(page), expectedPicture(sessionsOf(init)));
    assert.match((await page.locator('#tab-body-sessions .table-note').textContent()) ?? '', /Showing 200 of 400 matching sessions \(1000 in all\)/);

    let last = init;
    for (let round = 1; round <= 20; round++) {
      last = updateMessage(round);
      await deliver(page, last);
      // Each poll changes which sessions are active: the table must show this snapshot, not an earlier one.
      assert.deepEqual(await drawn(page), expectedPicture(sessionsOf(last)), `after update ${round}`);
    }
    await page.locator('#session-search input').fill('id = 123');
    const wanted = sessionsOf(last).filter((session) => session.state !== 'idle' && (session.queryPreview ?? '').includes('id = 123')).map((session) => session.id);
    assert.ok(wanted.length > 0 && wanted.length < 200);
    await page.waitForFunction((count) => document.querySelectorAll('#tab-body-sessions tbody tr').length === count, wanted.length);
    assert.deepEqual((await drawn(page)).rows, wanted);
    await page.close();
  });

  it('shows HTML and script payloads from the database literally and runs none of them', async () => {
    const page = await openPanelPage(browser);
    const payloadApp = '<img src=x onerror="window.__pwned=\'app\'">';
    const payloadQuery = '</code><script>window.__pwned="query"</script><svg onload="window.__pwned=\'svg\'">';
    const hostile = makeSession('4242', { state: 'active', application: payloadApp, user: '<b>mallory</b>', queryPreview: payloadQuery });
    const message = initMessage([hostile, ...makeCrowd(3)]);
    await deliver(page, message);
    await page.locator('tr[data-session="4242"]').waitFor();
    const rowText = (await page.locator('tr[data-session="4242"]').textContent()) ?? '';
    assert.ok(rowText.includes(payloadApp), rowText);
    assert.ok(rowText.includes('<b>mallory</b>'), rowText);
    assert.ok(rowText.includes(payloadQuery.slice(0, 120)), rowText);
    // The full query, requested on demand, also arrives as text.
    await page.locator('[data-show-query="4242"]').click();
    await deliver(page, { type: 'queryText', sessionId: '4242', text: payloadQuery });
    assert.equal(await page.locator('#query-text').textContent(), payloadQuery);
    const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
    assert.deepEqual(posted.at(-1), { type: 'requestQueryText', sessionId: '4242' });
    await page.waitForTimeout(300);
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: string }).__pwned,
      images: document.querySelectorAll('#root img').length,
      scripts: document.querySelectorAll('#root script').length,
      bold: document.querySelectorAll('#root b').length,
      violations: (window as unknown as { __cspViolations: string[] }).__cspViolations,
    }));
    assert.deepEqual(state, { pwned: undefined, images: 0, scripts: 0, bold: 0, violations: [] });
    await page.close();
  });

  it('works from the keyboard: the query opens with Enter, Escape closes it and focus returns', async () => {
    const page = await openPanelPage(browser);
    await deliver(page, initMessage([makeSession('501', { state: 'active', queryPreview: 'UPDATE accounts SET balance = 0' }), ...makeCrowd(3)]));
    const show = page.locator('[data-show-query="501"]');
    await show.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'query-text');
    assert.equal(await page.locator('#query-pane').isVisible(), true);
    assert.equal(await page.locator('#query-heading').textContent(), 'Query of session 501');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-show-query') === '501');
    assert.equal(await page.locator('#query-pane').isVisible(), false);
    // Every table has column headers with a scope, the gauge is a labelled meter, the state line is live.
    assert.equal(await page.locator('table.data-table thead th:not([scope])').count(), 0);
    assert.equal(await page.locator('[role="meter"][aria-valuetext]').count(), 1);
    assert.equal(await page.locator('#status-line[role="status"][aria-live="polite"]').count(), 1);
    await page.close();
  });

  it('ignores messages that do not match the protocol', async () => {
    const page = await openPanelPage(browser);
    await deliver(page, initMessage(makeCrowd(5)));
    await deliver(page, { type: 'status', status: { kind: 'live' } } as unknown as HostMessage);
    await deliver(page, { type: 'snapshot', snapshot: { sessions: '<img src=x onerror=alert(1)>' } } as unknown as HostMessage);
    assert.match((await page.locator('#status-line').textContent()) ?? '', /^Live — updated/);
    assert.equal(await page.locator('#metric-sessions-value').textContent(), '5');
    await page.close();
  });
});
