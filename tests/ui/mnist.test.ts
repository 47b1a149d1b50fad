import { afterAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithWebGpu } from '../../src/bench/sandbox/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { openSandbox, screenshot, waitForRun } from './helpers/sandboxPage';

const app = serveBuiltApp(launchWithWebGpu);

/** Opens a link and lists the paths the page fetched (its resource timing entries) once its run has ended. */
async function openAndRun(url: string): Promise<{ page: Page; fetched: string[] }> {
  const page = await openSandbox(app.browser, url);
  await waitForRun(page);
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  return { page, fetched };
}

describe('the mnist preset in the sandbox', () => {
  const pages: Page[] = [];
  afterAll(() => Promise.all(pages.map((p) => p.close())));

  test('another task never fetches the 28×28 images', async () => {
    const { page, fetched } = await openAndRun(`${app.url}#v=1&task=thneeb&particles=4&steps=5&res=2`);
    pages.push(page);
    expect(
      fetched.some((p) => p.endsWith('digits.bin')),
      fetched.join(' '),
    ).toBe(true);
    expect(fetched.filter((p) => p.endsWith('mnist28.bin.gz'))).toEqual([]);
  });

  test('a link to it fetches them once and trains on them', async () => {
    // the smallest run that shows the task: two hidden units, four particles, a few steps
    const { page, fetched } = await openAndRun(`${app.url}#v=1&task=mnist&hidden=2&particles=4&steps=5&res=2`);
    pages.push(page);
    expect(fetched.filter((p) => p.endsWith('mnist28.bin.gz'))).toHaveLength(1);
    expect(await page.locator('#field-task').inputValue()).toBe('mnist');
    expect(await page.locator('[data-testid=run-status]').getAttribute('data-status')).toBe('done');
    const classes = await page
      .locator('[data-testid=outcome-table] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-class')));
    expect(classes).toEqual(['colour', 'digit', 'mixed', 'unconverged', 'diverged']);
    await screenshot(page, 'mnist-task');
  });
});
