import type { PriorResult, PriorSpec, RunOptions } from '../../engine';
import { drawInit, type InitDist } from '../../init';
import { paramCount, type ModelLayout } from '../../layout';
import { Mlp } from '../../mlp';
import { PURPOSE_PRIOR } from '../../rng';
import { Slices } from '../../slices';
import { taskSets, type Dataset, type Task } from '../../task';

/** The most rows (train and probes together) a function is recorded on: 16 words of bits per sample. */
export const MAX_PRIOR_ROWS = 512;

/** Rows of the domain a function is recorded on: the train set's, then each probe's. */
export const domainRows = (task: Task): number => taskSets(task).reduce((n, s) => n + s.rows, 0);

/** u32 words per function bit string. */
export const functionWords = (rows: number): number => Math.max(1, Math.ceil(rows / 32));

/** u32 words a function on MAX_PRIOR_ROWS rows takes: the prior kernels' MAX_WORDS (src/engine/compose.ts). */
export const MAX_PRIOR_WORDS = MAX_PRIOR_ROWS / 32;

/**
 * The network's function on every domain row as bits (logit > 0), written to `out` from `at`.
 * Stops after the training rows, returning false, at the first one it labels wrongly: a rejected
 * sample costs a row or two, not the whole domain.
 */
export function functionBits(mlp: Mlp, params: Float64Array | Float32Array, task: Task, out: Uint32Array, at: number): boolean {
  let r = 0;
  const words = functionWords(domainRows(task));
  out.fill(0, at, at + words);
  for (const [s, set] of taskSets(task).entries()) {
    for (let row = 0; row < set.rows; row++, r++) {
      const bit = outputBit(mlp, params, set, row);
      if (s === 0 && bit !== set.y[row]) return false;
      out[at + (r >>> 5)] |= bit << (r & 31);
    }
  }
  return true;
}

/** 1 where the logit on `row` is > 0, from the reference network's correctness on that row's label. */
function outputBit(mlp: Mlp, params: Float64Array | Float32Array, data: Dataset, row: number): number {
  const correct = mlp.example(params, data, row)[1];
  return correct === 1 ? data.y[row] : 1 - data.y[row];
}

/** What the prior sampler accepts as a task and model, or the reason it cannot (a one-line message). */
export function priorProblem(layout: ModelLayout, task: Task, dist: InitDist = 'default'): string | undefined {
  // shaders/prior.wgsl draws the uniform and Gaussian inits; the mean-field one also rescales
  // the rates, which a prior without training has no use for
  if (dist === 'meanfield') return `the prior sampler draws the default or gaussian init, not ${dist}`;
  if (task.loss === 'mse' || task.classes !== 2 || layout.widths[layout.widths.length - 1] !== 1)
    return `the prior sampler needs a task with 2 classes (one logit); ${task.name} has ${task.loss === 'mse' ? 'real targets' : `${task.classes} classes`}`;
  const rows = domainRows(task);
  if (rows > MAX_PRIOR_ROWS)
    return `the prior sampler records functions on at most ${MAX_PRIOR_ROWS} rows (train and probes); ${task.name} has ${rows}`;
  return undefined;
}

/**
 * The prior sampler on the CPU, in float64: the oracle for shaders/prior.wgsl. The same draws
 * (drawInit under PURPOSE_PRIOR), the same acceptance rule and the same bits, so the two differ
 * only where a logit lies within float32 rounding of 0.
 */
export async function samplePriorCpu(spec: PriorSpec, options: RunOptions = {}): Promise<PriorResult> {
  const { layout, task, dist, scale, seed, firstSample, samples } = spec;
  const problem = priorProblem(layout, task, dist);
  if (problem) throw new Error(problem);
  const words = functionWords(domainRows(task));
  const mlp = new Mlp(layout);
  const params = new Float64Array(paramCount(layout));
  const accepted: number[] = [];
  let bits = new Uint32Array(words * 64);
  const slices = new Slices(options);
  for (let i = 0; i < samples; i++) {
    const s = firstSample + i;
    drawInit(layout, dist, scale, seed, s, PURPOSE_PRIOR, params);
    if (bits.length < (accepted.length + 1) * words) {
      const grown = new Uint32Array(bits.length * 2);
      grown.set(bits);
      bits = grown;
    }
    if (functionBits(mlp, params, task, bits, accepted.length * words)) accepted.push(s);
    if (slices.due()) await slices.pause((i + 1) / samples);
  }
  options.onProgress?.(1);
  return { accepted: Uint32Array.from(accepted), bits: bits.slice(0, accepted.length * words) };
}
