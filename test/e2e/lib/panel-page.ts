// The built webview bundle (dist/webview.js) served in Chromium under the same CSP as in VS Code,
// with a stand-in for acquireVsCodeApi that records what the page posts. Shared by
// test/e2e/panel-webview.e2e.test.ts (behaviour) and bench/panel.bench.ts (rendering time).
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PANEL_PROTOCOL_VERSION, type HostMessage } from '../../../src/protocol/panel';
import { makeCrowd, makeSample, makeSnapshot } from '../../unit/webview/fixtures';
import { PROJECT_ROOT } from './code-server-process.mjs';

const ORIGIN = 'https://webview.test';
const NONCE = 'bm9uY2UtZm9yLXRoZS10ZXN0';

/** The page the host serves, with its CSP. */
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

export async function openPanelPage(browser: Browser): Promise<Page> {
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

/** Delivers a host message and resolves after the frame that draws it (the page draws in requestAnimationFrame). */
export async function deliver(page: Page, message: HostMessage): Promise<void> {
  await page.evaluate(async (data) => {
    window.dispatchEvent(new MessageEvent('message', { data }));
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  }, message);
}

/**
 * Delivers a host message and measures the frame that draws it: from the frame's start (the
 * timestamp requestAnimationFrame callbacks receive) through the page's draw callback, which runs
 * first, to the style and layout it causes (forced here). Paint and compositing are not counted.
 */
export function deliverAndTimeFrame(page: Page, message: HostMessage): Promise<number> {
  return page.evaluate(async (data) => {
    window.dispatchEvent(new MessageEvent('message', { data }));
    return new Promise<number>((resolve) =>
      requestAnimationFrame((frameStart) => {
        void document.body.getBoundingClientRect();
        resolve(performance.now() - frameStart);
      }),
    );
  }, message);
}

export function initMessage(sessions = makeCrowd(1000)): HostMessage {
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

/** The snapshot of poll `round` over the same 1,000 sessions: ages grow, a quarter turn active. */
export function updateMessage(round: number): HostMessage {
  const sessions = makeCrowd(1000).map((session, index) => ({ ...session, stateAgeSeconds: (session.stateAgeSeconds ?? 0) + round, state: (index + round) % 4 === 0 ? ('active' as const) : session.state }));
  const snapshot = makeSnapshot(sessions, { maxConnections: 1200, takenAt: Date.now() + round * 2000 });
  return { type: 'snapshot', snapshot, sample: makeSample(snapshot.takenAt), alerts: [] };
}
