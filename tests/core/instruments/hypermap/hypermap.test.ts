import { inflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { axisValues, parseAxis, withAxis } from '../../../../src/core/instruments/hypermap/hypermapAxes';
import { hypermapResult } from '../../../../src/core/instruments/hypermap/hypermapJson';
import { cellColours, hypermapPicture, insetProblem } from '../../../../src/core/instruments/hypermap/hypermapPicture';
import { planHypermap, type HypermapSettings } from '../../../../src/core/instruments/hypermap/hypermapPlan';
import { runHypermap, TRAINABILITY_WINDOW } from '../../../../src/core/instruments/hypermap/hypermapRun';
import { DEFAULT_CONFIG, type RunConfig } from '../../../../src/core/config';
import { CpuEngine } from '../../../../src/core/cpuEngine';
import { mergeResults } from '../../../../src/core/merge';
import { initEnsemble } from '../../../../src/core/init';
import { metricSets, MetricsView } from '../../../../src/core/metricsView';
import { hyperOf, makeRun, runTrainSpec } from '../../../../src/core/runs';
import { defaultKnobs, findPreset } from '../../../../src/core/tasks';
import { shardRecord } from '../../../../src/core/shards';
import { encodePng } from '../../../../src/node/png';
import { seededRandom, testSeed } from '../../helpers';

function presetRun(name: string, overrides: Partial<RunConfig> = {}) {
  const preset = findPreset(name)!;
  const task = preset.build(defaultKnobs(preset));
  return makeRun({ ...DEFAULT_CONFIG, ...preset.defaults, task: name, knobs: { ...task.params }, ...overrides }, task);
}

const ctxOf = (run: ReturnType<typeof presetRun>) => ({
  config: run.config,
  layers: run.layout.widths.length - 1,
  trainRows: run.task.train.rows,
});

describe('hyper map axes', () => {
  const run = presetRun('thneeb', { lrScale: [1, 1], optimizer: 'momentum' });
  const ctx = ctxOf(run);

  it('refuse a momentum axis for an optimizer without momentum', () => {
    const sgd = ctxOf(presetRun('thneeb'));
    expect(() => parseAxis('--y', 'momentum:0:0.9', sgd)).toThrow(
      /^--y momentum: the optimizer is sgd, which reads no momentum; give --opt momentum$/,
    );
  });

  it('parse every kind of axis, lr:K and the plain lr on a log scale apart', () => {
    expect(parseAxis('--x', 'lr:0.01:10:log', ctx)).toMatchObject({ name: 'lr', min: 0.01, max: 10, log: true });
    expect(parseAxis('--x', 'lr:1:0.5:4', ctx)).toMatchObject({ name: 'lr:1', min: 0.5, max: 4, log: false });
    expect(parseAxis('--x', 'lr:0:0.5:4:log', ctx)).toMatchObject({ name: 'lr:0', log: true });
    expect(parseAxis('--y', 'knob:salience:0.5:2', ctx)).toMatchObject({ name: 'knob:salience', integer: false });
    expect(parseAxis('--y', 'batch:1:64', ctx)).toMatchObject({ name: 'batch', integer: true });
    expect(parseAxis('--y', 'weight-decay:0:0.1', ctx)).toMatchObject({ name: 'wd', min: 0, max: 0.1 });
  });

  it('refuse bad axes with one line naming the flag and the range', () => {
    const cases: [string, RegExp][] = [
      ['depth:1:2', /^--x axis must be one of lr, momentum, batch, steps, wd, init-scale, knob:NAME, lr:K, got "depth"$/],
      ['lr:0:1', /^--x lr MIN must be a positive number up to 1000, got "0"$/],
      ['momentum:0:1', /^--x momentum MAX must be a number ≥ 0 and < 1, got "1"$/],
      ['lr:2:1', /MAX must be above MIN/],
      ['wd:0:1:log', /a log axis needs MIN > 0/],
      ['knob:colour:0:1', /thneeb has no such knob; its knobs are salience, examples, dataSeed/],
      ['lr:5:0.1:1', /the layer must be an integer from 0 to 1/],
      ['batch:1:9999', /--x batch MAX must be an integer from 1 to 64/],
      ['lr:1', /must look like NAME:MIN:MAX/],
    ];
    for (const [text, message] of cases) expect(() => parseAxis('--x', text, ctx), text).toThrow(message);
  });

  it('values run from MIN to MAX exactly, evenly or evenly in log space, integers rounded', () => {
    const rand = seededRandom(testSeed('axis values'));
    const min = 0.001 + rand();
    const max = min * (2 + 100 * rand());
    const log = axisValues({ name: 'lr', min, max, log: true, integer: false }, 5);
    expect(log[0]).toBe(min);
    expect(log[4]).toBe(max);
    for (let i = 1; i < 4; i++) expect(log[i] / log[i - 1]).toBeCloseTo(log[i + 1] / log[i], 10);
    expect(axisValues({ name: 'batch', min: 1, max: 8, log: false, integer: true }, 4)).toEqual([1, 3, 6, 8]);
  });

  it('set the config as the train flag would', () => {
    const lr1 = parseAxis('--x', 'lr:1:0.5:4', ctx);
    expect(withAxis(run.config, lr1, 3).lrScale).toEqual([1, 3]);
    expect(hyperOf(withAxis(run.config, lr1, 3), run.layout).lrScale).toEqual([1, 3]);
    expect(withAxis(run.config, parseAxis('--x', 'knob:salience:1:2', ctx), 1.5).knobs.salience).toBe(1.5);
  });
});

describe('hyper map plan', () => {
  it('puts cells that differ only per particle into one session, and knob or steps values into their own', () => {
    const run = presetRun('thneeb', { lrScale: [1, 1], optimizer: 'momentum' });
    const ctx = ctxOf(run);
    const settings = (x: string, y: string): HypermapSettings => ({
      x: parseAxis('--x', x, ctx),
      y: parseAxis('--y', y, ctx),
      res: 3,
      perCell: 2,
      outcome: 'classes',
    });
    expect(planHypermap(run, settings('lr:0.1:1', 'init-scale:0.5:2')).sessions).toHaveLength(1);
    const knobbed = planHypermap(run, settings('knob:salience:0.5:2', 'wd:0:0.01'));
    expect(knobbed.sessions).toHaveLength(3);
    expect(knobbed.sessions.map((s) => s.run.task.params.salience)).toEqual([0.5, 1.25, 2]);
    expect(planHypermap(run, settings('steps:10:30', 'batch:2:8')).sessions).toHaveLength(9);
    // a block (a shard) plans only its cells
    const block = planHypermap(run, settings('lr:0.1:1', 'momentum:0:0.5'), 4, 3);
    expect(block.sessions.flatMap((s) => s.cells.map((c) => c.index))).toEqual([4, 5, 6]);
  });

  it('builds a knob axis’s data sets one session at a time, when it is trained, not all at planning', () => {
    const run = presetRun('thneeb', { lrScale: [1, 1] });
    const ctx = ctxOf(run);
    const preset = findPreset('thneeb')!;
    const build = vi.spyOn(preset, 'build');
    try {
      const settings: HypermapSettings = {
        x: parseAxis('--x', 'knob:salience:0.5:2', ctx),
        y: parseAxis('--y', 'knob:examples:4:4096', ctx),
        res: 64,
        perCell: 1,
        outcome: 'classes',
      };
      const plan = planHypermap(run, settings);
      expect(plan.sessions).toHaveLength(64 * 64);
      expect(build).not.toHaveBeenCalled();
      expect(plan.sessions[5].run.task.params.salience).toBe(plan.xs[5]);
      expect(build).toHaveBeenCalledTimes(1);
    } finally {
      build.mockRestore();
    }
  });
});

describe('trainability outcome', () => {
  it("is Sohl-Dickstein's score: the mean over the last 20 steps of loss / initial loss, converged below 1", async () => {
    const run = presetRun('fractal', { steps: TRAINABILITY_WINDOW + 6 });
    const ctx = ctxOf(run);
    const settings: HypermapSettings = {
      x: parseAxis('--x', 'lr:0:10:100000:log', ctx),
      y: parseAxis('--y', 'lr:1:20:3000:log', ctx),
      res: 2,
      perCell: 2,
      outcome: 'trainability',
    };
    const engine = new CpuEngine();
    const plan = planHypermap(run, settings);
    const map = await runHypermap(engine, plan, run.task);
    expect(map.classes).toEqual(['converged', 'diverged']);
    const sets = metricSets(run.task);
    for (const cell of plan.sessions[0].cells) {
      // the cell's run alone, step by step
      const cellRun = makeRun(cell.config, run.task);
      const session = await engine.startTraining(runTrainSpec(cellRun, initEnsemble(run.layout, 1, 0, 2, 1, run.config.initDist)));
      const loss = async () => new MetricsView(await session.metrics(), sets);
      const start = await loss();
      await session.advance(6);
      const sums = [0, 0];
      for (let t = 0; t < TRAINABILITY_WINDOW; t++) {
        await session.advance(1);
        const m = await loss();
        for (const i of [0, 1]) sums[i] += m.loss(i) / start.loss(i);
      }
      const diverged = await session.diverged();
      const scores = sums.map((s, i) => (diverged[i] ? NaN : s / TRAINABILITY_WINDOW));
      const converged = scores.filter((s) => s < 1).length;
      expect([map.counts[cell.index * 2], map.counts[cell.index * 2 + 1]], `cell ${cell.index}`).toEqual([converged, 2 - converged]);
      const finite = scores.filter(Number.isFinite);
      if (finite.length) expect(map.meanScore![cell.index]).toBeCloseTo(finite.reduce((a, b) => a + b, 0) / finite.length, 12);
      session.dispose();
    }
    // the corners were chosen to hold both outcomes: otherwise the test could not tell them apart
    expect(new Set(Array.from({ length: 4 }, (_, c) => map.counts[2 * c] > 0)).size, `${map.counts} ${map.meanScore}`).toBe(2);
  });
});

describe('hyper map picture', () => {
  it('colours each cell by its majority (diverged its own colour), y upwards, and encodes as a PNG', () => {
    const data = {
      res: 2,
      classes: ['converged', 'diverged'],
      counts: [
        [3, 0],
        [2, 1],
        [0, 3],
        [1, 2],
      ],
      meanLoss: [0.1, 0.2, null, 1],
    };
    const colours = cellColours(data, 'outcome');
    expect(colours[2]).toEqual(colours[3]);
    expect(colours[0]).not.toEqual(colours[1]);
    // a split cell is lighter than a unanimous one of its class
    expect(colours[1][0]).toBeGreaterThan(colours[0][0]);
    const picture = hypermapPicture(data, 'outcome', 3);
    const png = Buffer.from(encodePng(picture.width, picture.height, picture.rgba));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(6);
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    // row 0 of the picture is the top row of cells (j = 1): cell 2 at the left
    expect(Array.from(raw.subarray(1, 4))).toEqual(colours[2]);
    // the bottom row of cells (j = 0), cell 1 at the right
    const row = 4;
    const at = row * (1 + picture.width * 4) + 1 + (picture.width - 1) * 4;
    expect(Array.from(raw.subarray(at, at + 3))).toEqual(colours[1]);
    // with its axes the picture names them: ink above the map, the map itself one text line lower
    const axis = { name: 'lr', min: 0.1, max: 10, log: true };
    const labelled = hypermapPicture({ ...data, x: axis, y: { ...axis, name: 'momentum' } }, 'outcome', 3);
    expect(labelled.width).toBeGreaterThan(picture.width);
    const topLine = labelled.rgba.subarray(0, 10 * labelled.width * 4);
    expect(topLine.some((v, k) => k % 4 === 0 && v < 100)).toBe(true);
  });
});

describe('hyper map picture: the diverged key and the zoom inset', () => {
  const axis = (name: string, min: number, max: number) => ({ name, min, max, log: true });
  /** A res × res trainability map, converged below the diagonal x + y < 1 of its own axes' span. */
  const map = (res: number, x = axis('lr:0', 1, 100), y = axis('lr:1', 1, 100)) => ({
    res,
    classes: ['converged', 'diverged'],
    counts: Array.from({ length: res * res }, (_, k) => ((k % res) + Math.floor(k / res) < res ? [1, 0] : [0, 1])),
    meanLoss: Array.from({ length: res * res }, () => 0.5),
    meanScore: Array.from({ length: res * res }, (_, k) => 0.001 * (1 + (k % res))),
    x,
    y,
  });
  const pixel = (p: { width: number; rgba: Uint8Array }, x: number, y: number) =>
    Array.from(p.rgba.subarray((y * p.width + x) * 4, (y * p.width + x) * 4 + 3));
  const white = [255, 255, 255];

  it('the score legend ends with a near-black key for diverged, the outcome legend does not need one', () => {
    const picture = hypermapPicture(map(16), 'score', 32);
    const diverged = cellColours(map(16), 'score')[16 * 16 - 1];
    // the legend strip's last pixel is the diverged colour, its first the low end of the scale
    // the strip is 10 pixels high above one text line (16 pixels) at the picture's foot
    const strip = picture.height - 16 - 5;
    expect(pixel(picture, 16 * 32 - 1, strip)).toEqual(diverged);
    expect(pixel(picture, 0, strip)).not.toEqual(diverged);
  });

  it('draws the zoom inside the whole map: the box outlined where the zoom lies, the inset in the far corner', () => {
    const whole = map(16);
    // the zoom covers lr:0 and lr:1 in 3.16–10: a quarter of each axis, left of and below the centre
    const zoom = map(8, axis('lr:0', 3.16, 10), axis('lr:1', 3.16, 10));
    const scale = 32;
    const plain = hypermapPicture(whole, 'outcome', scale);
    const inset = hypermapPicture(whole, 'outcome', scale, zoom);
    expect(inset.width).toBe(plain.width);
    // the map starts below one text line (16 pixels), its legend below the x axis's line
    const top = 16;
    expect(plain.height).toBe(top + 16 * scale + 16 + 2 + 10 + 16);
    // the box's left edge: x = 3.16 sits at t = 0.25 of the whole x axis, less half a zoom cell
    const t = (Math.log(3.16) - (0.5 / 7) * Math.log(10 / 3.16)) / Math.log(100);
    const left = Math.round((t * 15 + 0.5) * scale);
    const midY = top + Math.round(16 * scale * 0.62);
    expect(pixel(inset, left, midY)).toEqual(white);
    expect(pixel(plain, left, midY)).not.toEqual(white);
    // the box sits lower-left of the centre, so the inset fills the upper-right corner: the cell
    // at the inset's top-right is the zoom's top-right cell, diverged
    const diverged = cellColours(zoom, 'outcome')[8 * 8 - 1];
    const side = Math.round(16 * scale * 0.4);
    const margin = Math.round(16 * scale * 0.02);
    expect(pixel(inset, 16 * scale - margin - 3, top + margin + 2)).toEqual(diverged);
    // and its bottom-left cell is the zoom's bottom-left, converged, where the whole map is diverged
    const converged = cellColours(zoom, 'outcome')[0];
    const at = [16 * scale - margin - side + 2, top + margin + side - 3] as const;
    expect(pixel(inset, ...at)).toEqual(converged);
    expect(pixel(plain, ...at)).not.toEqual(converged);
  });

  it('refuses an inset on other axes or outside the map', () => {
    const whole = map(8);
    expect(insetProblem(whole, map(4, axis('lr:0', 2, 50)))).toBeUndefined();
    expect(insetProblem(whole, map(4, axis('lr', 2, 50)))).toBe('the x axes differ: lr:0 (log) here, lr (log) in the inset');
    expect(insetProblem(whole, map(4, undefined, axis('lr:1', 50, 200)))).toBe("the inset's y range 50–200 is not inside this map's 1–100");
    expect(() => hypermapPicture(whole, 'outcome', 8, map(4, { ...axis('lr:0', 2, 50), log: false }))).toThrow('the x axes differ');
  });
});

describe('hyper map shards', () => {
  it('merge into exactly the map of one run, and refuse gaps, overlaps and other maps', async () => {
    const run = presetRun('thneeb', { steps: 40, batch: 4, lrScale: [1, 1], optimizer: 'momentum' });
    const ctx = ctxOf(run);
    const settings: HypermapSettings = {
      x: parseAxis('--x', 'lr:0.2:2:log', ctx),
      y: parseAxis('--y', 'steps:20:60', ctx),
      res: 3,
      perCell: 2,
      outcome: 'classes',
    };
    const engine = new CpuEngine();
    const map = async (first?: number, count?: number, shard?: ReturnType<typeof shardRecord>) => {
      const plan = planHypermap(run, settings, first, count);
      return JSON.parse(JSON.stringify(hypermapResult(run, 'cpu', 'cpu', 1, plan, await runHypermap(engine, plan, run.task), shard)));
    };
    const whole = await map();
    const shards: { name: string; doc: Record<string, any> }[] = [];
    for (let i = 0; i < 3; i++) {
      const r = shardRecord(9, { index: i, count: 3 });
      shards.push({ name: `s${i}.json`, doc: await map(r.first, r.size, r) });
    }
    const merged = mergeResults([shards[2], shards[0], shards[1]]);
    expect(JSON.stringify(merged.counts)).toBe(JSON.stringify(whole.counts));
    expect(JSON.stringify(merged.meanLoss)).toBe(JSON.stringify(whole.meanLoss));
    expect(merged.totals).toEqual(whole.totals);
    expect(merged.fractions).toEqual(whole.fractions);
    expect(merged.cells).toEqual({ first: 0, count: 9 });
    expect(() => mergeResults([shards[0], shards[2]])).toThrow(/^merge: cells 3–5 of the map's 9 are missing/);
    expect(() => mergeResults([shards[0], shards[0], shards[1], shards[2]])).toThrow(/overlap in cells 0–2/);
    const other = { ...shards[1], doc: { ...shards[1].doc, config: { ...shards[1].doc.config, seed: 9 } } };
    expect(() => mergeResults([shards[0], other, shards[2]])).toThrow(
      /^merge: s0\.json and s1\.json are shards of different maps: config\.seed is \d+ in s0\.json but 9 in s1\.json$/,
    );
  });
});
