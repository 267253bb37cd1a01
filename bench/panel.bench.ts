/**
 * How long the health panel takes to draw 1,000 sessions, in Chromium, against the frame at 60 Hz
 * (16.7 ms): the built webview bundle (dist/webview.js) under the webview's CSP, fed the host's
 * protocol messages (test/e2e/lib/panel-page.ts, the page the e2e test drives).
 *
 * Each figure is one frame: from its start (the requestAnimationFrame timestamp) through the
 * page's draw callback and the style and layout it causes; paint and compositing are not counted.
 * Baseline, measured in the same run: the same frame for a status-only message (the state line
 * redrawn, the tables untouched), which is what a frame costs the page when it has nothing to draw.
 *
 * Figures: the first render of 1,000 sessions; the median, p95 and max over UPDATES snapshots of
 * the same 1,000 sessions (ages grow and a quarter change state, as between two polls); a switch
 * to the By-user tab and back. Needs Chromium (`npm run e2e:setup`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { HostMessage } from '../src/protocol/panel';
import { launchChromium } from '../test/e2e/lib/code-server-process.mjs';
import { deliverAndTimeFrame, initMessage, openPanelPage, updateMessage } from '../test/e2e/lib/panel-page';

const FRAME_MS = 1000 / 60;
const WARMUP = 5;
const UPDATES = 60;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const summary = (values: number[]) => ({ median: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) });

async function main(): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await openPanelPage(browser);
    const firstRenderMs = await deliverAndTimeFrame(page, initMessage());
    const drawnRows = await page.locator('#tab-body-sessions tbody tr').count();
    if (drawnRows !== 200) throw new Error(`the first render drew ${drawnRows} rows, not 200: the page did not draw what is measured`);

    for (let round = 1; round <= WARMUP; round++) await deliverAndTimeFrame(page, updateMessage(round));
    const updateTimes: number[] = [];
    const baselineTimes: number[] = [];
    for (let round = 1; round <= UPDATES; round++) {
      updateTimes.push(await deliverAndTimeFrame(page, updateMessage(WARMUP + round)));
      const status: HostMessage = { type: 'status', status: { kind: 'live', at: Date.now() + round } };
      baselineTimes.push(await deliverAndTimeFrame(page, status));
    }
    const tabTimes: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const index of [4, 0]) {
        tabTimes.push(
          await page.evaluate(
            (selectedIndex) =>
              new Promise<number>((resolve) => {
                document.querySelector('#tabs')!.dispatchEvent(new CustomEvent('vsc-tabs-select', { detail: { selectedIndex } }));
                requestAnimationFrame((frameStart) => {
                  void document.body.getBoundingClientRect();
                  resolve(performance.now() - frameStart);
                });
              }),
            index,
          ),
        );
      }
    }
    await page.close();

    const updates = summary(updateTimes);
    const baseline = summary(baselineTimes);
    const tabs = summary(tabTimes);
    const verdict = (ms: number) => (ms <= FRAME_MS ? 'within' : 'OVER');
    console.log(`frame budget at 60 Hz: ${FRAME_MS.toFixed(1)} ms (script + style + layout of the frame that draws a message)`);
    console.log(`  first render, 1,000 sessions  ${firstRenderMs.toFixed(1)} ms (${verdict(firstRenderMs)} one frame)`);
    console.log(`  update, 1,000 sessions        median ${updates.median.toFixed(1)} ms, p95 ${updates.p95.toFixed(1)} ms, max ${updates.max.toFixed(1)} ms over ${UPDATES} snapshots (median ${verdict(updates.median)} one frame, p95 ${verdict(updates.p95)})`);
    console.log(`  baseline, status line only    median ${baseline.median.toFixed(2)} ms, p95 ${baseline.p95.toFixed(2)} ms (update = ${(updates.median / Math.max(baseline.median, 0.01)).toFixed(0)}× the baseline)`);
    console.log(`  tab switch and back           median ${tabs.median.toFixed(1)} ms, max ${tabs.max.toFixed(1)} ms`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      'bench/results/panel.json',
      `${JSON.stringify({ date: new Date().toISOString(), frameBudgetMs: FRAME_MS, sessions: 1000, updates: UPDATES, firstRenderMs, updateMs: updates, baselineMs: baseline, tabSwitchMs: tabs }, null, 2)}\n`,
    );
    console.log('\nwritten bench/results/panel.json');
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(`panel bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
