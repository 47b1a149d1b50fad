/**
 * Times a story in headless Chromium on this machine's WebGPU adapter (SwiftShader here), as a
 * reader would meet it: opens `#story=<id>` (with `full=1`, its full size), and prints when the
 * plane and its loss map were built, when the run ended, and (for a story a panel answers) when
 * the panel's button finished, with the verdict the card then shows.
 *
 *   npx tsx scripts/timeStory.ts prior-vs-sgd            # the size a slow device gets
 *   npx tsx scripts/timeStory.ts grokking --full --plane  # full size, stop once the plane is built
 */
import { launchWithWebGpu } from '../src/bench/sandbox/browser';
import { buildSandbox } from '../src/bench/sandbox/buildApp';
import { serveStatic } from '../src/bench/sandbox/staticServer';

const [id, ...flags] = process.argv.slice(2);
if (!id) throw new Error('usage: npx tsx scripts/timeStory.ts STORY [--full] [--plane]');
const full = flags.includes('--full');
const planeOnly = flags.includes('--plane');

/** The button each panel-answered story's card tells the reader to press, and the state it fills. */
const PANELS: Record<string, { stage: string; action: string; state: string }> = {
  'prior-vs-sgd': { stage: 'prior', action: 'sample-prior', state: 'prior' },
  'trainability-boundary': { stage: 'hypermap', action: 'hypermap', state: 'hypermap' },
  'basin-width': { stage: 'geometry', action: 'measure-geometry', state: 'measures' },
};

const server = await serveStatic(await buildSandbox());
const browser = await launchWithWebGpu();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const t0 = Date.now();
const s = () => ((Date.now() - t0) / 1000).toFixed(0);
const until = (condition: string) =>
  page.waitForFunction(`(() => { const s = window.basinAtlas; return !!s && (${condition}); })()`, undefined, {
    timeout: 0,
    polling: 250,
  });
await page.goto(`${server.url}#story=${id}${full ? '&full=1' : ''}`);
await until("s.status === 'running' || s.status === 'done'");
console.log(`${s()} s: running ${JSON.stringify(await page.evaluate("basinAtlas.storySize ?? 'full size'"))}`);
await until("s.data.lossMap !== undefined || s.status === 'done'");
console.log(`${s()} s: plane and loss map built`);
if (!planeOnly) {
  await until("s.status === 'done' || s.status === 'cancelled' || s.status === 'error'");
  console.log(`${s()} s: run ${await page.evaluate('basinAtlas.status')}`);
  const panel = PANELS[id];
  if (panel) {
    await page.evaluate(`basinAtlas.show('${panel.stage}')`);
    await page.click(`[data-action=${panel.action}]`);
    await until(`!['measuring', 'running', 'idle'].includes(s.${panel.state}.status)`);
    console.log(`${s()} s: ${panel.stage} ${await page.evaluate(`basinAtlas.${panel.state}.status`)}`);
  }
  const verdict = await page
    .locator('[data-testid=story-verdict]')
    .textContent({ timeout: 1000 })
    .catch(() => null);
  console.log(`verdict: ${verdict?.replace(/\s+/g, ' ').trim() ?? '(none)'}`);
}
const shot = `screenshots/time-${id}${full ? '-full' : ''}`;
await page.screenshot({ path: `${shot}-1280.png` });
await page.setViewportSize({ width: 390, height: 844 });
await page.screenshot({ path: `${shot}-390.png`, fullPage: true });
await browser.close();
await server.close();
