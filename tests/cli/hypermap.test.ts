import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, inProcess, tempDir } from './run';

// minibatches of 4 and momentum: a cell that drew another noise stream or another cell's settings would show
const RUN = ['--task', 'thneeb', '--steps', '120', '--batch', '4', '--opt', 'momentum', '--seed', '5'];

interface Particle {
  outcome: string;
  trainLoss: number | null;
}

/** Cell `index` of the map against `train --particles K` with the cell's two settings, as the JSON's rerun line says. */
async function expectCellIsTrain(
  map: Record<string, any>,
  index: number,
  flags: (x: number, y: number) => string[],
  engine: string,
  run = RUN,
) {
  const res = map.res as number;
  const [i, j] = [index % res, Math.floor(index / res)];
  // the GPU engine in a process of its own: no Dawn device in the test's process
  const r = await (engine === 'gpu' ? cli : inProcess)([
    'train',
    ...run,
    '--engine',
    engine,
    '--particles',
    String(map.perCell),
    ...flags(map.xs[i], map.ys[j]),
    '--json',
  ]);
  expect(r.code, r.stderr).toBe(0);
  const particles = JSON.parse(r.stdout).particles as Particle[];
  const counts = map.classes.map((c: string) => particles.filter((p) => p.outcome === c).length);
  expect(map.counts[index], `cell ${index}: counts`).toEqual(counts);
  const finite = particles.map((p) => p.trainLoss).filter((l): l is number => l !== null);
  // the same float32 losses summed in the same order: equal exactly
  const mean = finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null;
  expect(map.meanLoss[index], `cell ${index}: mean loss`).toBe(mean);
}

