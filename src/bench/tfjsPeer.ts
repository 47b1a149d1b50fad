import type { Tensor, Tensor2D, Tensor3D, Variable } from '@tensorflow/tfjs';
import { hasBias, layerSpans, paramCount, type Activation, type LayerSpan, type ModelLayout } from '../core/layout';
import { ADAM_EPS, adamBetas, adamCorrections, layerLearningRates, type Hyper } from '../core/optimizer';
import { taskLoss, type Task } from '../core/task';

type Tf = typeof import('@tensorflow/tfjs');

export interface TfjsSetup {
  tf: Tf;
  /** backends to measure: name for tf.setBackend, label for the table */
  backends: { name: string; label: string }[];
  /** why a backend is missing, where one is */
  notes: string[];
}

/**
 * TensorFlow.js on the benchmark's own GPUDevice: its WebGPU backend accepts a device, so the peer
 * runs on exactly the adapter (Dawn in Node, the browser's otherwise) our engine runs on. The CPU
 * backend comes too: on a software adapter it can beat TF.js's WebGPU kernels, and the fair
 * comparison is with TF.js at its best. The WebGPU backend refuses to start unless
 * `navigator.gpu` exists: Node callers assign `navigator = { gpu }` first.
 */
export async function setUpTfjs(device: GPUDevice | undefined): Promise<TfjsSetup> {
  const tf = await import('@tensorflow/tfjs');
  const backends: TfjsSetup['backends'] = [];
  const notes: string[] = [];
  if (device) {
    try {
      const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
      // kernels are registered under the name 'webgpu': replace the package's own factory (which
      // would request a second device) with one handing over ours
      if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
      tf.registerBackend('webgpu', () => new WebGPUBackend(device), 10);
      if (await tf.setBackend('webgpu')) backends.push({ name: 'webgpu', label: 'webgpu, same device' });
      else notes.push('TF.js WebGPU backend failed to initialise (see the console)');
    } catch (e) {
      notes.push(`TF.js WebGPU backend unusable: ${(e as Error).message}`);
    }
  } else {
    notes.push('TF.js WebGPU backend not tried: no GPUDevice');
  }
  backends.push({ name: 'cpu', label: 'cpu' });
  return { tf, backends, notes };
}

export interface TfjsEnsembleSpec {
  task: Task;
  layout: ModelLayout;
  /** every optimizer, weight decay and per-layer rate of Hyper; batch 'full' = every row, in order */
  hyper: Hyper;
  /** initial parameters in the project's layout, [particles][paramCount] */
  init: Float32Array;
  particles: number;
  /**
   * The minibatch rows of step `step` (from 0), [particles][batch]: the tests hand over our own
   * engine's (batchIndex) to compare step by step. Absent: TF.js's own generator
   * (tf.randomUniformInt, uniform with replacement like ours, not the same stream), as a TF.js
   * user would write it.
   */
  batchRows?: (step: number) => Int32Array;
}

const GELU_K = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;

/**
 * The same ensemble trained the way a competent TF.js user would write it: one tensor per layer
 * holding every particle's weights ([particles, in, out]) and biases ([particles, 1, out]), the
 * minibatch as one gathered [particles, batch, in] tensor (the full set broadcast against the
 * particles), batched matMul, the activation, the loss summed over particles and averaged over the
 * batch (so each particle gets its own mean gradient), gradients from tf.variableGrads, and the
 * optimizer's update written out as PyTorch defines it (src/core/optimizer.ts: SGD, momentum,
 * Adam, AdamW with decoupled decay; TF.js has no AdamW) — a handful of kernels per step for the
 * whole ensemble, not a loop of models. Every activation, loss and optimizer of the engines runs;
 * what it leaves out: diverged particles keep training (ours freeze them), and per-cell hypers.
 */
export class TfjsEnsemble {
  private readonly weights: Variable[] = [];
  private readonly biases: (Variable | undefined)[] = [];
  /** optimizer state, one per variable: momentum buffer, or Adam's first and second moments */
  private readonly m: Variable[] = [];
  private readonly v: Variable[] = [];
  private readonly spans: LayerSpan[];
  private readonly x: Tensor2D;
  /** what the loss compares with: 0/1 labels [rows, 1], one-hot labels or real targets [rows, k] */
  private readonly target: Tensor2D;
  private readonly loss: 'bce' | 'softmax' | 'mse';
  private readonly rates: number[];
  private stepsDone = 0;

