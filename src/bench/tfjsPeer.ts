import type { Task } from '../core/task';
import { layerSpans } from '../core/layout';

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
  widths: readonly number[];
  /** initial parameters in the project's layout, [particles][paramCount] */
  init: Float32Array;
  particles: number;
  batch: number;
  lr: number;
}

/**
 * The same ensemble trained the way a competent TF.js user would write it: one tensor per layer
 * holding every particle's weights ([particles, in, out]), the minibatch as one gathered
 * [particles, batch, in] tensor, batched matMul, tanh, sigmoid cross-entropy, gradients from
 * tf.variableGrads and a plain SGD update — a handful of kernels per step for the whole
 * ensemble, not a loop of models. Minibatch indices are drawn with tf.randomUniformInt (TF.js's
 * own generator; the distribution matches ours, uniform with replacement, not the exact stream).
 * Only one-output tanh nets (the benchmark's models) are supported.
 */
export class TfjsEnsemble {
  private readonly vars: import('@tensorflow/tfjs').Variable[] = [];
  private readonly x: import('@tensorflow/tfjs').Tensor2D;
  private readonly y: import('@tensorflow/tfjs').Tensor1D;
  private readonly rows: number;

  constructor(
    private readonly tf: Tf,
    private readonly spec: TfjsEnsembleSpec,
  ) {
    const { widths, init, particles, task } = spec;
    if (widths[widths.length - 1] !== 1) throw new Error('TfjsEnsemble: one output only');
    const p = init.length / particles;
    for (const s of layerSpans(widths)) {
      // our weight is [out][in] per particle; TF.js wants [in, out] for x·W
      const w = new Float32Array(particles * s.fanIn * s.fanOut);
      const b = new Float32Array(particles * s.fanOut);
      for (let n = 0; n < particles; n++) {
        for (let o = 0; o < s.fanOut; o++) {
          for (let i = 0; i < s.fanIn; i++) w[(n * s.fanIn + i) * s.fanOut + o] = init[n * p + s.w + o * s.fanIn + i];
          b[n * s.fanOut + o] = init[n * p + s.b + o];
        }
      }
      this.vars.push(tf.variable(tf.tensor3d(w, [particles, s.fanIn, s.fanOut])), tf.variable(tf.tensor3d(b, [particles, 1, s.fanOut])));
    }
    this.rows = task.train.rows;
    this.x = tf.tensor2d(task.train.x, [task.train.rows, task.inputs]);
    this.y = tf.tensor1d(Float32Array.from(task.train.y));
  }

  /** `steps` SGD steps of every particle; resolves once the device has finished them. */
  async train(steps: number): Promise<void> {
    const { tf } = this;
    const { particles, batch, lr } = this.spec;
    const layers = this.vars.length / 2;
    for (let s = 0; s < steps; s++) {
      tf.tidy(() => {
        const idx = tf.randomUniformInt([particles * batch], 0, this.rows, 'int32');
        const xb = tf.reshape(tf.gather(this.x, idx), [particles, batch, -1]) as import('@tensorflow/tfjs').Tensor3D;
        const yb = tf.reshape(tf.gather(this.y, idx), [particles, batch, 1]);
        const { grads } = tf.variableGrads(() => {
          let h: import('@tensorflow/tfjs').Tensor3D = xb;
          for (let l = 0; l < layers; l++) {
            h = tf.add(tf.matMul(h, this.vars[2 * l]), this.vars[2 * l + 1]);
            if (l + 1 < layers) h = tf.tanh(h);
          }
          // summed over particles, mean over the batch: each particle gets its own mean gradient
          return tf.div(
            tf.losses.sigmoidCrossEntropy(yb, h, undefined, undefined, tf.Reduction.SUM),
            batch,
          ) as import('@tensorflow/tfjs').Scalar;
        }, this.vars);
        for (const v of this.vars) v.assign(tf.sub(v, tf.mul(grads[v.name], lr)));
      });
    }
    // a one-element read waits for the whole queue
    const probe = tf.slice(this.vars[0], [0, 0, 0], [1, 1, 1]);
    await probe.data();
    probe.dispose();
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
    this.x.dispose();
    this.y.dispose();
  }
}
