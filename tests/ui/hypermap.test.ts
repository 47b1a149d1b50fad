import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mapBoundaryDimension } from '../../src/core/instruments/hypermap/boxDimension';
import { fractionOf } from '../../src/ui/views/hypermap/hypermapGeometry';
import { hypermapPixels } from '../../src/ui/views/hypermap/hypermapPixels';
import type { HypermapViewResult } from '../../src/worker/protocol';
import { cli } from '../cli/run';
import { launchWithWebGpu } from '../../src/bench/sandbox/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { openSandbox, waitForRun } from './helpers/sandboxPage';

/** Issue 12 item 2 in the sandbox: the hyperparameter map trains in the worker, and a dragged box maps itself again. */
const app = serveBuiltApp(launchWithWebGpu);
const RES = 4;
// both axes read per particle: the whole map trains in one engine session
const X = 'lr:0.05:2:log';
const Y = 'init-scale:0.5:2:log';

const status = (page: Page) => page.evaluate(() => (window as any).basinAtlas.hypermap.status as string);

async function waitForMap(page: Page): Promise<string> {
  await page.waitForFunction(() => (window as any).basinAtlas.hypermap.status !== 'running', undefined, { timeout: 0, polling: 200 });
  const s = await status(page);
  if (s === 'error') throw new Error(`the map failed: ${await page.evaluate(() => (window as any).basinAtlas.hypermap.error)}`);
  return s;
}

/** The result as the page holds it, its typed arrays as typed arrays again. */
async function mapped(page: Page): Promise<HypermapViewResult> {
  const r = await page.evaluate(() => {
    const r = (window as any).basinAtlas.hypermap.result;
    return { ...r, counts: [...r.counts], meanLoss: [...r.meanLoss], meanScore: r.meanScore && [...r.meanScore] };
  });
  return {
    ...r,
    counts: Uint32Array.from(r.counts),
    meanLoss: Float64Array.from(r.meanLoss),
    meanScore: r.meanScore && Float64Array.from(r.meanScore),
  };
}

/** Each pixel of the map canvas as [r, g, b, a], row-major from the top-left. */
const canvasPixels = (page: Page) =>
  page.locator('[data-testid=hypermap-canvas]').evaluate((c: HTMLCanvasElement) => ({
    width: c.width,
    height: c.height,
    rgba: [...c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data],
  }));

async function expectCanvasMatches(page: Page, r: HypermapViewResult): Promise<void> {
  const image = await canvasPixels(page);
  expect([image.width, image.height]).toEqual([RES, RES]);
  expect(image.rgba).toEqual([...hypermapPixels(r)]);
}

/** The point of the page at fractions of the canvas from its top-left. */
async function at(page: Page, fx: number, fy: number) {
  const box = (await page.locator('[data-testid=hypermap-canvas]').boundingBox())!;
  return { x: box.x + fx * box.width, y: box.y + fy * box.height };
}

