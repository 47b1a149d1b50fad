/**
 * `npm run bench:ui`: how much work the sandbox's main thread does in one frame while the worker
 * trains, measures barriers, and measures sharpness, width and LLC: the built sandbox in headless
 * Chromium (this machine's WebGPU adapter; SwiftShader where there is no GPU), the small sizes of
 * the browser tests. The figure is the page's own work per frame (its scripts and its rendering,
 * from Long Animation Frame entries), not a frame's wall time, which on a busy machine also counts
 * time the renderer was not scheduled at all. A frame is 16.7 ms at 60 Hz; work over 50 ms is a
 * stutter a user sees. These were timed browser tests until a loaded machine failed them: a speed
 * is a figure, not a test.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { launchWithWebGpu } from './sandbox/browser';
import { buildSandbox } from './sandbox/buildApp';
import { serveStatic } from './sandbox/staticServer';
import { SMALL, waitForRun } from './sandbox/sandboxRun';

/** Records every long animation frame from the page's start, with the page's own work in it. */
function recordFrameWork(): void {
  const w = window as unknown as { frameWork: { start: number; work: number }[] };
  w.frameWork = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as unknown as {
      startTime: number;
      duration: number;
      renderStart: number;
      scripts: { duration: number }[];
    }[]) {
      const scripts = e.scripts.reduce((sum, x) => sum + x.duration, 0);
      const render = e.renderStart ? e.startTime + e.duration - e.renderStart : 0;
      w.frameWork.push({ start: e.startTime, work: scripts + render });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
}

/** Work per frame since the last performance mark `mark`: the longest, and how many frames passed 50 ms. */
async function workSince(page: Page, mark: string): Promise<{ longest: number; over50: number; frames: number }> {
  return page.evaluate((mark) => {
    const marks = performance.getEntriesByName(mark);
    const start = marks[marks.length - 1].startTime;
    const work = ((window as any).frameWork as { start: number; work: number }[]).filter((f) => f.start >= start).map((f) => f.work);
    return { longest: Math.max(0, ...work), over50: work.filter((w) => w > 50).length, frames: work.length };
  }, mark);
}

async function waitForStatus(page: Page, panel: 'geometry' | 'measures'): Promise<void> {
  await page.waitForFunction((panel) => (window as any).basinAtlas[panel].status !== 'running', panel, { timeout: 0, polling: 200 });
  const status = await page.evaluate((panel) => (window as any).basinAtlas[panel].status as string, panel);
  if (status !== 'done') throw new Error(`${panel}: ${status}`);
}

const server = await serveStatic(await buildSandbox());
const browser = await launchWithWebGpu();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(recordFrameWork);
  await page.goto(`${server.url}#v=1&${SMALL}`);
  await waitForRun(page);
  const rows: [string, Awaited<ReturnType<typeof workSince>>][] = [];

  // a second run, from the settled page: the first shares its start with the page's load
  await page.locator('[data-key=noise]').fill('3');
  await waitForRun(page);
  await page.waitForTimeout(300);
  rows.push(['a training run (64 particles, 150 steps, 8×8 map)', await workSince(page, 'basin-atlas:run')]);

  await page.locator('[data-key=barrier-particles]').fill('24');
  await page.locator('[data-action=measure-barriers]').click();
  await waitForStatus(page, 'geometry');
  await page.waitForTimeout(300);
  rows.push(['barriers between 24 particles, to the drawn matrix', await workSince(page, 'basin-atlas:barriers')]);

  await page.locator('[data-action=measure-geometry]').click();
  await waitForStatus(page, 'measures');
  await page.waitForTimeout(300);
  rows.push(['sharpness, width and LLC of 64 particles, to the drawn plots', await workSince(page, 'basin-atlas:measures')]);

  const adapter = await page.evaluate(() => (window as any).basinAtlas.engine?.device ?? 'unknown adapter');
  console.log(`Sandbox main-thread work per frame (${adapter}; ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)})`);
  console.log('| while | frames over 50 ms of work | longest frame (ms of work) | long frames seen |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [what, r] of rows) console.log(`| ${what} | ${r.over50} | ${r.longest.toFixed(0)} | ${r.frames} |`);
} finally {
  await browser.close();
  await server.close();
}