  constructor(
    private readonly tf: Tf,
    private readonly spec: TfjsEnsembleSpec,
  ) {
    const { layout, init, particles, task, hyper } = spec;
    this.spans = layerSpans(layout);
    const p = paramCount(layout);
    if (init.length !== particles * p) throw new Error(`TfjsEnsemble: init holds ${init.length} values, not ${particles} × ${p}`);
    for (const s of this.spans) {
      // our weight is [out][in] per particle; TF.js wants [in, out] for x·W
      const w = new Float32Array(particles * s.fanIn * s.fanOut);
      for (let n = 0; n < particles; n++)
        for (let o = 0; o < s.fanOut; o++)
          for (let i = 0; i < s.fanIn; i++) w[(n * s.fanIn + i) * s.fanOut + o] = init[n * p + s.w + o * s.fanIn + i];
      this.weights.push(tf.variable(tf.tensor3d(w, [particles, s.fanIn, s.fanOut])));
      if (hasBias(s)) {
        const b = new Float32Array(particles * s.fanOut);
        for (let n = 0; n < particles; n++) b.set(init.subarray(n * p + s.b, n * p + s.b + s.fanOut), n * s.fanOut);
        this.biases.push(tf.variable(tf.tensor3d(b, [particles, 1, s.fanOut])));
      } else this.biases.push(undefined);
    }
    if (hyper.optimizer !== 'sgd')
      for (const t of this.variables()) {
        this.m.push(tf.variable(tf.zerosLike(t)));
        if (hyper.optimizer !== 'momentum') this.v.push(tf.variable(tf.zerosLike(t)));
      }
    this.rates = layerLearningRates(hyper, this.spans.length);
    const { train } = task;
    const outputs = layout.widths[layout.widths.length - 1];
    this.x = tf.tensor2d(train.x, [train.rows, task.inputs]);
    if (taskLoss(task) === 'mse') {
      if (!train.targets) throw new Error('TfjsEnsemble: a mean-squared-error task needs targets');
      this.loss = 'mse';
      this.target = tf.tensor2d(train.targets, [train.rows, outputs]);
    } else if (outputs === 1) {
      this.loss = 'bce';
      this.target = tf.tensor2d(Float32Array.from(train.y), [train.rows, 1]);
    } else {
      this.loss = 'softmax';
      this.target = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(train.y), 'int32'), outputs), 'float32')) as Tensor2D;
    }
  }

  /** weights and biases in layer order, as the optimizer state follows them */
  private variables(): Variable[] {
    return this.spans.flatMap((_, l) => [this.weights[l], ...(this.biases[l] ? [this.biases[l]] : [])]);
  }

  private activate(kind: Activation, z: Tensor): Tensor {
    const { tf } = this;
    switch (kind) {
      case 'tanh':
        return tf.tanh(z);
      case 'relu':
        return tf.relu(z);
      case 'gelu':
        // the tanh approximation, as the engines (WGSL has no erf)
        return tf.mul(tf.mul(0.5, z), tf.add(1, tf.tanh(tf.mul(GELU_K, tf.add(z, tf.mul(GELU_C, tf.pow(z, 3)))))));
      case 'square':
        return tf.square(z);
      case 'identity':
        return z;
    }
  }

  /** Summed over particles, mean over the batch, of the data loss as src/core/mlp.ts defines it. */
  private lossOf(logits: Tensor, target: Tensor, batch: number): Tensor {
    const { tf } = this;
    let total: Tensor;
    if (this.loss === 'bce') {
      // max(z, 0) − z·y + log(1 + e^−|z|): BCE with logits, stable for large |z|
      total = tf.sum(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, target)), tf.softplus(tf.neg(tf.abs(logits)))));
    } else if (this.loss === 'softmax') {
      total = tf.sub(tf.sum(tf.logSumExp(logits, -1)), tf.sum(tf.mul(logits, target)));
    } else {
      const k = target.shape[target.shape.length - 1]!;
      total = tf.div(tf.sum(tf.square(tf.sub(logits, target))), k);
    }
    return tf.div(total, batch);
  }

  /** `steps` steps of every particle; resolves once the device has finished them. */
  async train(steps: number): Promise<void> {
    const { tf } = this;
    const { particles, hyper, layout } = this.spec;
    const rows = this.spec.task.train.rows;
    const batch = hyper.batch === 'full' ? rows : hyper.batch;
    const layers = this.spans.length;
    const variables = this.variables();
    const rateOf = variables.map((_, k) => this.rates[this.layerOfVariable(k)]);
    for (let s = 0; s < steps; s++) {
      const step = this.stepsDone++;
      tf.tidy(() => {
        let xb: Tensor;
        let tb: Tensor;
        if (hyper.batch === 'full') {
          // [rows, in] against [particles, in, out]: matMul broadcasts the batch dimension
          xb = this.x;
          tb = this.target;
        } else {
          const idx = this.spec.batchRows
            ? tf.tensor1d(this.spec.batchRows(step), 'int32')
            : tf.randomUniformInt([particles * batch], 0, rows, 'int32');
          xb = tf.reshape(tf.gather(this.x, idx), [particles, batch, -1]);
          tb = tf.reshape(tf.gather(this.target, idx), [particles, batch, -1]);
        }
        const { grads } = tf.variableGrads(() => {
          let h = xb;
          for (let l = 0; l < layers; l++) {
            h = tf.matMul(h as Tensor3D, this.weights[l]);
            const b = this.biases[l];
            if (b) h = tf.add(h, b);
            if (l + 1 < layers) h = this.activate(layout.activation, h);
          }
          return this.lossOf(h, tb, batch) as import('@tensorflow/tfjs').Scalar;
        }, variables);
        this.update(
          variables,
          variables.map((v) => grads[v.name]),
          rateOf,
          step + 1,
        );
      });
    }
    // a one-element read waits for the whole queue
    const probe = tf.slice(this.weights[0], [0, 0, 0], [1, 1, 1]);
    await probe.data();
    probe.dispose();
  }

  private layerOfVariable(k: number): number {
    let seen = 0;
    for (let l = 0; l < this.spans.length; l++) {
      seen += this.biases[l] ? 2 : 1;
      if (k < seen) return l;
    }
    throw new Error(`no variable ${k}`);
  }

  /** One optimizer update, as src/core/optimizer.ts's applyUpdate (PyTorch's definitions); `t` from 1. */
  private update(variables: Variable[], grads: Tensor[], rates: number[], t: number): void {
    const { tf } = this;
    const { hyper } = this.spec;
    const wd = hyper.weightDecay;
    variables.forEach((p, k) => {
      const lr = rates[k];
      const g = grads[k];
      switch (hyper.optimizer) {
        case 'sgd':
          p.assign(tf.sub(p, tf.mul(lr, wd ? tf.add(g, tf.mul(wd, p)) : g)));
          return;
        case 'momentum': {
          const m = tf.add(tf.mul(hyper.momentum, this.m[k]), wd ? tf.add(g, tf.mul(wd, p)) : g);
          this.m[k].assign(m);
          p.assign(tf.sub(p, tf.mul(lr, m)));
          return;
        }
        case 'adam':
        case 'adamw': {
          const betas = adamBetas(hyper);
          const [c1, c2] = adamCorrections(t, betas);
          const decoupled = hyper.optimizer === 'adamw';
          const base = decoupled && wd ? tf.mul(p, 1 - lr * wd) : p;
          const gk = !decoupled && wd ? tf.add(g, tf.mul(wd, p)) : g;
          const m = tf.add(tf.mul(betas[0], this.m[k]), tf.mul(1 - betas[0], gk));
          const v = tf.add(tf.mul(betas[1], this.v[k]), tf.mul(1 - betas[1], tf.square(gk)));
          this.m[k].assign(m);
          this.v[k].assign(v);
          p.assign(tf.sub(base, tf.div(tf.mul(lr / c1, m), tf.add(tf.sqrt(tf.div(v, c2)), ADAM_EPS))));
          return;
        }
      }
    });
  }

  /** Every particle's parameters in the project's layout, [particles][paramCount]. */
  async params(): Promise<Float32Array> {
    const { particles, layout } = this.spec;
    const p = paramCount(layout);
    const out = new Float32Array(particles * p);
    for (const [l, s] of this.spans.entries()) {
      const w = await this.weights[l].data();
      for (let n = 0; n < particles; n++)
        for (let o = 0; o < s.fanOut; o++)
          for (let i = 0; i < s.fanIn; i++) out[n * p + s.w + o * s.fanIn + i] = w[(n * s.fanIn + i) * s.fanOut + o];
      const b = this.biases[l];
      if (b) {
        const values = await b.data();
        for (let n = 0; n < particles; n++) out.set(values.subarray(n * s.fanOut, (n + 1) * s.fanOut), n * p + s.b);
      }
    }
    return out;
  }

  dispose(): void {
    for (const t of [...this.variables(), ...this.m, ...this.v]) t.dispose();
    this.x.dispose();
    this.target.dispose();
  }
}
