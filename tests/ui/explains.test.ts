import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { windowOf, toCanvas } from '../../src/ui/map/mapGeometry';
import type { LossMap } from '../../src/worker/protocol';
import { launchWithWebGpu } from './helpers/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { openSandbox, outcomeCounts, screenshot, shownSettings, SMALL, waitForRun } from './helpers/sandboxPage';

/** Issue 10, "the sandbox explains itself": what the picture is, where the inspector is, the README's claims. */
const app = serveBuiltApp(launchWithWebGpu);

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Where each particle's dot is drawn, in page pixels. */
async function dots(page: Page): Promise<{ x: number; y: number; outcome: string }[]> {
  const { positions, map, outcomes, classes } = await page.evaluate(() => {
    const d = (window as any).basinAtlas.data;
    const m = d.lossMap;
    return {
      positions: [...d.positions] as number[],
      map: { res: m.res, alphas: [...m.alphas], betas: [...m.betas] },
      outcomes: [...d.outcomes] as number[],
      classes: d.task.outcomeClasses as string[],
    };
  });
  const box = (await page.locator('[data-testid=map-canvas]').boundingBox())!;
  const win = windowOf(map as unknown as LossMap);
  return outcomes.map((o, i) => {
    const [fx, fy] = toCanvas(win, positions[2 * i], positions[2 * i + 1]);
    return { x: box.x + fx * box.width, y: box.y + fy * box.height, outcome: classes[o] };
  });
}

/** A particle whose dot lies inside the map and at least `gap` pixels from every other dot. */
async function loneDot(page: Page, gap = 12): Promise<{ index: number; x: number; y: number; outcome: string }> {
  const all = await dots(page);
  const box = (await page.locator('[data-testid=map-canvas]').boundingBox())!;
  const inside = (d: { x: number; y: number }) =>
    d.x > box.x + 10 && d.x < box.x + box.width - 10 && d.y > box.y + 10 && d.y < box.y + box.height - 10;
  const index = all.findIndex((d, i) => inside(d) && all.every((e, j) => j === i || Math.hypot(e.x - d.x, e.y - d.y) >= gap));
  expect(index, `no particle ${gap} px from all others among ${all.length}`).toBeGreaterThanOrEqual(0);
  return { index, ...all[index] };
}

describe('one init for all (README, "What to try first")', () => {
  test('at the defaults the init decides and the panel says so; "one init, noise decides" splits it into at least two algorithms', async () => {
    // the README's settings (1000 steps, batch 16, lr 0.5), fewer particles: particle k's run does not depend on how many there are
    const page = await openSandbox(app.browser, `${app.url}#v=1&particles=128&res=8&shared=1`);
    await waitForRun(page);
    expect((await shownSettings(page)).sharedInit).toBe(true);
    const decided = await outcomeCounts(page);
    expect(decided.mixed, JSON.stringify(decided)).toBe(128);
    expect(await page.locator('[data-testid=init-decides]').textContent()).toContain('all 128 particles took mixed');
    expect(await page.locator('[data-testid=shared-hint]').textContent()).toContain('the init mostly decides');

    await page.locator('[data-action=noise-split]').click();
    await waitForRun(page);
    const settings = await shownSettings(page);
    expect({ shared: settings.sharedInit, batch: settings.config.batch, lr: settings.config.lr, steps: settings.config.steps }).toEqual({
      shared: true,
      batch: 1,
      lr: 0.8,
      steps: 1000,
    });
    const split = await outcomeCounts(page);
    expect(sum(split)).toBe(128);
    expect(split.colour, JSON.stringify(split)).toBeGreaterThanOrEqual(13);
    expect(split.shape, JSON.stringify(split)).toBeGreaterThanOrEqual(13);
    expect(await page.locator('[data-testid=init-decides]').count()).toBe(0);
    await page.close();
  });
});

