import type { ModelLayout } from '../../layout';
import type { Task } from '../../task';

/**
 * Models with a known learning coefficient λ, for validating the LLC estimator (docs/instruments/llc.md).
 * Regression tasks with Gaussian noise: the mean squared error is the negative log-likelihood up to
 * scale and a constant, and λ̂ = nβ·(E[L] − L(w*)) does not depend on that scale.
 */
export interface KnownLlcModel {
  readonly name: string;
  readonly layout: ModelLayout;
  readonly task: Task;
  /** the learning coefficient from theory */
  readonly lambda: number;
  readonly why: string;
}

/** mulberry32 uniforms and Box–Muller normals: data for a validation model, reproducible from its seed. */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

function regressionTask(
  name: string,
  inputs: number,
  rows: number,
  seed: number,
  target: (x: Float32Array, at: number) => number,
  noise: number,
): Task {
  const normal = normals(seed);
  const x = Float32Array.from({ length: rows * inputs }, normal);
  const targets = Float32Array.from({ length: rows }, (_, r) => target(x, r * inputs) + noise * normal());
  return {
    name,
    description: `${name}: ${rows} rows, Gaussian inputs, target with noise σ = ${noise}`,
    inputs,
    classes: 0,
    train: { x, y: new Int32Array(0), rows, targets },
    probes: [],
    params: {},
    loss: 'mse',
    outputs: 1,
  };
}

/** y = w·x + b + noise with d − 1 inputs: a regular model, λ = d/2. */
export function linearRegression(d: number, rows: number, seed: number): KnownLlcModel {
  const inputs = d - 1;
  const w = Array.from({ length: inputs }, (_, k) => 0.5 + 0.25 * k);
  const task = regressionTask(
    `linear regression d = ${d}`,
    inputs,
    rows,
    seed,
    (x, at) => 0.3 + w.reduce((s, wk, k) => s + wk * x[at + k], 0),
    0.5,
  );
  return { name: task.name, layout: { widths: [inputs, 1], activation: 'tanh' }, task, lambda: d / 2, why: 'regular: λ = d/2' };
}

/** y = a·tanh(b·x) (a 1-1-1 tanh net without biases) on data from tanh(2x): realisable at (a, b) = ±(1, 2), a regular point, λ = 2/2 = 1. */
export function tanhRegular(rows: number, seed: number): KnownLlcModel {
  const task = regressionTask('a·tanh(b·x) on tanh(2x)', 1, rows, seed, (x, at) => Math.tanh(2 * x[at]), 0.5);
  return {
    name: task.name,
    layout: { widths: [1, 1, 1], activation: 'tanh', bias: false },
    task,
    lambda: 1,
    why: 'regular at (1, 2): λ = d/2 = 1',
  };
}

/**
 * y = a·tanh(b·x) on a true zero function: the true parameters are the axes a = 0 or b = 0, and
 * near them the loss grows as (a·b)²: λ = 1/2 (Watanabe 2009, the normal crossing a²b²).
 */
export function tanhSingular(rows: number, seed: number): KnownLlcModel {
  const task = regressionTask('a·tanh(b·x) on 0', 1, rows, seed, () => 0, 0.5);
  return {
    name: task.name,
    layout: { widths: [1, 1, 1], activation: 'tanh', bias: false },
    task,
    lambda: 0.5,
    why: 'singular: K ∝ (ab)², λ = 1/2',
  };
}
