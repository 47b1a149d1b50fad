import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { outcomeColour } from '../../src/core/outcomeColours';
import { cellUnder, rowOrder } from '../../src/ui/views/decompose/outcomeMatrix';
import { cli } from '../cli/run';
import { launchWithWebGpu } from '../../src/bench/sandbox/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { openSandbox, shownSettings, SMALL, waitForRun } from './helpers/sandboxPage';

/** Issue 12 in the sandbox: the decomposition view trains an inits × noises matrix in the worker. */
const app = serveBuiltApp(launchWithWebGpu);
const [I, J] = [6, 5];

const status = (page: Page) => page.evaluate(() => (window as any).basinAtlas.decomposition.status as string);

async function waitForDecomposition(page: Page): Promise<string> {
  await page.waitForFunction(() => (window as any).basinAtlas.decomposition.status !== 'running', undefined, { timeout: 0, polling: 200 });
  const s = await status(page);
  if (s === 'error') throw new Error(`decompose failed: ${await page.evaluate(() => (window as any).basinAtlas.decomposition.error)}`);
  return s;
}

/** The result as the page holds it. */
const decomposed = (page: Page) =>
  page.evaluate(() => {
    const r = (window as any).basinAtlas.decomposition.result;
    return {
      inits: r.inits as number,
      noises: r.noises as number,
      outcomes: [...r.outcomes] as number[],
      classes: r.classes as string[],
      purity: r.purity as number[],
      initShare: r.initShare,
      noiseShare: r.noiseShare,
    };
  });

/** Each pixel of the matrix canvas as #rrggbb, row-major. */
const canvasColours = (page: Page) =>
  page.locator('[data-testid=decompose-matrix]').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const hex = (k: number) => '#' + [d[k], d[k + 1], d[k + 2]].map((x) => x.toString(16).padStart(2, '0')).join('');
    return { width: c.width, height: c.height, colours: Array.from({ length: c.width * c.height }, (_, p) => hex(4 * p)) };
  });

/** The colours the image must show, row r being init order[r]. */
function expectedColours(r: Awaited<ReturnType<typeof decomposed>>, order: Int32Array): string[] {
  const hypotheses = r.classes.length - 3;
  return Array.from(order).flatMap((i) => r.outcomes.slice(i * r.noises, (i + 1) * r.noises).map((c) => outcomeColour(c, hypotheses)));
}

