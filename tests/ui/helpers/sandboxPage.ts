import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

// the run helpers the UI benchmark drives the page with too
export { SMALL, waitForRun } from '../../../src/bench/sandbox/sandboxRun';

export const SCREENSHOTS = 'screenshots';

export async function openSandbox(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1050 }, acceptDownloads: true });
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.log(`console ${m.type()}: ${m.text()}`);
  });
  await page.goto(url);
  return page;
}

/** The outcome panel as the user reads it: class name → count. */
export async function outcomeCounts(page: Page): Promise<Record<string, number>> {
  const rows = page.locator('[data-testid=outcome-table] tbody tr');
  const out: Record<string, number> = {};
  for (const row of await rows.all()) {
    out[(await row.getAttribute('data-class'))!] = Number(await row.locator('[data-testid=count]').textContent());
  }
  return out;
}

/** Distinct colours among the map canvas's pixels (read back through a 2-D canvas). */
export async function canvasColourCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=map-canvas]')!;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(canvas, 0, 0);
    const px = ctx.getImageData(0, 0, copy.width, copy.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < px.length; i += 4 * 7) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    return seen.size;
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** The settings of the results on screen, as the worker ran them. */
export function shownSettings(page: Page): Promise<any> {
  return page.evaluate(() => JSON.parse(JSON.stringify((window as any).basinAtlas.shownSettings)));
}