describe('what the picture is, at 1280×800', () => {
  let page: Page;

  beforeAll(async () => {
    page = await openSandbox(app.browser, `${app.url}#v=1&${SMALL}`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitForRun(page);
  });

  afterAll(() => page?.close());

  test('a "what am I looking at" note beside the map says cells are started there and dots are projections', async () => {
    const note = page.locator('[data-testid=explainer]');
    expect(await note.getAttribute('open')).not.toBeNull();
    const text = (await note.textContent())!;
    expect(text).toContain('started');
    expect(text).toContain('projection');
    expect(text).toContain('a blue dot over an orange cell is normal');
  });

  test('the note stays closed once closed, across reloads', async () => {
    await page.locator('[data-testid=explainer] summary').click();
    expect(await page.locator('[data-testid=explainer]').getAttribute('open')).toBeNull();
    await page.reload();
    await waitForRun(page);
    expect(await page.locator('[data-testid=explainer]').getAttribute('open')).toBeNull();
    await page.locator('[data-testid=explainer] summary').click();
    await page.reload();
    await waitForRun(page);
    expect(await page.locator('[data-testid=explainer]').getAttribute('open')).not.toBeNull();
  });

  test('the legend has an entry for the dots, and each count says what it counts', async () => {
    expect(await page.locator('[data-testid=dot-legend]').textContent()).toContain('dot: one of the 64 particles, at its projection');
    expect(await page.locator('[data-testid=grid-count-title]').textContent()).toContain('64 grid points');
    const gridCounts = await page.locator('[data-testid=grid-counts] .count').allTextContents();
    expect(gridCounts.map(Number).reduce((a, b) => a + b, 0)).toBe(64);
    expect(await page.locator('#outcomes-title').textContent()).toContain('Outcomes of the particles');
    expect(await page.locator('[data-testid=outcome-table] thead').textContent()).toContain('particles');
  });

  test('hovering a dot reads that particle, with its own outcome, not the cell under it', async () => {
    const dot = await loneDot(page);
    await page.mouse.move(dot.x, dot.y);
    const readout = page.locator('[data-testid=readout-particle]');
    await readout.waitFor();
    const text = (await readout.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain(`particle ${dot.index} `);
    expect(text).toContain(`its own outcome ${dot.outcome}`);
    await screenshot(page, 'hover-dot-1280');
  });

  test('clicking a dot inspects that particle, and the inspector is in view', async () => {
    const dot = await loneDot(page);
    await page.mouse.click(dot.x, dot.y);
    const label = page.locator('[data-testid=inspector-label]');
    await label.waitFor();
    expect((await label.textContent())!.replace(/\s+/g, ' ')).toContain(`particle ${dot.index} · outcome ${dot.outcome}`);
    await inView(page, '[data-testid=inspector]');
    await screenshot(page, 'inspector-dot-1280');
  });

  test('clicking a cell away from the dots inspects a grid point, and the inspector is in view', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const all = await dots(page);
    const box = (await page.locator('[data-testid=map-canvas]').boundingBox())!;
    // the corner cell farthest from every dot
    const corners = [0.05, 0.95].flatMap((fx) => [0.05, 0.95].map((fy) => ({ x: box.x + fx * box.width, y: box.y + fy * box.height })));
    const far = corners.map((c) => ({ c, d: Math.min(...all.map((d) => Math.hypot(d.x - c.x, d.y - c.y))) })).sort((a, b) => b.d - a.d)[0];
    expect(far.d, 'distance from the nearest dot (px)').toBeGreaterThan(10);
    await page.mouse.click(far.c.x, far.c.y);
    await page.waitForFunction(() => (window as any).basinAtlas.detail?.target.kind === 'grid', undefined, { timeout: 0 });
    await inView(page, '[data-testid=inspector]');
  });
});

/** Waits for the element's box to lie inside the viewport (a smooth scroll may still be moving it). */
async function inView(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
    },
    selector,
    { timeout: 0, polling: 100 },
  );
  const box = await page.locator(selector).evaluate((e) => JSON.parse(JSON.stringify(e.getBoundingClientRect())));
  const viewport = page.viewportSize()!;
  expect(box.top).toBeGreaterThanOrEqual(0);
  expect(box.bottom, `inspector ${JSON.stringify(box)} in ${JSON.stringify(viewport)}`).toBeLessThanOrEqual(viewport.height);
}

describe('on a 390×844 phone', () => {
  test('the map comes first: its top is within the first screen', async () => {
    const page = await openSandbox(app.browser, `${app.url}#v=1&${SMALL}`);
    await page.setViewportSize({ width: 390, height: 844 });
    await waitForRun(page);
    const box = (await page.locator('[data-testid=map-canvas]').boundingBox())!;
    expect(box.y, `map canvas at ${JSON.stringify(box)}`).toBeLessThan(844);
    expect(box.y + box.height, 'canvas bottom').toBeLessThan(844 * 1.5);
    await page.screenshot({ path: 'screenshots/phone-first-screen.png' });
    await page.close();
  });
});
