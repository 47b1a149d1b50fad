import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { launchWithWebGpu } from '../../src/bench/sandbox/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { openSandbox, outcomeCounts, screenshot, waitForRun } from './helpers/sandboxPage';

const app = serveBuiltApp(launchWithWebGpu);

describe('a story on a slow device (SwiftShader)', () => {
  let page: Page;
  afterAll(() => page?.close());

  test('runs smaller, says so in one line, ends in a verdict computed from the counts on screen, and "full size" is one click away', async () => {
    page = await openSandbox(app.browser, `${app.url}#story=simplicity-bias`);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await waitForRun(page)).toBe('done');
    expect(await page.locator('[data-testid=story-size]').textContent()).toContain(
      'Sized for this slow device: 256 particles, a 24 × 24 map, not 1,024 particles, a 64 × 64 map.',
    );
    const settings = await page.evaluate(() => (window as any).basinAtlas.shownSettings.config);
    expect([settings.particles, settings.task]).toEqual([256, 'simplicity']);
    const counts = await outcomeCounts(page);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const linear = Math.round((100 * counts.linear) / total);
    const verdict = page.locator('[data-testid=story-verdict]');
    expect(await verdict.getAttribute('data-agrees')).toBe(String(linear >= 95));
    expect((await verdict.textContent())!.replace(/\s+/g, ' ').trim()).toBe(
      `${linear >= 95 ? 'As the story says:' : 'Unlike the story:'} ${linear >= 95 ? `linear ${linear}% of ${total} particles` : `linear holds ${linear}%, not 95% or more`}.`,
    );
    await screenshot(page, 'story-verdict-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'story-verdict-390');
    await page.setViewportSize({ width: 1280, height: 800 });

    // full size: the story's own settings, no size line, and no verdict until that run is done
    await page.click('[data-action=story-full-size]');
    await page.waitForFunction(() => (window as any).basinAtlas.shownSettings?.config.particles === 1024, undefined, {
      timeout: 0,
      polling: 250,
    });
    expect(await page.locator('[data-testid=story-size]').count()).toBe(0);
    expect(await page.locator('[data-testid=story-verdict]').count()).toBe(0);
    await page.click('[data-action=stop]');
    expect(await waitForRun(page)).toBe('cancelled');

    // full size is in the link, so a reload keeps it (it once shrank the story again)
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('full')).toBe('1');
    await page.reload();
    await page.waitForFunction(() => (window as any).basinAtlas.shownSettings?.config.particles === 1024, undefined, {
      timeout: 0,
      polling: 250,
    });
    expect(await page.locator('[data-testid=story-size]').count()).toBe(0);
    await page.click('[data-action=stop]');
    expect(await waitForRun(page)).toBe('cancelled');
  });

  test('a "full" the app cannot read is named in the banner, and the story keeps its size for the device', async () => {
    const garbage = await openSandbox(app.browser, `${app.url}#story=simplicity-bias&full=yes`);
    await garbage.locator('[data-testid=notice]').waitFor();
    expect(await garbage.locator('[data-testid=notice]').textContent()).toContain('ignored full="yes" (a story\'s full size is full=1)');
    await garbage.waitForFunction(() => (window as any).basinAtlas.shownSettings?.config.particles === 256, undefined, {
      timeout: 0,
      polling: 250,
    });
    expect(await garbage.locator('[data-testid=story-size]').count()).toBe(1);
    await garbage.click('[data-action=stop]');
    await garbage.close();
  });
});
