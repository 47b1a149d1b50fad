import { afterEach, describe, expect, it } from 'vitest';
import { inProcess } from './run';

/**
 * Every command that runs on the GPU, three times: at the smallest dispatches (one step, draw or
 * vector each), at the command line's own target, and with chunks that grow to all the work at
 * once. The chunker sizes dispatches from measured time, so a result that depended on where the
 * work was cut would differ between the three; after `seconds` (and other wall-clock fields) are
 * removed the JSON must be the same bytes. Tiny sizes: a few seconds per command on SwiftShader.
 */
const TARGETS_MS = ['0.000001', '', '1000000000'];

/** Fields that measure the wall clock: the only ones allowed to differ. */
const isClock = (key: string) => key === 'seconds' || key.endsWith('Seconds') || key.endsWith('PerSecond');

function withoutClock(text: string): string {
  return JSON.stringify(JSON.parse(text, (key, value: unknown) => (isClock(key) ? undefined : value)));
}

const GPU = ['--engine', 'gpu', '--json', '--seed', '3'];
const NET = ['--particles', '3', '--steps', '10', '--batch', '8'];
// sharpness, width and llc run inside geometry (the same analyses, one command line): each of them
// alone would cost this file another three Dawn start-ups for no path geometry does not take.
const COMMANDS: [string, string[]][] = [
  ['train', ['train', ...NET]],
  [
    'geometry',
    ['geometry', ...NET, '--chains', '2', '--burnin', '10', '--draws', '20', '--directions', '2', '--radii', '3', '--max-iter', '8'],
  ],
  ['barriers', ['barriers', ...NET, '--points', '5']],
  ['decompose', ['decompose', '--steps', '10', '--batch', '8', '--inits', '2', '--noises', '2', '--resamples', '20']],
  [
    'hypermap',
    ['hypermap', '--opt', 'momentum', '--steps', '10', '--batch', '8', '--x', 'lr:0.1:1:log', '--y', 'momentum:0:0.9', '--res', '2'],
  ],
  ['prior', ['prior', '--task', 'boolean', '--knob', 'm=2', '--hidden', '4', '--steps', '10', '--samples', '128', '--sgd', '2']],
];

afterEach(() => {
  delete process.env.BASIN_ATLAS_TEST_DISPATCH_MS;
});

describe('every GPU command gives the same bytes whatever the dispatch sizes', () => {
  for (const [name, args] of COMMANDS)
    it(name, async () => {
      const outputs: string[] = [];
      for (const target of TARGETS_MS) {
        process.env.BASIN_ATLAS_TEST_DISPATCH_MS = target;
        const r = await inProcess([...args, ...GPU]);
        expect(r.code, `${name} at dispatch target ${target || 'default'}: ${r.stderr}`).toBe(0);
        outputs.push(withoutClock(r.stdout));
      }
      expect(outputs[1], `${name}: the command line's dispatch target vs the smallest dispatches`).toBe(outputs[0]);
      expect(outputs[2], `${name}: the largest dispatches vs the smallest`).toBe(outputs[0]);
    });
});
