import { PURPOSE_DATA, randNormal, randUniform } from '../rng';
import { makeDataset, type Task } from '../task';

export interface NoisyLogisticKnobs {
  /** input dimensions */
  inputs: number;
  examples: number;
  dataSeed: number;
}

export const NOISY_LOGISTIC_DEFAULTS: NoisyLogisticKnobs = { inputs: 3, examples: 512, dataSeed: 0 };

/** The true logit's weights (cycled over the inputs) and bias: a moderate slope, so labels are noisy. */
const TRUE_WEIGHTS = [1.5, -1, 0.5];
const TRUE_BIAS = 0.25;

/**
 * Binary labels drawn from a logistic model: x ~ N(0, I), y ~ Bernoulli(σ(w·x + b)). The classes
 * overlap, so no network separates the training set, and logistic regression on it is a regular
 * model with a unique, finite minimum: the case where the local learning coefficient is d/2. Not a
 * preset (it has no hypotheses to tell apart); the LLC's validation uses it, and docs/instruments/llc.md shows how
 * to write it out as a CSV for `--train`.
 */
export function noisyLogistic(knobs: NoisyLogisticKnobs = NOISY_LOGISTIC_DEFAULTS): Task {
  const { inputs, examples, dataSeed } = knobs;
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let r = 0; r < examples; r++) {
    const x = Array.from({ length: inputs }, (_, k) => randNormal(dataSeed, 0, PURPOSE_DATA, r, k));
    const z = x.reduce((s, v, k) => s + v * TRUE_WEIGHTS[k % TRUE_WEIGHTS.length], TRUE_BIAS);
    rows.push(x);
    labels.push(randUniform(dataSeed, 1, PURPOSE_DATA, r, 0) < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return {
    name: 'noisy-logistic',
    description: 'labels drawn from a logistic model of Gaussian inputs: overlapping classes, a regular model for logistic regression',
    inputs,
    classes: 2,
    train: makeDataset(rows, labels),
    probes: [],
    params: { ...knobs },
  };
}

/** The task's training set as CSV (header x0,…,x{d−1},y), the form `--train` reads. */
export function taskCsv(task: Task): string {
  const { x, y, rows } = task.train;
  const header = [...Array.from({ length: task.inputs }, (_, k) => `x${k}`), 'y'].join(',');
  const lines = Array.from({ length: rows }, (_, r) => [...x.subarray(r * task.inputs, (r + 1) * task.inputs), y[r]].join(','));
  return [header, ...lines].join('\n') + '\n';
}