describe('basin-atlas hypermap', () => {
  it('CPU engine: every cell is exactly train --particles K with its learning rate and momentum', async () => {
    const args = ['--x', 'lr:0.2:1.5', '--y', 'momentum:0:0.9', '--res', '2', '--per-cell', '3'];
    const r = await inProcess(['hypermap', ...RUN, ...args, '--engine', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const map = JSON.parse(r.stdout);
    expect(map.kind).toBe('hypermap');
    expect(map.sessions).toBe(1);
    expect(map.counts).toHaveLength(4);
    expect(map.rerun).toBe('cell (i, j) is exactly: basin-atlas train <these run flags> --particles 3 --lr xs[i] --momentum ys[j]');
    for (const c of map.classes) expect(map.fractions[c].low).toBeLessThanOrEqual(map.fractions[c].high);
    for (const cell of [0, 3]) await expectCellIsTrain(map, cell, (x, y) => ['--lr', String(x), '--momentum', String(y)], 'cpu');
  });

  it('the fractal preset counts trainability, and a cell is train --outcome trainability', async () => {
    const fractal = ['--task', 'fractal', '--steps', '30'];
    const args = ['--x', 'lr:0:10:100000:log', '--y', 'lr:1:20:3000:log', '--res', '2', '--per-cell', '2'];
    const r = await inProcess(['hypermap', ...fractal, ...args, '--engine', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const map = JSON.parse(r.stdout);
    expect(map.classes).toEqual(['converged', 'diverged']);
    expect(map.rerun).toMatch(/--lr-layer 0=xs\[i\] --lr-layer 1=ys\[j\] --outcome trainability$/);
    const flags = (x: number, y: number) => ['--lr-layer', `0=${x}`, '--lr-layer', `1=${y}`, '--outcome', 'trainability'];
    // the corners hold both outcomes, so a cell that counted the other way would show
    expect(map.counts[0], 'low rates converge').toEqual([2, 0]);
    expect(map.counts[3], 'high rates diverge').toEqual([0, 2]);
    for (const cell of [0, 3]) await expectCellIsTrain(map, cell, flags, 'cpu', fractal);
  });

  it('GPU engine: a knob axis makes a session per value, and each cell is still its train run', async () => {
    const args = ['--x', 'knob:salience:0.5:2', '--y', 'lr:1:0.5:2', '--res', '2', '--per-cell', '3'];
    const r = await cli(['hypermap', ...RUN, ...args, '--lr', '0.6', '--engine', 'gpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const map = JSON.parse(r.stdout);
    expect(map.sessions).toBe(2);
    // one cell (each train run on the GPU costs a process and a compile): the second session's, salience 2
    await expectCellIsTrain(map, 1, (x, y) => ['--knob', `salience=${x}`, '--lr-layer', `1=${y}`, '--lr', '0.6'], 'gpu');
  });

  it('refuses bad flags with one line naming the flag and its range', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--x', 'depth:1:2'],
        /^basin-atlas: --x axis must be one of lr, momentum, batch, steps, wd, init-scale, knob:NAME, lr:K, got "depth"\n$/,
      ],
      [['--res', '257'], /^basin-atlas: --res must be an integer from 2 to 256, got "257"\n$/],
      [['--per-cell', '0'], /^basin-atlas: --per-cell must be an integer from 1 to 4096, got "0"\n$/],
      [['--x', 'lr:0.1:1', '--y', 'lr:0.2:2'], /--x and --y must be different settings/],
      [['--particles', '4'], /hypermap takes no --particles/],
      [['--task', 'fractal', '--steps', '20'], /--steps must be above 20/],
      [['--res', '2', '--shard', '4/4'], /--shard 4\/4: i must be below n/],
      [['--inset', 'zoom.json'], /^basin-atlas: --inset applies to the picture: give --png FILE.png too\n$/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess(['hypermap', '--engine', 'cpu', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('--shard i/n trains a block of cells; merge puts the blocks back together and draws the map', async () => {
    const dir = tempDir();
    const args = ['hypermap', ...RUN, '--steps', '30', '--engine', 'cpu', '--x', 'lr:0.2:1.5', '--y', 'momentum:0:0.9', '--res', '3'];
    const whole = await inProcess([...args, '--json']);
    expect(whole.code, whole.stderr).toBe(0);
    const files = ['0/2', '1/2'].map((s, i) => join(dir, `shard${i}.json`));
    for (const [i, shard] of ['0/2', '1/2'].entries()) {
      const r = await inProcess([...args, '--shard', shard, '--out', files[i]]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(JSON.parse(readFileSync(files[0], 'utf8')).cells).toEqual({ first: 0, count: 4 });
    const png = join(dir, 'map.png');
    const merged = await inProcess(['merge', files[1], files[0], '--png', png, '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    const [a, b] = [JSON.parse(whole.stdout), JSON.parse(merged.stdout)];
    expect(JSON.stringify(b.counts)).toBe(JSON.stringify(a.counts));
    expect(JSON.stringify(b.meanLoss)).toBe(JSON.stringify(a.meanLoss));
    // the whole file is one run's but for the time taken and the shards' list; sessions too (1, not
    // the shards' 2: each shard's block ran in a session of its own)
    const { seconds: _a, ...one } = a;
    const { seconds: _b, shards: _s, ...mergedRun } = b;
    expect(mergedRun).toEqual(one);
    expect(b.sessions).toBe(1);
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    // the merged map drawn as the inset of a map over the same axes (a 2 × 2 whole, cheap to train)
    const mergedFile = join(dir, 'merged.json');
    writeFileSync(mergedFile, merged.stdout);
    const framed = join(dir, 'framed.png');
    const inset = await inProcess([...args.slice(0, -2), '--res', '2', '--png', framed, '--inset', mergedFile]);
    expect(inset.code, inset.stderr).toBe(0);
    expect(readFileSync(framed).subarray(1, 4).toString('latin1')).toBe('PNG');
    // merge draws its merged map with an inset too, and refuses one without --png
    const mergedFramed = join(dir, 'merged-framed.png');
    const drawn = await inProcess(['merge', files[0], files[1], '--png', mergedFramed, '--inset', mergedFile]);
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(readFileSync(mergedFramed).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect((await inProcess(['merge', files[0], files[1], '--inset', mergedFile])).stderr).toBe(
      'basin-atlas: --inset applies to the picture: give --png FILE.png too\n',
    );
    // a shard is not a whole map, and an inset on other axes is refused before any training
    const refusals: [string[], RegExp][] = [
      [['--inset', files[0]], /^basin-atlas: --inset .*shard0\.json: not a whole hyper map/],
      [
        ['--inset', mergedFile, '--y', 'wd:0:1'],
        /^basin-atlas: --inset .*merged\.json: the y axes differ: wd here, momentum in the inset\n$/,
      ],
      [['--inset', mergedFile, '--x', 'lr:0.5:1.5'], /the inset's x range 0\.2–1\.5 is not inside this map's 0\.5–1\.5/],
    ];
    for (const [extra, message] of refusals) {
      const r = await inProcess([...args, '--png', framed, ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr, extra.join(' ')).toMatch(message);
    }
  });
});
