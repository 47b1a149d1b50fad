import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import type { BenchReport } from '../../src/bench/suite';
import { launchWithWebGpu } from '../../src/bench/sandbox/browser';
import { screenshot } from './helpers/sandboxPage';
import { serveBuiltApp } from './helpers/servedApp';

const app = serveBuiltApp(launchWithWebGpu, ['bench.html']);

describe('bench.html', () => {
  let page: Page;
  afterAll(() => page?.close());

  test("runs the suite on WebGPU at small sizes and offers the figures as JSON with the issue's keys", async () => {
    page = await app.browser.newPage();
    await page.goto(`${app.url}bench.html?autorun&seconds=0.05&tfjs=0&particles=64&res=8&models=784-128-10,3-16-1`);
    // until it finishes or stops, with no time limit: SwiftShader compiles the 32-32 net's kernel
    // for most of a minute
    const done = () =>
      !(document.getElementById('json') as HTMLAnchorElement).hidden ||
      document.getElementById('table')!.textContent!.startsWith('The benchmark stopped');
    await page.waitForFunction(done, null, { timeout: 0 });
    const table = (await page.locator('#table').textContent()) ?? '';
    expect(table).not.toContain('stopped');
    expect(table).toMatch(/^Basin Atlas benchmark on .*swiftshader/im);
    expect(table).toMatch(/^3-16-1\s+64\s/m);
    expect(table).toMatch(/^3-32-32-1\s+64\s/m);
    const report: BenchReport = await page.evaluate(async () =>
      (await fetch((document.getElementById('json') as HTMLAnchorElement).href)).json(),
    );
    expect(report.device).toMatch(/swiftshader/i);
    expect(report.peak.gflops).toBeGreaterThan(0);
    expect(report.peak.gbps).toBeGreaterThan(0);
    expect(report.trainer.map((r) => [r.hidden, r.particles])).toEqual([
      [[16], 64],
      [[32, 32], 64],
    ]);
    for (const r of report.trainer) {
      expect(r.particleStepsPerSec).toBeGreaterThan(0);
      expect(r.fractionOfPeak).toBeCloseTo(r.gflops / report.peak.gflops, 9);
      expect(r.cpuRatio).toBeGreaterThan(0);
    }
    // particles=64 holds for the model axis too: one row per net asked for, in the axis's order, each
    // on the trainer the engine picks for it (the small net per particle, the MNIST-scale one batched)
    expect(report.modelAxis.map((r) => [r.net, r.particles])).toEqual([
      ['3-16-1', 64],
      ['784-128-10', 64],
    ]);
    expect(report.modelAxis[0].trainer).not.toBe(report.modelAxis[1].trainer);
    expect(report.lossMap.map((r) => r.res)).toEqual([8]);
    expect(report.lossMap[0].pointsPerSec).toBeGreaterThan(0);
    await screenshot(page, 'bench-page');
  });

  test('a bad URL parameter stops it before it starts, naming the parameter and its range', async () => {
    const bad = await app.browser.newPage();
    await bad.goto(`${app.url}bench.html?autorun&seconds=abc`);
    await bad.locator('#table', { hasText: 'stopped' }).waitFor({ timeout: 0 });
    expect(await bad.locator('#table').textContent()).toBe(
      'The benchmark stopped: bad URL parameter: seconds must be a positive number up to 600, got "abc"',
    );
    expect(await bad.locator('#log').textContent()).toBe('');
    await bad.close();
  });
});
