import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchWithWebGpu } from '../../src/bench/sandbox/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { openSandbox, screenshot, SMALL, waitForRun } from './helpers/sandboxPage';

const app = serveBuiltApp(launchWithWebGpu);

/** Per canvas matching `selector`: how many of its pixels are reddish, bluish and dark grey. */
function pixelKinds(page: Page, selector: string): Promise<{ red: number; blue: number; ink: number }[]> {
  return page.evaluate((sel) => {
    return [...document.querySelectorAll<HTMLCanvasElement>(sel)].map((c) => {
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const out = { red: 0, blue: 0, ink: 0 };
      for (let i = 0; i < px.length; i += 4) {
        const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
        if (r > b + 40 && r > g + 40) out.red++;
        else if (b > r + 40) out.blue++;
        else if (r < 200) out.ink++;
      }
      return out;
    });
  }, selector);
}

describe('the digits preset in the sandbox', () => {
  let page: Page;

  beforeAll(async () => {
    // two hidden units: the test is about the images, and a 50-2-1 net compiles its unrolled kernel in seconds (50-8-1 took minutes)
    page = await openSandbox(app.browser, `${app.url}#v=1&task=digits&${SMALL}&hidden=2`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await waitForRun(page);
  });

  afterAll(() => page?.close());

  test('is in the task list, and trains from the images the page fetched', async () => {
    const options = await page.locator('#field-task option').allTextContents();
    expect(options).toContain('digits');
    expect(await page.locator('#field-task').inputValue()).toBe('digits');
    expect(await page.locator('[data-testid=run-status]').getAttribute('data-status')).toBe('done');
    const classes = await page
      .locator('[data-testid=outcome-table] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-class')));
    expect(classes).toEqual(['colour', 'digit', 'mixed', 'unconverged', 'diverged']);
  });

  test('the task strip draws training digits in both colours and probe digits, each with ink', async () => {
    const strip = page.locator('[data-testid=digit-strip]');
    await strip.waitFor();
    const kinds = await pixelKinds(page, '[data-testid=digit-strip] canvas');
    expect(kinds, JSON.stringify(kinds)).toHaveLength(16);
    // every image has coloured ink; with agreement 1 the training row alternates blue 1s and red 7s
    kinds.forEach((k, i) => expect(k.red + k.blue, `image ${i}: ${JSON.stringify(k)}`).toBeGreaterThan(0));
    expect(kinds.slice(0, 8).map((k) => (k.red > k.blue ? 'red' : 'blue'))).toEqual([
      'blue',
      'red',
      'blue',
      'red',
      'blue',
      'red',
      'blue',
      'red',
    ]);
    // probes contradict: a 1 in red, a 7 in blue
    expect(kinds.slice(8).map((k) => (k.red > k.blue ? 'red' : 'blue'))).toEqual([
      'red',
      'blue',
      'red',
      'blue',
      'red',
      'blue',
      'red',
      'blue',
    ]);
    expect(await page.locator('[data-testid=digit-strip] canvas').first().getAttribute('aria-label')).toBe('training image 1: a blue 1');
    await screenshot(page, 'digits-task');
  });

  test("selecting a network shows probe images with its answers, which agree with its probe accuracy's direction", async () => {
    const box = (await page.locator('[data-testid=map-canvas]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const probes = page.locator('[data-testid=digit-probes] figure');
    await probes.first().waitFor();
    expect(await probes.count()).toBe(6);
    const captions = await page.locator('[data-testid=digit-probes] figcaption').allTextContents();
    for (const c of captions) expect(c).toMatch(/^says (1|7)(colour|digit) · \d+%$/);
    // "says 1" on a red 1 follows the digit; the caption must name the feature its answer matches
    const labels = await page
      .locator('[data-testid=digit-probes] canvas')
      .evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label')!));
    captions.forEach((c, i) => {
      const digit = labels[i].match(/a (\d)/)![1];
      const says = c.match(/says (\d)/)![1];
      expect(c, `probe ${i}: ${labels[i]}`).toContain(says === digit ? 'digit' : 'colour');
    });
    const inks = await pixelKinds(page, '[data-testid=digit-probes] canvas');
    inks.forEach((k, i) => expect(k.red + k.blue, `probe image ${i}`).toBeGreaterThan(0));
    await screenshot(page, 'digits-inspector');
  });
});
