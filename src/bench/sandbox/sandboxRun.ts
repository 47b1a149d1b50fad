import type { Page } from 'playwright-core';

/**
 * Driving the built sandbox in a browser, shared by the UI benchmark (src/bench/mainThread.ts)
 * and the browser tests (tests/ui/helpers/sandboxPage.ts re-exports these).
 */

/** Small sizes: SwiftShader runs WebGPU on the CPU, and the machines have two cores. */
export const SMALL = 'particles=64&steps=150&res=8';

/**
 * Waits (without a time limit) until the run of the form's current settings has finished, then
 * returns its status; a failed run throws with the page's own error message.
 */
export async function waitForRun(page: Page): Promise<string> {
  await page.waitForFunction(
    () => {
      const s = (window as any).basinAtlas;
      if (!s || s.status === 'starting') return false;
      if (s.status === 'error') return true;
      return (s.status === 'done' || s.status === 'cancelled') && JSON.stringify(s.shownSettings) === s.settingsKey;
    },
    undefined,
    { timeout: 0, polling: 250 },
  );
  const status = await page.evaluate(() => (window as any).basinAtlas.status as string);
  if (status === 'error') throw new Error(`the run failed: ${await page.evaluate(() => (window as any).basinAtlas.runError)}`);
  return status;
}
