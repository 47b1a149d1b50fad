import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { paramCount } from '../../src/core/layout';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { summariseOutcomes } from '../../src/core/results';
import { findPreset } from '../../src/core/tasks/index';
import { gpuEngine } from '../helpers/gpu';
import { launchWithWebGpu } from '../../src/bench/sandbox/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { canvasColourCount, openSandbox, outcomeCounts, screenshot, shownSettings, SMALL, waitForRun } from './helpers/sandboxPage';

const app = serveBuiltApp(launchWithWebGpu);

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Two inputs that agree in training and disagree in the probes: which one does the net use? */
function twoCueTask() {
  const train = { x: [] as number[][], y: [] as number[] };
  const first = { x: [] as number[][], y: [] as number[] };
  const second = { x: [] as number[][], y: [] as number[] };
  for (let i = 0; i < 32; i++) {
    const s = i % 2 === 0 ? 1 : -1;
    const j = ((i * 37) % 11) / 20;
    train.x.push([s * (1 + j), s * (0.5 + j)]);
    train.y.push(s > 0 ? 1 : 0);
    first.x.push([s * (1 + j), -s * (0.5 + j)]);
    first.y.push(s > 0 ? 1 : 0);
  }
  second.x = first.x;
  second.y = first.y.map((y) => 1 - y);
  return { name: 'two-cues', inputs: 2, classes: 2, train, probes: { first, second } };
}

