import { expect, test } from 'vitest';
import { INSECURE_HOST, launchWithoutWebGpu } from '../../src/bench/sandbox/browser';
import { serveBuiltApp } from './helpers/servedApp';
import { canvasColourCount, openSandbox, outcomeCounts, screenshot, SMALL, waitForRun } from './helpers/sandboxPage';

const app = serveBuiltApp(launchWithoutWebGpu);
// the same server under a name that is not a secure context, so WebGPU does not exist there
const insecure = () => app.url.replace('127.0.0.1', INSECURE_HOST);

test('without WebGPU the CPU engine runs, and the page says so plainly', async () => {
  const page = await openSandbox(app.browser, `${insecure()}#v=1&${SMALL}`);
  // the browser really has no WebGPU, in the page and in workers
  expect(await page.evaluate(() => 'gpu' in navigator)).toBe(false);
  expect(
    await page.evaluate(
      () =>
        new Promise((ok) => {
          const w = new Worker(URL.createObjectURL(new Blob(["postMessage('gpu' in navigator)"], { type: 'text/javascript' })));
          w.onmessage = (e) => ok(e.data);
        }),
    ),
  ).toBe(false);
  const line = page.locator('[data-testid=device-line]');
  await page.waitForFunction(() => document.querySelector('[data-testid=device-line]')?.getAttribute('data-engine') !== '', undefined, {
    timeout: 0,
  });
  expect(await line.getAttribute('data-engine')).toBe('cpu');
  expect(await line.textContent()).toContain('WebGPU is unavailable');
  expect(await line.textContent()).toContain('CPU reference engine runs instead');
  await waitForRun(page);
  const counts = await outcomeCounts(page);
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(64);
  expect(await canvasColourCount(page)).toBeGreaterThan(4);
  await screenshot(page, 'cpu-fallback');
  await page.close();
});

test('without WebGPU and without a link, the defaults are the smaller CPU sizes', async () => {
  const page = await openSandbox(app.browser, insecure());
  await page.waitForFunction(() => (window as any).basinAtlas?.status !== 'starting', undefined, { timeout: 0 });
  expect(await page.locator('[data-key=particles]').inputValue()).toBe('128');
  expect(await page.locator('[data-key=res]').inputValue()).toBe('16');
  await page.close();
});
