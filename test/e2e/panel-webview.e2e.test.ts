// The built webview bundle (dist/webview.js) in Chromium, under the same CSP as in VS Code, fed
// protocol messages the way the host sends them: render/update timings with 1,000 sessions, and
// hostile database strings shown literally with nothing executed.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { PANEL_PROTOCOL_VERSION, type HostMessage } from '../../src/protocol/panel';
import { makeCrowd, makeSample, makeSession, makeSnapshot } from '../unit/webview/fixtures';
import { launchChromium, PROJECT_ROOT } from './lib/code-server-process.mjs';

const ORIGIN = 'https://webview.test';
const NONCE = 'bm9uY2UtZm9yLXRoZS10ZXN0';

/** The page the host serves, with its CSP, plus a stand-in for acquireVsCodeApi that records posts. */
function pageHtml(): string {
  const csp = `default-src 'none'; style-src ${ORIGIN}; img-src ${ORIGIN}; font-src ${ORIGIN}; script-src 'nonce-${NONCE}'`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${ORIGIN}/media/panel.css"></head>
<body><div id="root"></div>
<script nonce="${NONCE}" src="${ORIGIN}/test-api.js"></script>
<script nonce="${NONCE}" src="${ORIGIN}/dist/webview.js"></script></body></html>`;
}

const TEST_API = `
window.__posted = [];
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));
let saved;
window.acquireVsCodeApi = () => ({ postMessage: (message) => window.__posted.push(message), getState: () => saved, setState: (state) => { saved = state; } });
`;

async function openPanelPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const bundle = await readFile(path.join(PROJECT_ROOT, 'dist', 'webview.js'), 'utf8');
  const css = await readFile(path.join(PROJECT_ROOT, 'media', 'panel.css'), 'utf8');
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    const bodies: Record<string, [string, string]> = {
      '/': ['text/html', pageHtml()],
      '/test-api.js': ['text/javascript', TEST_API],
      '/dist/webview.js': ['text/javascript', bundle],
      '/media/panel.css': ['text/css', css],
    };
    const found = bodies[url.pathname];
    return found ? route.fulfill({ status: 200, contentType: found[0], body: found[1] }) : route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((message) => message.type === 'ready'));
  return page;
}

/** Delivers a host message and resolves after the frame that draws it; returns elapsed ms. */
function deliver(page: Page, message: HostMessage): Promise<number> {
  return page.evaluate(async (data) => {
    const started = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data }));
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    return performance.now() - started;
  }, message);
}

function initMessage(sessions = makeCrowd(1000)): HostMessage {
  const now = Date.now();
  return {
    type: 'init',
    protocol: PANEL_PROTOCOL_VERSION,
    connection: { id: 'c1', label: 'bench (app@db:5432/shop)', engine: 'postgres' },
    status: { kind: 'live', at: now },
    snapshot: makeSnapshot(sessions, { maxConnections: 1200, takenAt: now }),
    history: Array.from({ length: 60 }, (_, index) => makeSample(now - (60 - index) * 5000, { utilization: 0.5 + Math.sin(index / 5) * 0.2 })),
    alerts: [{ key: 'connection-utilization', severity: 'warning', message: 'Utilization 83 % ≥ 80 %' }],
    longQuerySeconds: 30,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('health panel webview in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it('renders 1,000 sessions and applies updates within a frame budget', async () => {
    const page = await openPanelPage(browser);
    const initialMs = await deliver(page, initMessage());
    await page.locator('#tab-body-sessions tbody tr').first().waitFor();
    // Idle sessions hidden by default: 400 of the 1,000 are not idle; 200 rows are drawn.
    assert.equal(await page.locator('#tab-body-sessions tbody tr').count(), 200);
    assert.match((await page.locator('#tab-body-sessions .table-note').textContent()) ?? '', /Showing 200 of 400 matching sessions \(1000 in all\)/);
    assert.equal(await page.locator('#metric-sessions-value').textContent(), '1000');

    const updateTimes: number[] = [];
    for (let round = 1; round <= 20; round++) {
      const sessions = makeCrowd(1000).map((session, index) => ({ ...session, stateAgeSeconds: (session.stateAgeSeconds ?? 0) + round, state: (index + round) % 4 === 0 ? 'active' as const : session.state }));
      const snapshot = makeSnapshot(sessions, { maxConnections: 1200, takenAt: Date.now() + round * 2000 });
      updateTimes.push(await deliver(page, { type: 'snapshot', snapshot, sample: makeSample(snapshot.takenAt), alerts: [] }));
    }
    const searchStarted = Date.now();
    await page.locator('#session-search input').fill('id = 123');
    await page.waitForFunction(() => document.querySelectorAll('#tab-body-sessions tbody tr').length <= 11);
    const searchMs = Date.now() - searchStarted;

    const report = `webview with 1,000 sessions: first render ${initialMs.toFixed(1)} ms; update median ${median(updateTimes).toFixed(1)} ms, max ${Math.max(...updateTimes).toFixed(1)} ms over ${updateTimes.length} snapshots; search to redraw ${searchMs} ms (message to next frame)`;
    console.log(report);
    await page.close();
    // A frame at 60 Hz is 16.7 ms; a poll comes every 2 s. An update must stay well under a poll.
    assert.ok(median(updateTimes) < 250, report);
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
