import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { priorSpec } from '../../src/core/instruments/prior/priorRun';
import { CpuEngine } from '../../src/core/cpuEngine';
import { makeRun } from '../../src/core/runs';
import { findPreset } from '../../src/core/tasks';
import { launchWithWebGpu } from './helpers/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { openSandbox, screenshot, shownSettings, waitForRun } from './helpers/sandboxPage';

/** Issue 12 in the sandbox: prior samples against the trained particles, as a log–log scatter. */
const app = serveBuiltApp(launchWithWebGpu);

async function waitForPrior(page: Page): Promise<string> {
  await page.waitForFunction(() => (window as any).basinAtlas.prior.status !== 'running', undefined, { timeout: 0, polling: 200 });
  const status = await page.evaluate(() => (window as any).basinAtlas.prior.status as string);
  if (status === 'error') throw new Error(`the prior failed: ${await page.evaluate(() => (window as any).basinAtlas.prior.error)}`);
  return status;
}

describe('the prior vs SGD view', () => {
  let page: Page;

  beforeAll(async () => {
    // boolean on 2 training points (data seed 2: both labelled alike) with a small net: about half the
    // prior samples fit, and the prior and the trained particles share a few functions
    page = await openSandbox(
      app.browser,
      `${app.url}#v=1&task=boolean&k.m=2&k.dataSeed=2&hidden=8&particles=64&steps=150&res=8&stage=prior`,
    );
    await waitForRun(page);
  });

  afterAll(() => page?.close());

  test('sampling the prior plots P_SGD against P_prior with the diagonal, axis units and an error legend; its counts are the CPU sampler’s', async () => {
    const field = page.locator('[data-key=prior-samples]');
    await field.fill('0');
    expect(await page.locator('#prior-samples-error').textContent()).toBe('prior samples must be an integer from 1 to 10000000, got "0"');
    expect(await page.locator('[data-action=sample-prior]').isDisabled()).toBe(true);
    await field.fill('3000');
    await page.locator('[data-action=sample-prior]').click();
    expect(await waitForPrior(page)).toBe('done');

    const result = await page.evaluate(() => JSON.parse(JSON.stringify((window as any).basinAtlas.prior.result)));
    // the sampler in the page's worker against the CPU reference on the same run: float32 may flip a sample within rounding of 0
    const settings = await shownSettings(page);
    const preset = findPreset('boolean')!;
    const run = makeRun(settings.config, preset.build(settings.config.knobs));
    const ref = await new CpuEngine().samplePrior(priorSpec(run, 3000));
    expect(
      Math.abs(result.accepted - ref.accepted.length),
      `accepted: page ${result.accepted}, cpu ${ref.accepted.length}`,
    ).toBeLessThanOrEqual(2);
    expect(result.accepted).toBeGreaterThan(30);
    expect(result.particles).toBe(64);

    const caption = (await page.locator('[data-testid=prior-caption]').textContent())!.replace(/\s+/g, ' ');
    expect(caption).toContain(`${result.accepted} of 3000 prior samples fit the training set`);
    expect(caption).toMatch(/95% \[/);
    expect(result.points.length, 'some function both produced').toBeGreaterThan(0);
    const circles = page.locator('[data-testid=prior-point]');
    expect(await circles.count()).toBe(result.points.length);
    expect(await page.locator('[data-testid=prior-diagonal]').count()).toBe(1);
    const svg = (await page.locator('[data-testid=prior-scatter]').textContent())!;
    expect(svg).toContain('P_prior(f): share of accepted prior samples');
    expect(svg).toContain('P_SGD(f): share of fitted particles');
    expect(svg).toContain('10⁰');
    expect(await page.locator('[data-testid=prior-legend]').textContent()).toContain('error on target');
    // positions follow the probabilities: a larger P_prior sits further right, a larger P_SGD higher
    const at = await circles.evaluateAll((cs) => cs.map((c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]));
    for (let i = 0; i < at.length; i++)
      for (let j = 0; j < at.length; j++) {
        const [a, b] = [result.points[i], result.points[j]];
        if (a.pPrior > b.pPrior) expect(at[i][0]).toBeGreaterThan(at[j][0]);
        if (a.pSgd > b.pSgd) expect(at[i][1]).toBeLessThan(at[j][1]);
      }
    // a point on the diagonal would have cx − left = bottom − cy: the diagonal runs from (lo, lo) to (1, 1)
    const line = await page
      .locator('[data-testid=prior-diagonal]')
      .evaluate((l) => ['x1', 'y1', 'x2', 'y2'].map((k) => Number(l.getAttribute(k))));
    expect(line[2] - line[0]).toBeCloseTo(line[1] - line[3], 6);
    await page.locator('[data-testid=prior]').scrollIntoViewIfNeeded();
    await screenshot(page, 'prior-vs-sgd');
  });
});
