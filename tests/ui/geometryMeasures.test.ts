import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchWithWebGpu } from '../../src/bench/sandbox/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { openSandbox, outcomeCounts, screenshot, SMALL, waitForRun } from './helpers/sandboxPage';

/** Issue 11 in the sandbox: sharpness, width and LLC per outcome class, measured in the worker. */
const app = serveBuiltApp(launchWithWebGpu);

async function waitForMeasures(page: Page): Promise<string> {
  await page.waitForFunction(() => (window as any).basinAtlas.measures.status !== 'running', undefined, { timeout: 0, polling: 200 });
  const status = await page.evaluate(() => (window as any).basinAtlas.measures.status as string);
  if (status === 'error') throw new Error(`measurement failed: ${await page.evaluate(() => (window as any).basinAtlas.measures.error)}`);
  return status;
}

/** The numbers a box plot shows per class: particles drawn, and the note on those left out. */
async function boxRows(page: Page, testid: string) {
  const plot = page.locator(`[data-testid=${testid}]`);
  const rows: Record<string, { drawn: number; note: string; few: boolean }> = {};
  for (const row of await plot.locator('.box-row[data-class]').all()) {
    const name = (await row.getAttribute('data-class'))!;
    const note = plot.locator(`[data-note="${name}"]`);
    rows[name] = {
      drawn: Number(await row.locator('[data-testid=box-count]').textContent()),
      note: (await note.count()) > 0 ? (await note.textContent())! : '',
      few: (await row.locator('[data-testid=box-few]').count()) > 0,
    };
  }
  return { rows, title: (await plot.locator('.box-title').textContent())!.replace(/\s+/g, ' ') };
}

/** Left out of a class's box, from its note ("2 did not converge, 1 > 10 (beyond the grid)"). */
const leftOut = (note: string) => (note ? note.split(', ').reduce((s, part) => s + parseInt(part, 10), 0) : 0);

