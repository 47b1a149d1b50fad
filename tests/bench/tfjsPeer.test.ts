import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { axisModels } from '../../src/bench/modelAxis';
import { TfjsEnsemble } from '../../src/bench/tfjsPeer';
import { makeRegressionDataset, type Task } from '../../src/core/task';
import { LOSS_TOLERANCE, PARAMS_TOLERANCE, ourBatchRows, paramsChecked, peerGap, type PeerSetup } from '../helpers/peerGap';
import { randomTask, seeded, testSeed } from '../helpers/random';

/** The TF.js ensemble (CPU backend) on `setup` from `init`, `steps` steps on our minibatches: its parameters. */
const tfjsPeer = (setup: PeerSetup, particles: number, steps: number) => async (init: Float32Array) => {
  const peer = new TfjsEnsemble(tf, { ...setup, init, particles, batchRows: (step) => ourBatchRows(setup, particles, step) });
  try {
    await peer.train(steps);
    return await peer.params();
  } finally {
    peer.dispose();
  }
};

async function expectSame(setup: PeerSetup, seed: number, label: string): Promise<void> {
  const gap = await peerGap(setup, seed, 2, 4, tfjsPeer(setup, 2, 4));
  expect(gap.loss, `${label}: loss`).toBeLessThan(LOSS_TOLERANCE);
  if (paramsChecked(setup)) expect(gap.params, `${label}: parameters`).toBeLessThan(PARAMS_TOLERANCE);
}

/** A small regression task: `outputs` real targets per row. */
function regressionTask(rand: () => number, inputs: number, outputs: number, rows: number): Task {
  const row = (n: number) => Array.from({ length: n }, () => 2 * rand() - 1);
  const train = makeRegressionDataset(
    Array.from({ length: rows }, () => row(inputs)),
    Array.from({ length: rows }, () => row(outputs)),
  );
  return { name: 'regression', description: 'random regression', inputs, classes: 0, train, probes: [], params: {}, loss: 'mse', outputs };
}

describe('the TF.js peer trains what the engines train', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches the CPU engine on the axis nets: 3-16-1 (SGD, minibatch), digits (relu), grokking (square, no bias, AdamW, full batch)', async () => {
    const seed = testSeed('tfjs peer, axis nets');
    for (const name of ['3-16-1', 'digits', 'grokking'] as const)
      await expectSame(
        axisModels().find((a) => a.name === name)!,
        seed,
        name,
      );
  });

  it('matches it for momentum, Adam with L2 decay, per-layer rates, gelu, identity and mean squared error', async () => {
    const seed = testSeed('tfjs peer, every optimizer');
    const rand = seeded(seed);
    const classes = randomTask(rand, 3, 3, 20);
    const regression = regressionTask(rand, 3, 2, 20);
    const cases: PeerSetup[] = [
      {
        layout: { widths: [3, 5, 4, 3], activation: 'gelu' },
        hyper: { optimizer: 'momentum', lr: 0.1, momentum: 0.9, weightDecay: 0.01, batch: 4, lrScale: [1, 0.5, 2] },
        task: classes,
      },
      {
        layout: { widths: [3, 6, 2], activation: 'identity' },
        hyper: { optimizer: 'adam', lr: 0.01, momentum: 0, weightDecay: 0.1, batch: 'full' },
        task: regression,
      },
      {
        layout: { widths: [3, 4, 2], activation: 'tanh', bias: false },
        hyper: { optimizer: 'sgd', lr: 0.2, momentum: 0, weightDecay: 0.05, batch: 5 },
        task: regression,
      },
    ];
    for (const [k, c] of cases.entries()) await expectSame(c, seed + k, `case ${k}`);
  });

  it('fails on a real difference: a learning rate 10% off is far outside both tolerances', async () => {
    const seed = testSeed('tfjs peer, sensitivity');
    for (const name of ['3-16-1', 'grokking'] as const) {
      const m = axisModels().find((a) => a.name === name)!;
      const gap = await peerGap(m, seed, 2, 4, tfjsPeer({ ...m, hyper: { ...m.hyper, lr: 1.1 * m.hyper.lr } }, 2, 4));
      expect(gap.loss, name).toBeGreaterThan(10 * LOSS_TOLERANCE);
      expect(gap.params, name).toBeGreaterThan(10 * PARAMS_TOLERANCE);
    }
  });
});