describe('the hyperparameter map view', () => {
  let page: Page;
  let whole: HypermapViewResult;

  beforeAll(async () => {
    page = await openSandbox(app.browser, `${app.url}#v=1&particles=16&steps=50&res=4&stage=hypermap`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitForRun(page);
  });

  afterAll(() => page?.close());

  test("the axes start at the preset's and are checked as typed, the error beside the field", async () => {
    const x = page.locator('[data-key=hypermap-x]');
    expect(await x.inputValue()).toBe('lr:0.05:2:log');
    expect(await page.locator('[data-key=hypermap-y]').inputValue()).toBe('knob:salience:0.75:1.25');
    await x.fill('lr:2:1');
    expect(await page.locator('#hypermap-x-error').textContent()).toBe('x axis lr: MAX must be above MIN, got 2:1');
    expect(await page.locator('[data-action=hypermap]').isDisabled()).toBe(true);
    await page.locator('[data-key=hypermap-res]').fill('65');
    expect(await page.locator('#hypermap-res-error').textContent()).toBe('cells per axis must be an integer from 2 to 64, got "65"');
    await x.fill(X);
    await page.locator('[data-key=hypermap-y]').fill(Y);
    await page.locator('[data-key=hypermap-res]').fill(String(RES));
    expect(await page.locator('[data-action=hypermap]').isDisabled()).toBe(false);
  });

  test('the canvas has res² cells, each the colour of its counts, with a legend of the classes', async () => {
    await page.locator('[data-action=hypermap]').click();
    expect(await waitForMap(page)).toBe('done');
    whole = await mapped(page);
    expect([whole.res, whole.counts.length / whole.classes.length]).toEqual([RES, RES * RES]);
    expect(whole.xs[0]).toBe(0.05);
    expect(whole.ys.at(-1)).toBe(2);
    await expectCanvasMatches(page, whole);
    const legend = (await page.locator('[data-testid=hypermap-legend]').textContent())!;
    for (let c = 0; c < whole.classes.length; c++) {
      const n = whole.counts.filter((_, k) => k % whole.classes.length === c).reduce((a, b) => a + b, 0);
      if (n > 0) expect(legend).toContain(whole.classes[c]);
    }
    await page.locator('[data-testid=hypermap]').screenshot({ path: 'screenshots/hypermap-panel-1280.png' });
  });

  test('hover reads the cell, and its command trains that run', async () => {
    const [i, j] = [2, 1];
    const p = await at(page, (i + 0.5) / RES, 1 - (j + 0.5) / RES);
    await page.mouse.move(p.x, p.y);
    const k = whole.classes.length;
    const counts = whole.classes.map((name, c) => [name, whole.counts[(j * RES + i) * k + c]] as const).filter(([, n]) => n > 0);
    const text = (await page.locator('[data-testid=hypermap-readout]').textContent())!.replace(/\s+/g, ' ');
    const label = (v: number) => String(Number(v.toPrecision(3)));
    expect(text).toContain(`lr ${label(whole.xs[i])}, init-scale ${label(whole.ys[j])}: ${counts.map(([n, c]) => `${n} ${c}`).join(', ')}`);
    await page.locator('[data-testid=hypermap]').screenshot({ path: 'screenshots/hypermap-hover-1280.png' });
    const command = (await page.locator('[data-testid=hypermap-command]').textContent())!;
    expect(command).toMatch(/^basin-atlas train --task thneeb .*--particles 1$/);
    const run = await cli([...command.split(' ').slice(1), '--engine', 'cpu', '--steps', '1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const config = JSON.parse(run.stdout).config;
    expect([config.lr, config.initScale, config.particles]).toEqual([whole.xs[i], whole.ys[j], 1]);
  });

  test('a dragged box maps itself again at the same resolution, inside the old bounds', async () => {
    // from the middle of cell (1, 2) to the middle of cell (3, 0): x from xs[1] to xs[3], y from ys[0] to ys[2]
    const from = await at(page, 1.5 / RES, 1 - 2.5 / RES);
    const to = await at(page, 3.5 / RES, 1 - 0.5 / RES);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2);
    expect(await page.locator('[data-testid=hypermap-box]').count()).toBe(1);
    await page.mouse.move(to.x, to.y);
    await page.mouse.up();
    expect(await waitForMap(page)).toBe('done');
    const zoomed = await mapped(page);
    const near = (a: number, b: number) => expect(Math.abs(a / b - 1), `${a} vs ${b}`).toBeLessThan(1e-3);
    near(zoomed.x.min, whole.xs[1]);
    near(zoomed.x.max, whole.xs[3]);
    near(zoomed.y.min, whole.ys[0]);
    near(zoomed.y.max, whole.ys[2]);
    expect(zoomed.x.min).toBeGreaterThan(whole.x.min);
    expect(zoomed.y.max).toBeLessThan(whole.y.max);
    expect(zoomed.x.log && zoomed.y.log).toBe(true);
    expect(await page.locator('[data-key=hypermap-x]').inputValue()).toBe(
      `lr:${Number(whole.xs[1].toPrecision(4))}:${Number(whole.xs[3].toPrecision(4))}:log`,
    );
    await expectCanvasMatches(page, zoomed);
    // the ticks follow the new bounds: every one inside them
    expect(fractionOf(zoomed.x, RES, zoomed.x.min)).toBeCloseTo(0.5 / RES);
    const ticks = await page.locator('.x-ticks .tick').allTextContents();
    for (const t of ticks) expect(Number(t)).toBeGreaterThanOrEqual(Number(zoomed.x.min.toPrecision(3)));
    await page.locator('[data-testid=hypermap]').screenshot({ path: 'screenshots/hypermap-zoomed-1280.png' });
  });

  test('"back" maps the bounds before the last box, "whole map" the first bounds', async () => {
    const first = await mapped(page);
    const from = await at(page, 0.1, 0.1);
    const to = await at(page, 0.6, 0.6);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y);
    await page.mouse.up();
    expect(await waitForMap(page)).toBe('done');
    const second = await mapped(page);
    expect(second.x.max).toBeLessThan(first.x.max);
    await page.locator('[data-action=hypermap-back]').click();
    expect(await waitForMap(page)).toBe('done');
    const before = await mapped(page);
    expect([before.x, before.y]).toEqual([first.x, first.y]);
    await page.locator('[data-action=hypermap-whole]').click();
    expect(await waitForMap(page)).toBe('done');
    const back = await mapped(page);
    expect([back.x, back.y]).toEqual([whole.x, whole.y]);
    expect(await page.locator('[data-key=hypermap-x]').inputValue()).toBe(X);
    expect(await page.locator('[data-action=hypermap-whole]').count()).toBe(0);
    await expectCanvasMatches(page, back);
  });

  test('Cancel stops it with a progress bar on screen, and the map on screen stays', async () => {
    // 64² cells × 16 particles: long enough that the click on cancel lands while it runs
    await page.locator('[data-key=hypermap-res]').fill('64');
    await page.locator('[data-key=hypermap-perCell]').fill('16');
    await page.locator('[data-action=hypermap]').click();
    expect(await page.locator('progress[aria-label="map progress"]').count()).toBe(1);
    await page.locator('[data-action=cancel-hypermap]').click();
    expect(await waitForMap(page)).toBe('cancelled');
    expect(await page.locator('[data-testid=hypermap-cancelled]').textContent()).toContain('Cancelled');
    expect((await mapped(page)).res).toBe(RES);
    await expectCanvasMatches(page, whole);
    await page.locator('[data-key=hypermap-res]').fill(String(RES));
    await page.locator('[data-key=hypermap-perCell]').fill('1');
  });

  test('at 390×844 the panel fits the width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const panel = page.locator('[data-testid=hypermap]');
    await panel.scrollIntoViewIfNeeded();
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    const canvas = (await page.locator('[data-testid=hypermap-canvas]').boundingBox())!;
    expect(canvas.x + canvas.width).toBeLessThanOrEqual(390);
    await panel.screenshot({ path: 'screenshots/hypermap-panel-390.png' });
  });
});

