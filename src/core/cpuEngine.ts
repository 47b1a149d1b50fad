import type {
  Engine,
  GradientsSpec,
  LinesSpec,
  Metrics,
  PlaneSpec,
  RunOptions,
  PriorResult,
  PriorSpec,
  SgldResult,
  SgldSpec,
  TrainingSession,
  TrainSpec,
} from './engine';
import { throwIfAborted } from './errors';
import { isFiniteF32 } from './float32';
import { paramCount, type ModelLayout } from './layout';
import { metricSets, MetricsView } from './metricsView';
import { Mlp } from './mlp';
import { applyUpdate, parameterLearningRates, type Hyper } from './optimizer';
import { planePoint } from './plane';
import { batchIndex } from './rng';
import { sampleSgldCpu } from './cpuSgld';
import { samplePriorCpu } from './instruments/prior/priorSampler';
import { SLICE_MS, Slices, yieldToEventLoop } from './slices';
import { taskLoss, taskSets, taskTolerance, type Dataset, type Task } from './task';
import { cellOf, checkCells } from './trainSpec';

/** Loss and accuracy of one parameter vector on every set of the task, written as item i of `out`. */
function evaluateInto(mlp: Mlp, task: Task, params: Float64Array | Float32Array, out: MetricsView, i: number): void {
  let finite = true;
  for (let k = 0; k < params.length; k++) if (!isFiniteF32(params[k])) finite = false;
  const tolerance = taskTolerance(task);
  taskSets(task).forEach((set, s) => {
    const [loss, acc] = finite ? mlp.evaluate(params, set, tolerance) : [NaN, 0];
    out.set(i, s, loss, acc);
  });
}

class CpuTrainingSession implements TrainingSession {
  private readonly p: number;
  private readonly values: Float64Array;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly divergedFlags: Uint8Array;
  private readonly mlp: Mlp;
  /** per cell: its hyper and each parameter's learning rate where layers have their own (undefined: hyper.lr for all) */
  private readonly cellHypers: { hyper: Hyper; rates: Float64Array | undefined }[];
  stepsDone = 0;

  constructor(private readonly spec: TrainSpec) {
    this.p = paramCount(spec.layout);
    this.values = Float64Array.from(spec.init);
    this.m = new Float64Array(this.values.length);
    this.v = new Float64Array(this.values.length);
    this.divergedFlags = new Uint8Array(spec.particles);
    this.mlp = new Mlp(spec.layout, taskLoss(spec.task));
    checkCells(spec);
    this.cellHypers = (spec.cells?.hypers ?? [spec.hyper]).map((hyper) => ({ hyper, rates: parameterLearningRates(hyper, spec.layout) }));
  }

  get particles(): number {
    return this.spec.particles;
  }

  async advance(steps: number, options: RunOptions = {}): Promise<void> {
    const { hyper, task, particles, noiseSeed } = this.spec;
    const train = task.train;
    const batch = hyper.batch === 'full' ? train.rows : hyper.batch;
    const grad = new Float64Array(this.p);
    const slices = new Slices(options);
    for (let i = 0; i < particles; i++) {
      if (this.divergedFlags[i]) continue;
      const range = [i * this.p, (i + 1) * this.p] as const;
      const p = this.values.subarray(...range);
      const m = this.m.subarray(...range);
      const v = this.v.subarray(...range);
      const { cell, stream } = cellOf(this.spec, i);
      const own = this.cellHypers[cell];
      for (let s = this.stepsDone; s < this.stepsDone + steps; s++) {
        grad.fill(0);
        for (let b = 0; b < batch; b++) {
          const row = hyper.batch === 'full' ? b : batchIndex(noiseSeed, stream, s, b, train.rows);
          this.mlp.example(p, train, row, grad);
        }
        let finite = true;
        for (let k = 0; k < this.p; k++) {
          grad[k] /= batch;
          if (!isFiniteF32(grad[k])) finite = false;
        }
        if (!finite) {
          this.divergedFlags[i] = 1;
          break;
        }
        applyUpdate(own.hyper, p, grad, m, v, s + 1, own.rates);
        // an overflowing update is divergence too (as in train.wgsl): the parameters are kept
        if (!p.every(isFiniteF32)) {
          this.divergedFlags[i] = 1;
          break;
        }
        if (slices.due()) await slices.pause((i + (s + 1 - this.stepsDone) / steps) / particles);
      }
      if (slices.due()) await slices.pause((i + 1) / particles);
    }
    this.stepsDone += steps;
    options.onProgress?.(1);
  }

