import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paramCount } from '../../src/core/layout';
import { cli, inProcess, tempDir, writeTemp } from './run';

/** --no-bias, --lr-layer and regression task files on the real command line. */

const dir = tempDir();

/** y = x0 − x1 on a grid: a regression a 2-4-1 net fits within 0.1 in a few hundred steps. */
const points = Array.from({ length: 16 }, (_, k) => [(k % 4) / 3 - 0.5, Math.floor(k / 4) / 3 - 0.5]);
const regression = {
  name: 'difference',
  inputs: 2,
  loss: 'mse',
  tolerance: 0.1,
  train: { x: points, y: points.map(([a, b]) => a - b) },
  probes: { difference: { x: points, y: points.map(([a, b]) => a - b) }, sum: { x: points, y: points.map(([a, b]) => a + b) } },
};

/** [arguments, the one line expected on stderr] */
const cases: [string[], RegExp][] = [
  [
    ['train', '--lr-layer', '2=1'],
    /^basin-atlas: --lr-layer: the layer must be an integer from 0 to 1 \(the network has 2 layers\), got "2"$/,
  ],
  [
    ['train', '--hidden', '4,4', '--lr-layer', '-1=1'],
    /^basin-atlas: --lr-layer: the layer must be an integer from 0 to 2 \(the network has 3 layers\), got "-1"$/,
  ],
  [['train', '--lr-layer', '0=-0.5'], /^basin-atlas: --lr-layer 0= must be a number from 0 to 1000000, got "-0.5"$/],
  [['train', '--lr-layer', '0=fast'], /^basin-atlas: --lr-layer 0= must be a number from 0 to 1000000, got "fast"$/],
  [['train', '--lr-layer', '1'], /^basin-atlas: --lr-layer must look like K=MULT \(K a layer from 0\), got "1"$/],
  [['train', '--lr-layer', '1=2', '--lr-layer', '1=3'], /^basin-atlas: --lr-layer: layer 1 is given twice$/],
  [['train', '--lr-layer', '--steps', '5'], /^basin-atlas: --lr-layer needs a value, got the flag --steps$/],
  [
    ['train', '--no-bias', '--hidden', '512,256'],
    /^basin-atlas: --hidden: a 3-512-256-1 network without biases has 132864 parameters; at most 131072 are supported \(the largest size the engines are tested and benchmarked at\)$/,
  ],
];

describe('bad --lr-layer and --no-bias input: exit status 2 and one clear line', () => {
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const r = await inProcess([...args, '--engine', 'cpu', '--particles', '2', '--steps', '1']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(message);
    });
  }

  it('a regression task file with a bad tolerance names the field', async () => {
    const path = writeTemp(dir, 'bad.json', { ...regression, tolerance: 0 });
    const r = await inProcess(['train', '--task', path, '--engine', 'cpu']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd()).toBe(`basin-atlas: task file ${path}: tolerance must be a positive number, got 0`);
  });
});

describe('results record the new settings', () => {
  it('train: config.bias and config.lrScale (one per layer), model without biases, the regression task', async () => {
    const task = writeTemp(dir, 'difference.json', regression);
    const out = `${dir}/difference-out.json`;
    const args = ['train', '--task', task, '--hidden', '4', '--no-bias', '--lr-layer', '1=0.5', '--opt', 'adam', '--lr', '0.05'];
    const r = await inProcess([...args, '--batch', 'full', '--particles', '8', '--steps', '400', '--engine', 'cpu', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2-4-1 tanh no bias mse · adam lr 0\.05 \(layers × 1, 0\.5\)/);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.config).toMatchObject({ bias: false, lrScale: [1, 0.5], hidden: [4] });
    expect(result.model).toEqual({
      widths: [2, 4, 1],
      activation: 'tanh',
      parameters: paramCount({ widths: [2, 4, 1], bias: false }),
      bias: false,
    });
    expect(result.task).toMatchObject({ loss: 'mse', outputs: 1, tolerance: 0.1, classes: 0 });
    // the net fits y = x0 − x1: most particles within the tolerance of "difference", none of "sum"
    expect(result.counts.difference, JSON.stringify(result.counts)).toBeGreaterThanOrEqual(4);
    expect(result.counts.sum).toBe(0);
  });

  it('defaults: biases and every layer at the base rate, recorded in full', async () => {
    const r = await inProcess(['train', '--hidden', '4,3', '--particles', '2', '--steps', '2', '--engine', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.config).toMatchObject({ bias: true, lrScale: [1, 1, 1] });
    expect(result.model.bias).toBeUndefined();
    expect(result.task.loss).toBeUndefined();
  });

  it("the GPU engine gives the CPU engine's outcomes on the regression task, without biases and with layer rates", async () => {
    const task = writeTemp(dir, 'difference2.json', regression);
    const args = ['train', '--task', task, '--hidden', '4', '--no-bias', '--lr-layer', '0=2', '--opt', 'adam', '--lr', '0.05'];
    const common = [...args, '--batch', 'full', '--particles', '16', '--steps', '300', '--json'];
    // the GPU engine in a process of its own: no Dawn device in the test's process
    const [g, c] = [await cli([...common, '--engine', 'gpu']), await inProcess([...common, '--engine', 'cpu'])];
    expect(g.code, g.stderr).toBe(0);
    expect(c.code, c.stderr).toBe(0);
    const [rg, rc] = [JSON.parse(g.stdout), JSON.parse(c.stdout)];
    // training losses within engine.test.ts's bound; outcomes may differ only where a row sits on the tolerance
    let differ = 0;
    rg.particles.forEach((p: { trainLoss: number; outcome: string }, i: number) => {
      const q = rc.particles[i];
      expect(Math.abs(p.trainLoss - q.trainLoss), `particle ${i}: ${p.trainLoss} (gpu) vs ${q.trainLoss} (cpu)`).toBeLessThanOrEqual(
        1e-3 * q.trainLoss + 1e-6,
      );
      if (p.outcome !== q.outcome) differ++;
    });
    expect(differ).toBeLessThanOrEqual(1);
  });
});
