import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { priorSpec, samplePrior } from '../../src/core/instruments/prior/priorRun';
import { comparePriorAndSgd, MIN_SHARED_FUNCTIONS } from '../../src/core/instruments/prior/prior';
import { domainRows, functionBits, functionWords } from '../../src/core/instruments/prior/priorSampler';
import { Mlp } from '../../src/core/mlp';
import { gpuEngine } from '../helpers/gpu';
import { CpuEngine } from '../../src/core/cpuEngine';
import { makeRun } from '../../src/core/runs';
import { findPreset } from '../../src/core/tasks';
import { launchWithWebGpu } from '../../src/bench/sandbox/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { openSandbox, screenshot, shownSettings, waitForRun } from './helpers/sandboxPage';

/**
 * Issues 12 and 23 in the sandbox: prior samples against the trained particles, as a log–log
 * scatter, at the redesigned scale (4 input bits, 3 training points) with a small net.
 */
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
    // boolean at 4 bits and m = 3 (the prior story's scale) with a 4-8-1 net and 64 particles: at
    // 3,000 prior samples about 50 fit, and the prior and the trained particles share more than
    // MIN_SHARED_FUNCTIONS functions; at 800, 12 fit and they share 4
    page = await openSandbox(app.browser, `${app.url}#v=1&task=boolean&k.bits=4&k.m=3&hidden=8&particles=64&steps=60&res=8&stage=prior`);
    await waitForRun(page);
  });

  afterAll(() => page?.close());

  test('with too few prior samples to share 5 functions it says so, and prints no correlation', async () => {
    await page.locator('[data-key=prior-samples]').fill('800');
    await page.locator('[data-action=sample-prior]').click();
    expect(await waitForPrior(page)).toBe('done');
    const result = await page.evaluate(() => JSON.parse(JSON.stringify((window as any).basinAtlas.prior.result)));
    expect(result.points.length, 'functions both found at 800 samples').toBeLessThan(MIN_SHARED_FUNCTIONS);
    expect(result.correlation).toBeNull();
    expect(await page.locator('[data-testid=prior-correlation]').count()).toBe(0);
    expect(result.accepted, 'enough accepted to estimate P_prior(f): the shared count is what falls short').toBeGreaterThanOrEqual(10);
    expect((await page.locator('[data-testid=prior-problem]').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toContain(
      `Not estimated: fewer than ${MIN_SHARED_FUNCTIONS} functions were found by both the prior and SGD: no correlation between P_prior(f) and P_SGD(f) is estimated`,
    );
  });

  test('sampling the prior plots P_SGD against P_prior with the diagonal, axis units and a legend; its points and r are core’s on the same samples', async () => {
    const field = page.locator('[data-key=prior-samples]');
    await field.fill('0');
    expect(await page.locator('#prior-samples-error').textContent()).toBe('prior samples must be an integer from 1 to 10000000, got "0"');
    expect(await page.locator('[data-action=sample-prior]').isDisabled()).toBe(true);
    await field.fill('3000');
    await page.locator('[data-action=sample-prior]').click();
    expect(await waitForPrior(page)).toBe('done');

    const result = await page.evaluate(() => JSON.parse(JSON.stringify((window as any).basinAtlas.prior.result)));
    const settings = await shownSettings(page);
    const preset = findPreset('boolean')!;
    const run = makeRun(settings.config, preset.build(settings.config.knobs));
    // the sampler in the page's worker against the CPU reference on the same run: float32 may flip a sample within rounding of 0
    const ref = await new CpuEngine().samplePrior(priorSpec(run, 3000));
    expect(
      Math.abs(result.accepted - ref.accepted.length),
      `accepted: page ${result.accepted}, cpu ${ref.accepted.length}`,
    ).toBeLessThanOrEqual(2);
    expect(result.particles).toBe(64);

    // core's comparison on the same samples (the same WGSL sampler on Dawn here) and the page's own
    // trained parameters: the scatter's points are its shared functions, and r is its correlation
    const prior = await samplePrior(await gpuEngine(), run, 3000);
    const exported = JSON.parse((await page.evaluate(() => (window as any).basinAtlas.exportFile('params'))).parts.join(''));
    const words = functionWords(domainRows(run.task));
    const bits = new Uint32Array(64 * words);
    const mlp = new Mlp(run.layout);
    let fitted = 0;
    for (const p of exported.particles)
      if (p.outcome !== 'diverged' && functionBits(mlp, Float32Array.from(p.params), run.task, bits, fitted * words)) fitted++;
    const core = comparePriorAndSgd(run.task, 3000, prior, { bits, count: fitted }, 64, run.config.seed);
    const shared = core.functions.filter((f) => f.priorCount > 0 && f.sgdCount > 0);
    expect([result.accepted, result.fitted]).toEqual([core.accepted, core.sgdFitted]);
    expect(result.points.map((p: any) => [p.priorCount, p.sgdCount, p.error])).toEqual(
      shared.map((f) => [f.priorCount, f.sgdCount, f.generalisationError]),
    );
    expect(result.functionCounts).toEqual(core.functionCounts);
    expect(core.correlation, `${shared.length} functions both found`).not.toBeNull();
    expect(result.correlation).toEqual(core.correlation);
    const c = core.correlation!;
    const f2 = (x: number) => x.toFixed(2);
    expect((await page.locator('[data-testid=prior-correlation]').textContent())!.replace(/\s+/g, ' ')).toContain(
      `over the ${shared.length} functions found by both: Pearson's r = ${f2(c.value)} [${f2(c.low)}, ${f2(c.high)}], Spearman's ρ = ${f2(c.spearman.value)} [${f2(c.spearman.low)}, ${f2(c.spearman.high)}] (95% bootstrap`,
    );

    const caption = (await page.locator('[data-testid=prior-caption]').textContent())!.replace(/\s+/g, ' ');
    expect(caption).toContain(`${result.accepted} of 3000 prior samples fit the training set`);
    expect(caption).toMatch(/95% \[/);
    const circles = page.locator('[data-testid=prior-point]');
    expect(await circles.count()).toBe(result.points.length);
    expect(await page.locator('[data-testid=prior-diagonal]').count()).toBe(1);
    const svg = (await page.locator('[data-testid=prior-scatter]').textContent())!;
    expect(svg).toContain('P_prior(f): fraction of accepted prior samples (log)');
    expect(svg).toContain('P_SGD(f): fraction of fitted particles (log)');
    expect(svg).toContain('10⁰');
    const legend = (await page.locator('[data-testid=prior-legend]').textContent())!;
    expect(legend).toContain('y = x: P_SGD = P_prior');
    expect(legend).toContain('error on target');
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