  async metrics(options: RunOptions = {}): Promise<Metrics> {
    const out = MetricsView.zeros(this.spec.particles, metricSets(this.spec.task));
    // in slices: a grid of thousands of big nets takes seconds, and the worker must hear a cancel
    const slices = new Slices(options);
    for (let i = 0; i < this.spec.particles; i++) {
      evaluateInto(this.mlp, this.spec.task, this.values.subarray(i * this.p, (i + 1) * this.p), out, i);
      if (slices.due()) await slices.pause((i + 1) / this.spec.particles);
    }
    return out.data;
  }

  async params(): Promise<Float32Array> {
    return Float32Array.from(this.values);
  }

  async diverged(): Promise<Uint8Array> {
    return this.divergedFlags.slice();
  }

  dispose(): void {}
}

/** The CPU reference engine: float64, the oracle for the GPU engine and the fallback without WebGPU. */
export class CpuEngine implements Engine {
  readonly kind = 'cpu' as const;
  readonly device = 'CPU reference engine (float64, JavaScript)';

  async startTraining(spec: TrainSpec): Promise<TrainingSession> {
    return new CpuTrainingSession(spec);
  }

  async evaluatePlane(spec: PlaneSpec, options: RunOptions = {}): Promise<Metrics> {
    const { layout, task, plane, alphas, betas } = spec;
    const out = MetricsView.zeros(alphas.length * betas.length, metricSets(task));
    const mlp = new Mlp(layout, taskLoss(task));
    const point = new Float32Array(plane.center.length);
    const slices = new Slices(options);
    for (let j = 0; j < betas.length; j++) {
      for (let i = 0; i < alphas.length; i++) {
        planePoint(plane, alphas[i], betas[j], point);
        evaluateInto(mlp, task, point, out, j * alphas.length + i);
        if (slices.due()) await slices.pause((j * alphas.length + i + 1) / (alphas.length * betas.length));
      }
    }
    options.onProgress?.(1);
    return out.data;
  }

  async evaluateLines(spec: LinesSpec, options: RunOptions = {}): Promise<Metrics> {
    const { layout, task, vectors, pairs, ts } = spec;
    const lines = pairs.length / 2;
    const p = paramCount(layout);
    const out = MetricsView.zeros(lines * ts.length, metricSets(task));
    const mlp = new Mlp(layout, taskLoss(task));
    // float32, as the GPU engine holds its points
    const point = new Float32Array(p);
    let sliceStart = performance.now();
    for (let l = 0; l < lines; l++) {
      const a = vectors.subarray(pairs[2 * l] * p, (pairs[2 * l] + 1) * p);
      const b = vectors.subarray(pairs[2 * l + 1] * p, (pairs[2 * l + 1] + 1) * p);
      for (let k = 0; k < ts.length; k++) {
        const t = ts[k];
        for (let j = 0; j < p; j++) point[j] = (1 - t) * a[j] + t * b[j];
        evaluateInto(mlp, task, point, out, l * ts.length + k);
      }
      if (performance.now() - sliceStart > SLICE_MS) {
        options.onProgress?.((l + 1) / lines);
        await yieldToEventLoop();
        throwIfAborted(options.signal);
        sliceStart = performance.now();
      }
    }
    options.onProgress?.(1);
    return out.data;
  }

  async evaluateGradients(spec: GradientsSpec, options: RunOptions = {}): Promise<Float32Array> {
    const { layout, task, vectors } = spec;
    const p = paramCount(layout);
    const count = vectors.length / p;
    const mlp = new Mlp(layout, taskLoss(task));
    const grad = new Float64Array(p);
    const out = new Float32Array(vectors.length);
    const slices = new Slices(options);
    for (let i = 0; i < count; i++) {
      meanGradient(mlp, vectors.subarray(i * p, (i + 1) * p), task.train, grad);
      out.set(grad, i * p);
      if (slices.due()) await slices.pause((i + 1) / count);
    }
    options.onProgress?.(1);
    return out;
  }

  sampleSgld(spec: SgldSpec, options: RunOptions = {}): Promise<SgldResult> {
    return sampleSgldCpu(spec, options);
  }

  samplePrior(spec: PriorSpec, options: RunOptions = {}): Promise<PriorResult> {
    return samplePriorCpu(spec, options);
  }

  dispose(): void {}
}

/** The gradient of the mean data loss over every row of `data`, written to `grad` (float64 throughout). */
export function meanGradient(mlp: Mlp, params: Float64Array | Float32Array, data: Dataset, grad: Float64Array): void {
  grad.fill(0);
  for (let r = 0; r < data.rows; r++) mlp.example(params, data, r, grad);
  for (let k = 0; k < grad.length; k++) grad[k] /= data.rows;
}

export function evaluateParams(layout: ModelLayout, task: Task, params: Float32Array): Float32Array {
  const out = MetricsView.zeros(1, metricSets(task));
  evaluateInto(new Mlp(layout, taskLoss(task)), task, params, out, 0);
  return out.data;
}
