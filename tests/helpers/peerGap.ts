import { CpuEngine } from '../../src/core/cpuEngine';
import { initEnsemble } from '../../src/core/init';
import { isAdam, paramCount, type ModelLayout } from '../../src/core/layout';
import { Mlp } from '../../src/core/mlp';
import type { Hyper } from '../../src/core/optimizer';
import { batchIndex } from '../../src/core/rng';
import { taskLoss, type Task } from '../../src/core/task';
import { trainSpec } from '../../src/core/trainSpec';
import { relativeError } from './random';

export interface PeerSetup {
  layout: ModelLayout;
  hyper: Hyper;
  task: Task;
}

const NOISE_SEED = 2;

/** Our engine's minibatch rows of one step, [particles][batch], for a peer to train on the same examples. */
export function ourBatchRows(setup: PeerSetup, particles: number, step: number): Int32Array {
  const batch = setup.hyper.batch === 'full' ? 0 : setup.hyper.batch;
  return Int32Array.from({ length: particles * batch }, (_, k) =>
    batchIndex(NOISE_SEED, Math.floor(k / batch), step, k % batch, setup.task.train.rows),
  );
}

/**
 * Worst gaps between a peer and the float64 CPU engine after `steps` steps from the same inits
 * (seed `seed`) on our minibatches: of each particle's training loss (evaluated in float64), as
 * |a − b| / (1 + b), and of the parameters (relativeError).
 */
export async function peerGap(
  setup: PeerSetup,
  seed: number,
  particles: number,
  steps: number,
  peer: (init: Float32Array) => Promise<Float32Array>,
): Promise<{ loss: number; params: number }> {
  const init = initEnsemble(setup.layout, seed, 0, particles, 1);
  const cpu = await new CpuEngine().startTraining(trainSpec(setup, init, { noiseSeed: NOISE_SEED, firstParticle: 0 }));
  await cpu.advance(steps);
  const ours = await cpu.params();
  const theirs = await peer(init);
  const mlp = new Mlp(setup.layout, taskLoss(setup.task));
  const p = paramCount(setup.layout);
  let loss = 0;
  for (let i = 0; i < particles; i++) {
    const a = mlp.evaluate(theirs.subarray(i * p, (i + 1) * p), setup.task.train)[0];
    const b = mlp.evaluate(ours.subarray(i * p, (i + 1) * p), setup.task.train)[0];
    loss = Math.max(loss, Math.abs(a - b) / (1 + b));
  }
  return { loss, params: relativeError(theirs, ours) };
}

/**
 * Tolerances of a float32 peer against the float64 engine over a few steps, from 200 seeds
 * (TEST_SEED=random): the loss gap's worst was 3.3e-8 (every case of tests/bench/tfjsPeer.test.ts),
 * the parameters' 8e-8 for SGD and momentum. Adam-family updates are compared by the loss alone: a
 * weight whose gradient cancels to rounding noise moves by about ±lr whichever sign float32 gives
 * it, so the parameter gap has a heavy tail (1.8e-4 in 200 seeds of the grokking net) while the
 * loss does not move.
 */
export const LOSS_TOLERANCE = 1e-6;
export const PARAMS_TOLERANCE = 1e-5;
export const paramsChecked = (setup: PeerSetup): boolean => !isAdam(setup.hyper.optimizer);