describe('a run of the default preset (thneeb), at small sizes', () => {
  let page: Page;

  beforeAll(async () => {
    page = await openSandbox(app.browser, `${app.url}#v=1&${SMALL}`);
    await waitForRun(page);
  });

  afterAll(() => page?.close());

  test('runs to completion in the worker on WebGPU, and the page names the adapter', async () => {
    await expect(page.locator('[data-testid=device-line]')).toBeDefined();
    expect(await page.locator('[data-testid=device-line]').getAttribute('data-engine')).toBe('gpu');
    expect(await page.locator('[data-testid=device-line]').textContent()).toContain('WebGPU');
    expect(await page.locator('[data-testid=run-status]').getAttribute('data-status')).toBe('done');
    expect(await page.locator('[data-testid=run-status]').textContent()).toContain('step 150/150');
    await screenshot(page, 'basin-map');
  });

  test('the outcome panel lists the algorithms with counts that sum to the particle count', async () => {
    const counts = await outcomeCounts(page);
    expect(Object.keys(counts)).toEqual(['colour', 'shape', 'mixed', 'unconverged', 'diverged']);
    expect(sum(counts), JSON.stringify(counts)).toBe(64);
    const found = Object.values(counts).filter((c) => c > 0).length;
    expect(found, `classes found: ${JSON.stringify(counts)}`).toBeGreaterThanOrEqual(2);
  });

  test('the counts equal those of the engine run from Node with the same seeds and settings', async () => {
    const settings = await shownSettings(page);
    const config = settings.config;
    const task = findPreset(config.task)!.build(config.knobs);
    const result = await trainEnsemble(await gpuEngine(), makeRun(config, task));
    const expected = summariseOutcomes(result.classes, result.outcomes).counts;
    expect(await outcomeCounts(page)).toEqual(expected);
  });

  test('the map canvas is not blank, in either view', async () => {
    const basinColours = await canvasColourCount(page);
    expect(basinColours, 'distinct colours on the basin map').toBeGreaterThan(4);
    await page.getByLabel('loss map').check();
    await page.waitForTimeout(300);
    const lossColours = await canvasColourCount(page);
    expect(lossColours, 'distinct colours on the loss map').toBeGreaterThan(4);
    expect(await page.locator('.legend').textContent()).toContain('train loss');
    await screenshot(page, 'loss-map');
    await page.getByLabel('basin map').check();
  });

  test("clicking the map opens the inspector with that point's curves", async () => {
    const box = (await page.locator('[data-testid=map-canvas]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.8);
    await page.locator('[data-testid=inspector-label]').waitFor();
    const label = await page.locator('[data-testid=inspector-label]').textContent();
    expect(label).toMatch(/(grid point|particle) .* outcome (colour|shape|mixed|unconverged|diverged)/);
    await screenshot(page, 'inspector');
  });

  const save = async (kind: string): Promise<{ download: Download; bytes: Buffer }> => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 0 }), page.locator(`[data-export=${kind}]`).click()]);
    const path = await download.path();
    return { download, bytes: readFileSync(path) };
  };

  test('the PNG export is a PNG of the map, drawn from the data', async () => {
    const { download, bytes } = await save('png');
    expect(download.suggestedFilename()).toMatch(/basinmap\.png$/);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // 8 grid points per side, scaled up by a whole factor
    expect(bytes.readUInt32BE(16) % 8).toBe(0);
  });

  test('the ensemble JSON export uses the CLI schema and agrees with the panel', async () => {
    const { download, bytes } = await save('ensembleJson');
    expect(download.suggestedFilename()).toMatch(/ensemble\.json$/);
    const doc = JSON.parse(bytes.toString());
    expect(doc.kind).toBe('train');
    expect(doc.engine).toBe('gpu');
    expect(doc.particles).toHaveLength(64);
    expect(doc.counts).toEqual(await outcomeCounts(page));
  });

  test('the map JSON export is a basin result over the whole grid', async () => {
    const { bytes } = await save('mapJson');
    const doc = JSON.parse(bytes.toString());
    expect(doc.kind).toBe('basin');
    expect(doc.res).toBe(8);
    expect(doc.outcome).toHaveLength(64);
    expect(doc.plane.source).toBe('random');
  });

  test('the CSV export has one row per particle', async () => {
    const { download, bytes } = await save('csv');
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const lines = bytes.toString().trim().split('\n');
    expect(lines[0]).toBe('particle,outcome,train_loss,train_acc,colour_loss,colour_acc,shape_loss,shape_acc');
    expect(lines).toHaveLength(65);
  });

  test("the parameters export holds every particle's vector in PyTorch order", async () => {
    const { bytes } = await save('params');
    const doc = JSON.parse(bytes.toString());
    expect(doc.model.widths).toEqual([3, 16, 1]);
    expect(doc.particles).toHaveLength(64);
    expect(doc.particles[0].params).toHaveLength(paramCount(doc.model.widths));
  });

  // the tests below change the page's settings: they run after every test that reads the first run
  test('run controls: reset waits at step 0, step advances one frame, stop ends the run', async () => {
    await waitForRun(page);
    const state = () => page.evaluate(() => ({ status: (window as any).basinAtlas.status, step: (window as any).basinAtlas.data.step }));
    await page.locator('[data-action=reset]').click();
    await page.waitForFunction(() => (window as any).basinAtlas.data.curves.length === 1, undefined, { timeout: 0 });
    expect(await state()).toEqual({ status: 'paused', step: 0 });
    // 150 steps in 50 frames: one frame is 3 steps
    await page.locator('[data-action=step]').click();
    await page.waitForFunction(() => (window as any).basinAtlas.data.step === 3, undefined, { timeout: 0 });
    await page.waitForTimeout(500);
    expect(await state()).toEqual({ status: 'paused', step: 3 });
    await page.locator('[data-action=stop]').click();
    await page.waitForFunction(() => (window as any).basinAtlas.status === 'cancelled', undefined, { timeout: 0 });
    expect(await page.locator('[data-testid=run-status]').textContent()).toContain('stopped');
  });

  test('validation as you type: a bad value is marked, named with its range, and nothing runs on it', async () => {
    await waitForRun(page);
    const before = await shownSettings(page);
    await page.locator('[data-key=lr]').fill('-2');
    const error = page.locator('#field-lr-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('learning rate must be a positive number up to 1000, got "-2"');
    expect(await page.locator('[data-key=lr]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-action=run]').isDisabled()).toBe(true);
    await page.waitForTimeout(1000);
    expect(await shownSettings(page)).toEqual(before);
    await screenshot(page, 'invalid-field');
    // put it right for the tests after this one
    await page.locator('[data-key=lr]').fill(before.config.lr.toString());
    await error.waitFor({ state: 'detached' });
  });

  test('a lost GPU device is reported, and one click reconnects, keeping settings and results', async () => {
    await page.locator('[data-key=noise]').fill('9');
    await page.waitForFunction(() => (window as any).basinAtlas.values.noise === '9', undefined, { timeout: 0 });
    await waitForRun(page);
    const counts = await outcomeCounts(page);
    expect(await page.evaluate(() => (window as any).basinAtlas.loseDevice())).toBe(true);
    const banner = page.getByText('The GPU device was lost');
    await banner.waitFor();
    await screenshot(page, 'device-lost');
    expect(await outcomeCounts(page)).toEqual(counts);
    await page.locator('[data-action=recover]').click();
    await banner.waitFor({ state: 'detached' });
    expect(await page.locator('[data-key=noise]').inputValue()).toBe('9');
    await page.locator('[data-action=run]').click();
    await waitForRun(page);
    expect(await outcomeCounts(page)).toEqual(counts);
  });

  test('the URL hash: settings → hash → reload gives the same settings and the same result', async () => {
    const first = page;
    await waitForRun(first);
    await first.locator('[data-key=noise]').fill('5');
    await first.locator('[data-key=lr]').fill('0.4');
    await waitForRun(first);
    const url = first.url();
    expect(url).toContain('noise=5');
    expect(url).toContain('lr=0.4');
    const values = async (p: Page) =>
      p.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll<HTMLInputElement>('input[data-key], select[data-key]')].map((e) => [
            e.dataset.key,
            e.type === 'checkbox' ? String(e.checked) : e.value,
          ]),
        ),
      );
    const before = { values: await values(first), counts: await outcomeCounts(first) };

    const second = await openSandbox(app.browser, url);
    await waitForRun(second);
    expect({ values: await values(second), counts: await outcomeCounts(second) }).toEqual(before);
    expect(second.url()).toBe(url);
    await second.close();
  });

  test('task files: a malformed file shows an inline error naming the problem; a valid one runs', async () => {
    await waitForRun(page);
    const input = page.locator('[data-testid=task-file]');
    await input.setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"name": "x", "inputs": 2, "classes": 2, "train": {"x": [[1, 2]], "y": [0]}}'),
    });
    const error = page.locator('#task-file-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('task file broken.json: probes must be an object');
    await screenshot(page, 'task-file-error');

    await input.setInputFiles({ name: 'two-cues.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(twoCueTask())) });
    await page.waitForFunction(() => (window as any).basinAtlas.values.task === 'file:two-cues.json', undefined, { timeout: 0 });
    expect(await error.count()).toBe(0);
    await waitForRun(page);
    const counts = await outcomeCounts(page);
    expect(Object.keys(counts)).toEqual(['first', 'second', 'mixed', 'unconverged', 'diverged']);
    expect(sum(counts)).toBe(64);
    await screenshot(page, 'task-file');
  });
});

describe('links', () => {
  test('a garbage hash shows a message and the defaults', async () => {
    const page = await openSandbox(app.browser, `${app.url}#this-is-not-a-link`);
    const notice = page.locator('[data-testid=notice]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('showing the defaults');
    expect(await page.locator('[data-key=lr]').inputValue()).toBe('0.5');
    expect(await page.locator('[data-key=task]').inputValue()).toBe('thneeb');
    expect(await page.locator('[data-key=particles]').inputValue()).toBe('1024');
    await screenshot(page, 'garbage-hash');
    await page.close();
  });

  test('a bad field in a link is named, replaced by its default, and the rest still runs', async () => {
    const page = await openSandbox(app.browser, `${app.url}#v=1&${SMALL}&lr=fast`);
    await page.locator('[data-testid=notice]').waitFor();
    expect(await page.locator('[data-testid=notice]').textContent()).toContain(
      'learning rate must be a positive number up to 1000, got "fast"',
    );
    expect(await page.locator('[data-key=lr]').inputValue()).toBe('0.5');
    await waitForRun(page);
    expect(sum(await outcomeCounts(page))).toBe(64);
    await page.close();
  });
});