describe('sharpness, width and LLC at 1280×800', () => {
  let page: Page;

  beforeAll(async () => {
    page = await openSandbox(app.browser, `${app.url}#v=1&${SMALL}&stage=geometry`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitForRun(page);
  });

  afterAll(() => page?.close());

  test('the three box plots appear with their quantities, and every particle is drawn or counted as left out', async () => {
    const field = page.locator('[data-key=measure-directions]');
    expect(await page.locator('[data-key=measure-particles]').inputValue()).toBe('64');
    expect(await field.inputValue()).toBe('8');
    await field.fill('0');
    expect(await page.locator('#measure-directions-error').textContent()).toBe('directions must be an integer from 1 to 256, got "0"');
    expect(await page.locator('[data-action=measure-geometry]').isDisabled()).toBe(true);
    await field.fill('8');
    expect(await page.locator('[data-testid=measure-defaults]').textContent()).toContain("Lighter than the command line's defaults");
    await page.locator('[data-action=measure-geometry]').click();
    await page.locator('[data-testid=measure-progress]').waitFor();
    expect(await page.locator('[data-testid=measure-progress]').textContent()).toMatch(/^\d of 3: (sharpness|width|LLC)/);
    expect(await waitForMeasures(page)).toBe('done');

    const caption = (await page.locator('[data-testid=measure-caption]').textContent())!.replace(/\s+/g, ' ');
    expect(caption).toMatch(/The first 64 particles at step 150: sharpness [\d.]+ s, width [\d.]+ s, LLC [\d.]+ s/);
    console.log(`measured 64 particles: ${caption}`);
    const counts = await outcomeCounts(page);
    const plots = {
      'sharpness-box-plot': 'top Hessian eigenvalue λmax of the train loss',
      'width-box-plot': 'r50: radius at which half of 8 directions change class',
      'llc-box-plot': 'LLC λ̂, mean over 2 SGLD chains',
    };
    for (const [testid, quantity] of Object.entries(plots)) {
      const { rows, title } = await boxRows(page, testid);
      expect(title).toContain(quantity);
      expect(Object.keys(rows)).toEqual(['colour', 'shape', 'mixed', 'unconverged', 'diverged']);
      for (const [name, row] of Object.entries(rows)) {
        expect(row.drawn + leftOut(row.note), `${testid} ${name}: drawn ${row.drawn}, note "${row.note}"`).toBe(counts[name]);
        expect(row.few, `${testid} ${name}: ${row.drawn} drawn`).toBe(row.drawn > 0 && row.drawn < 5);
      }
      // how to read a box is said once, below the three
      expect(title).not.toContain('box: quartiles');
    }
    expect(await page.locator('[data-testid=measure-legend]').textContent()).toContain('fewer than 5');
    const reading = (await page.locator('[data-testid=measure-reading]').textContent())!;
    expect(reading).toMatch(
      /^(The class more seeds found, \w+ \(\d+ particles(, \d+ measured)?\), has the (larger|smaller|same) median r50|No reading|\w+ and \w+ were found equally)/,
    );
    // the reading agrees with the medians it quotes
    const m = reading.match(/median r50: ([\d.]+) against ([\d.]+)/);
    if (m && reading.includes('larger')) expect(Number(m[1])).toBeGreaterThan(Number(m[2]));
    if (m && reading.includes('smaller')) expect(Number(m[1])).toBeLessThan(Number(m[2]));
    await page.locator('[data-testid=measures]').screenshot({ path: 'screenshots/measures-panel-1280.png' });
    await screenshot(page, 'measures-1280');
  });

  test("the inspector shows the selected particle's eigenvalue, r50 and LLC ± sd, as measured", async () => {
    const i = 5;
    await page.evaluate((i) => (window as any).basinAtlas.select({ kind: 'particle', index: i }), i);
    const table = page.locator('[data-testid=inspector-measures]');
    await table.waitFor();
    const r = await page.evaluate((i) => {
      const m = (window as any).basinAtlas.measures.result;
      return {
        top: m.sharpness.topEigenvalue[i],
        converged: m.sharpness.converged[i],
        r50: m.width.r50[i],
        llc: m.llc.llc[i],
        sd: m.llc.llcStd[i],
        problem: m.llc.problems[i],
      };
    }, i);
    const cell = (k: string) => table.locator(`[data-measure=${k}]`).textContent();
    expect(await cell('topEigenvalue')).toBe(r.converged ? r.top.toPrecision(3) : 'did not converge in 100 products');
    expect(await cell('r50')).toBe(Number.isFinite(r.r50) && r.r50 > 0 ? r.r50.toPrecision(3) : expect.stringMatching(/r-m(ax|in)|none/));
    expect(await cell('llc')).toBe(`${r.llc.toPrecision(3)} ± ${r.sd.toPrecision(3)}`);
    expect(await table.locator('[data-measure=llcProblem]').count()).toBe(r.problem ? 1 : 0);
    await page.locator('[data-testid=inspector]').screenshot({ path: 'screenshots/measures-inspector-1280.png' });
    // a particle past the first M would show nothing; here M is the whole ensemble: every particle has values
    await page.evaluate(() => (window as any).basinAtlas.select({ kind: 'particle', index: 63 }));
    await page.waitForFunction(() => (window as any).basinAtlas.detail?.target.index === 63);
    expect(await table.count()).toBe(1);
  });

  test("the ensemble JSON carries each measured particle's values under the geometry command's field names", async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 0 }),
      page.locator('[data-export=ensembleJson]').click(),
    ]);
    const doc = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['sharpness', 'width', 'llc']));
    const r = await page.evaluate(() => {
      const m = (window as any).basinAtlas.measures.result;
      return { top: [...m.sharpness.topEigenvalue], llc: [...m.llc.llc] };
    });
    expect(doc.particles).toHaveLength(64);
    doc.particles.forEach((p: any, i: number) => {
      expect(p.topEigenvalue).toBe(Number.isFinite(r.top[i]) ? r.top[i] : null);
      expect(p.llc).toBe(Number.isFinite(r.llc[i]) ? r.llc[i] : null);
      expect(p.r50 === null ? (p.r50Bound ?? p.widthProblem) : p.r50).toBeDefined();
      expect(p).toHaveProperty('llcStd');
    });
  });

  test('on a 390×844 phone, the measurements fit the width: fields, box plots and their notes', async () => {
    // the same page, narrowed: the layout follows the viewport
    await page.setViewportSize({ width: 390, height: 844 });
    await waitForRun(page);
    // few particles: classes with fewer than 5 values are starred, and the reading declines
    await page.locator('[data-key=measure-particles]').fill('12');
    await page.locator('[data-action=measure-geometry]').click();
    expect(await waitForMeasures(page)).toBe('done');
    const { rows } = await boxRows(page, 'width-box-plot');
    for (const [name, row] of Object.entries(rows)) expect(row.few, `${name}: ${row.drawn} drawn`).toBe(row.drawn > 0 && row.drawn < 5);
    const small = Object.values(rows)
      .slice(0, 2)
      .some((r) => r.drawn + leftOut(r.note) < 5);
    if (small) expect(await page.locator('[data-testid=measure-reading]').textContent()).toMatch(/^No reading/);
    const panel = (await page.locator('[data-testid=measures]').boundingBox())!;
    expect(panel.x).toBeGreaterThanOrEqual(0);
    expect(panel.x + panel.width, 'measures panel right edge').toBeLessThanOrEqual(390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow, 'page width').toBeLessThanOrEqual(390);
    await page.locator('[data-testid=measures]').screenshot({ path: 'screenshots/measures-panel-390.png' });
    await page.evaluate(() => (window as any).basinAtlas.select({ kind: 'particle', index: 2 }));
    await page.locator('[data-testid=inspector-measures]').waitFor();
    await page.locator('[data-testid=inspector]').screenshot({ path: 'screenshots/measures-inspector-390.png' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe('cancelling a measurement', () => {
  test('a long measurement stops on "cancel" in its LLC stage, keeps sharpness and width, and the page can measure again', async () => {
    const page = await openSandbox(app.browser, `${app.url}#v=1&particles=64&steps=20&res=4&stage=geometry`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitForRun(page);
    // a million draws per chain: far longer than anyone waits
    await page.locator('[data-key=measure-draws]').fill('1000000');
    await page.locator('[data-action=measure-geometry]').click();
    await page.waitForFunction(() => (window as any).basinAtlas.measures.stage === 'llc', undefined, { timeout: 0, polling: 50 });
    expect(await page.locator('[data-testid=measure-progress]').textContent()).toMatch(/^3 of 3: LLC \(SGLD chains\) \d+%$/);
    await page.locator('[data-action=cancel-measures]').click();
    // the LLC stops; sharpness and width, finished before it, are kept and drawn (issue 25)
    expect(await waitForMeasures(page)).toBe('done');
    expect(await page.locator('[data-testid=measure-kept]').textContent()).toBe(
      'LLC (SGLD chains) was cancelled; the stages before it are kept.',
    );
    expect(await page.locator('[data-testid=sharpness-box-plot]').count()).toBe(1);
    expect(await page.locator('[data-testid=width-box-plot]').count()).toBe(1);
    expect(await page.evaluate(() => (window as any).basinAtlas.measures.result.llc)).toBeUndefined();
    // the engine is free again: a measurement without the LLC completes
    await page.locator('[data-key=measure-skipLlc]').check();
    expect(await page.locator('[data-key=measure-draws]').isDisabled()).toBe(true);
    await page.locator('[data-action=measure-geometry]').click();
    expect(await waitForMeasures(page)).toBe('done');
    expect(await page.locator('[data-testid=llc-skipped]').count()).toBe(1);
    expect(await page.locator('[data-testid=width-box-plot]').count()).toBe(1);
    await page.close();
  });
});
