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

/** `target(x, at, o)`: output o's noiseless target for the row whose inputs start at x[at]. */
function regressionTask(
  name: string,
  inputs: number,
  rows: number,
  seed: number,
  target: (x: Float32Array, at: number, o: number) => number,
  noise: number,
  outputs = 1,
): Task {
  const normal = normals(seed);
  const x = Float32Array.from({ length: rows * inputs }, normal);
  const targets = Float32Array.from({ length: rows * outputs }, (_, k) => {
    const r = Math.floor(k / outputs);
    return target(x, r * inputs, k % outputs) + noise * normal();
  });
  return {
    name,
    description: `${name}: ${rows} rows, Gaussian inputs, target with noise σ = ${noise}`,
    inputs,
    classes: 0,
    train: { x, y: new Int32Array(0), rows, targets },
    probes: [],
    params: {},
    loss: 'mse',
    outputs,
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

/**
 * The learning coefficient of reduced-rank regression (Aoyagi & Watanabe 2005, Main Theorem): the
 * model y = B·A·x with A an H × M and B an N × H matrix (M inputs, H hidden units, N outputs, no
 * activation, no biases), the true map of rank r ≤ H. Inside the region N + r ≤ M + H,
 * M + r ≤ N + H, H + r ≤ M + N:
 *   λ = [2(H + r)(M + N) − (M − N)² − (H + r)²] / 8, plus 1/8 when M + H + N + r is odd;
 * outside it, λ = (HM − Hr + Nr)/2 where M + H < N + r, (HN − Hr + Mr)/2 where N + H < M + r, and
 * MN/2 where M + N < H + r (every N × M map is reachable: a regular model of MN parameters).
 * Checked in tests/core/instruments/llc/llcModels.test.ts against cases known independently: full rank
 * (r = H) gives the dimension of rank-H maps over 2, and H = 1, r = 0 (K ∝ |a|²|b|²) gives min(M, N)/2.
 */
export function reducedRankLambda(M: number, N: number, H: number, r: number): number {
  if (M + H < N + r) return (H * M - H * r + N * r) / 2;
  if (N + H < M + r) return (H * N - H * r + M * r) / 2;
  if (M + N < H + r) return (M * N) / 2;
  const s = H + r;
  const base = 2 * s * (M + N) - (M - N) ** 2 - s * s;
  return ((M + H + N + r) % 2 === 0 ? base : base + 1) / 8;
}

/**
 * Reduced-rank regression with M = N = H = 2 and a true map of rank r = 1: y = B·A·x, an identity
 * (linear) 2-2-2 network without biases, on data from y = u·vᵀ·x + noise. d = 8 parameters
 * (d/2 = 4), rank-1 2 × 2 maps form a 3-dimensional set (a regular model of them would give 1.5);
 * Aoyagi & Watanabe's formula gives λ = [2·3·4 − 0 − 9 + 1]/8 = 2.
 */
export function reducedRank(rows: number, seed: number): KnownLlcModel {
  const u = [1, -0.5];
  const v = [0.8, 0.6];
  const task = regressionTask(
    'reduced-rank regression 2-2-2, rank 1',
    2,
    rows,
    seed,
    (x, at, o) => u[o] * (v[0] * x[at] + v[1] * x[at + 1]),
    0.5,
    2,
  );
  return {
    name: task.name,
    layout: { widths: [2, 2, 2], activation: 'identity', bias: false },
    task,
    lambda: reducedRankLambda(2, 2, 2, 1),
    why: 'singular: reduced-rank regression M = N = H = 2, r = 1, λ = 2 (Aoyagi & Watanabe 2005)',
  };
}