describe('the decomposition view', () => {
  let page: Page;

  beforeAll(async () => {
    // batch 1 at lr 0.8: the noise splits some inits' rows, so their purities differ and sorting moves rows
    page = await openSandbox(app.browser, `${app.url}#v=1&${SMALL}&batch=1&lr=0.8&stage=decompose`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitForRun(page);
  });

  afterAll(() => page?.close());

  test('its sizes are checked as typed, with the range beside the field', async () => {
    const inits = page.locator('[data-key=decompose-inits]');
    expect(await inits.inputValue()).toBe('32');
    await inits.fill('0');
    expect(await page.locator('#decompose-inits-error').textContent()).toBe('init seeds (rows) must be an integer from 1 to 4096, got "0"');
    expect(await page.locator('[data-action=decompose]').isDisabled()).toBe(true);
    await inits.fill('4096');
    await page.locator('[data-key=decompose-noises]').fill('4096');
    expect(await page.locator('#decompose-noises-error').textContent()).toContain('must be at most 262144 cells, got 4096 × 4096');
    await inits.fill(String(I));
    await page.locator('[data-key=decompose-noises]').fill(String(J));
    expect(await page.locator('[data-action=decompose]').isDisabled()).toBe(false);
  });

  test('Cancel stops it with a progress bar on screen, and nothing is kept', async () => {
    // 64 × 64: long enough that the click on cancel lands while it runs
    await page.locator('[data-key=decompose-inits]').fill('64');
    await page.locator('[data-key=decompose-noises]').fill('64');
    await page.locator('[data-action=decompose]').click();
    expect(await page.locator('progress[aria-label="decomposition progress"]').count()).toBe(1);
    await page.locator('[data-action=cancel-decompose]').click();
    expect(await waitForDecomposition(page)).toBe('cancelled');
    expect(await page.locator('[data-testid=decompose-matrix]').count()).toBe(0);
    expect(await page.locator('[data-testid=decompose-cancelled]').textContent()).toContain('Cancelled');
    await page.locator('[data-key=decompose-inits]').fill(String(I));
    await page.locator('[data-key=decompose-noises]').fill(String(J));
  });

  test('the image has I × J cells, each the colour of its class, and the shares with their intervals beside it', async () => {
    await page.locator('[data-action=decompose]').click();
    expect(await waitForDecomposition(page)).toBe('done');
    const r = await decomposed(page);
    expect([r.inits, r.noises, r.outcomes.length]).toEqual([I, J, I * J]);
    const image = await canvasColours(page);
    expect([image.width, image.height]).toEqual([J, I]);
    expect(image.colours).toEqual(expectedColours(r, rowOrder(r.purity, false)));
    const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
    const shares = (await page.locator('[data-testid=decompose-shares]').textContent())!.replace(/\s+/g, ' ');
    if (r.initShare.value !== null) {
      expect(shares).toContain(`init share ${pct(r.initShare.value)} [${pct(r.initShare.low)}, ${pct(r.initShare.high)}]`);
      expect(shares).toContain(`noise share ${pct(r.noiseShare.value)} [${pct(r.noiseShare.low)}, ${pct(r.noiseShare.high)}]`);
    } else expect(shares).toContain('every cell has the same outcome');
    const legend = (await page.locator('[data-testid=decompose-legend]').textContent())!;
    for (const c of new Set(r.outcomes)) expect(legend).toContain(r.classes[c]);
    await page.locator('[data-testid=decompose]').screenshot({ path: 'screenshots/decompose-panel-1280.png' });
  });

  test('rows sort by purity, purest first, and back', async () => {
    const r = await decomposed(page);
    await page.locator('[data-action=order-purity]').check();
    const order = rowOrder(r.purity, true);
    expect(new Set(r.purity).size, `purities ${r.purity}: sorting must move rows`).toBeGreaterThan(1);
    expect(Array.from(order)).not.toEqual(Array.from(rowOrder(r.purity, false)));
    for (let k = 1; k < order.length; k++) expect(r.purity[order[k - 1]]).toBeGreaterThanOrEqual(r.purity[order[k]]);
    expect((await canvasColours(page)).colours).toEqual(expectedColours(r, order));
    const bars = await page
      .locator('[data-testid=decompose-purity] rect')
      .evaluateAll((rs) => rs.map((b) => Number(b.getAttribute('width'))));
    expect(bars, 'the purity bars follow the rows').toEqual(Array.from(order, (i) => r.purity[i]));
    await page.locator('[data-action=order-natural]').check();
    expect((await canvasColours(page)).colours).toEqual(expectedColours(r, rowOrder(r.purity, false)));
    await page.locator('[data-action=order-purity]').check();
  });

  test('hover reads the cell, and its command trains that run', async () => {
    const r = await decomposed(page);
    const order = rowOrder(r.purity, true);
    const [row, col] = [I - 2, J - 1];
    const box = (await page.locator('[data-testid=decompose-matrix]').boundingBox())!;
    const p = { x: box.x + ((col + 0.5) / J) * box.width, y: box.y + ((row + 0.5) / I) * box.height };
    expect(cellUnder((p.x - box.x) / box.width, (p.y - box.y) / box.height, I, J)).toEqual({ row, col });
    await page.mouse.move(p.x, p.y);
    const i = order[row];
    const text = (await page.locator('[data-testid=decompose-readout]').textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain(`init ${i}, noise ${col}: ${r.classes[r.outcomes[i * J + col]]}`);
    const command = (await page.locator('[data-testid=decompose-command]').textContent())!;
    expect(command).toMatch(new RegExp(`^basin-atlas train --task thneeb .*--init-index ${i} --first-particle ${col} --particles 1$`));
    // the keyboard's cursor stays where the pointer's would leave: the screenshot shows a read cell
    await page.mouse.move(0, 0);
    await page.locator('[data-testid=decompose-matrix]').focus();
    await page.keyboard.press('ArrowRight');
    const read = (await page.locator('[data-testid=decompose-readout]').textContent())!.replace(/\s+/g, ' ');
    expect(read).toContain(`init ${order[0]}, noise 1: ${r.classes[r.outcomes[order[0] * J + 1]]}`);
    await page.locator('[data-testid=decompose]').screenshot({ path: 'screenshots/decompose-hover-1280.png' });
    // the command's flags give the very settings the matrix was trained with
    const args = command.split(' ').slice(1);
    const run = await cli([...args, '--engine', 'cpu', '--steps', '1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { particles: _a, firstParticle: _b, steps: _c, ...config } = JSON.parse(run.stdout).config;
    const { particles: _d, firstParticle: _e, steps, ...shown } = (await shownSettings(page)).config;
    // the form's lrScale lists no layer (all 1); the command line's lists every layer
    expect(config).toEqual({ ...shown, lrScale: config.lrScale.map((_: number, k: number) => shown.lrScale[k] ?? 1) });
    expect(command).toContain(`--steps ${steps}`);
  });

  test('at 390×844 the panel fits the width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const panel = page.locator('[data-testid=decompose]');
    await panel.scrollIntoViewIfNeeded();
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    const canvas = (await page.locator('[data-testid=decompose-matrix]').boundingBox())!;
    expect(canvas.x + canvas.width).toBeLessThanOrEqual(390);
    await panel.screenshot({ path: 'screenshots/decompose-panel-390.png' });
  });
});
