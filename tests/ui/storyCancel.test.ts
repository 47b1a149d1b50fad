import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { launchWithWebGpu } from '../../src/bench/sandbox/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { openSandbox } from './helpers/sandboxPage';

const app = serveBuiltApp(launchWithWebGpu);

/** Waits, without a time limit (the machines are shared and slow), until `condition` holds on the page's sandbox. */
async function until(page: Page, condition: string): Promise<void> {
  await page.waitForFunction(`(() => { const s = window.basinAtlas; return !!s && (${condition}); })()`, undefined, {
    timeout: 0,
    polling: 250,
  });
}

/**
 * Issue 25: the grokking story (a 3,312-parameter net, 1,024 particles and a 64 × 64 basin map)
 * once submitted dispatches that held SwiftShader for minutes: Stop did nothing, and the next
 * story sat at step 0 behind them. Its work now comes in slices sized by measured time.
 */
describe('a story with a big net does not wedge the app', () => {
  let page: Page;
  afterAll(() => page?.close());

  test('the grokking story starts, stops on Stop, and the next story chosen trains', async () => {
    page = await openSandbox(app.browser, `${app.url}#story=grokking`);
    await until(page, "s.status === 'running' && s.shownSettings?.config.task === 'grokking'");
    // on SwiftShader the story runs smaller: its full size is the run that once wedged the app
    await page.click('[data-action=story-full-size]');
    await until(page, "s.status === 'running' && s.shownSettings?.config.knobs.p === 23 && s.shownSettings?.plane.res === 64");
    // the plane and its loss map are being built (the step that once held the device)
    await until(page, "s.data.phase !== ''");
    await page.click('[data-action=stop]');
    await until(page, "s.status === 'cancelled'");
    expect(await page.locator('[data-testid=run-status]').getAttribute('data-status')).toBe('cancelled');

    await page.selectOption('[data-testid=stories]', 'simplicity-bias');
    await until(page, "s.shownSettings?.config.task === 'simplicity'");
    // the new story's run gets going: its first frames arrive
    await until(page, "s.status === 'running' && s.data.step > 0");
    expect(await page.evaluate(() => (window as any).basinAtlas.data.task?.id)).toBe('simplicity');
  });
});