describe('the fractal preset in the map view', () => {
  test("by trainability the summary states the boundary's box-counting dimension, as core computes it from the cells", async () => {
    const page = await openSandbox(app.browser, `${app.url}#v=1&task=fractal&particles=4&steps=40&stage=hypermap`);
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await waitForRun(page);
      // the preset's own axes, counted by trainability; too small a map for a box count first
      await page.locator('[data-key=hypermap-res]').fill('8');
      await page.locator('[data-action=hypermap]').click();
      expect(await waitForMap(page)).toBe('done');
      expect(await page.locator('[data-testid=hypermap-summary]').textContent()).toContain('Map at 33 cells a side or more');
      await page.locator('[data-key=hypermap-res]').fill('34');
      await page.locator('[data-action=hypermap]').click();
      expect(await waitForMap(page)).toBe('done');
      const r = await mapped(page);
      expect(r.outcome).toBe('trainability');
      const d = mapBoundaryDimension(r.classes, r.counts, r.res)!;
      const text = (await page.locator('[data-testid=hypermap-dimension]').textContent())!.replace(/\s+/g, ' ');
      expect(text).toContain(`box-counting dimension: ${d.dimension.toFixed(2)} (boxes of 2–8 cells`);
      await page.locator('[data-testid=hypermap]').screenshot({ path: 'screenshots/hypermap-fractal-1280.png' });
    } finally {
      await page.close();
    }
  });
});
