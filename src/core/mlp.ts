import { activate, activateDerivative } from './activations';
import { hasBias, layerSpans, type LayerSpan, type LossName, type ModelLayout } from './layout';
import type { Dataset } from './task';

type Vec = Float64Array | Float32Array;

/**
 * The CPU reference network, in float64: forward pass, data loss, gradient. The oracle for the
 * WGSL kernels (shaders/mlp.wgsl does the same maths in float32) and the fallback engine.
 * Buffers are allocated once per instance; one instance serves one thread of work at a time.
 */
export class Mlp {
  readonly spans: LayerSpan[];
  readonly outputs: number;
  /** pre-activations and activations of every layer, layer l at offsets[l]; layer 0 is the input */
  private readonly z: Float64Array;
  private readonly a: Float64Array;
  private readonly delta: Float64Array;
  private readonly offsets: number[];

  constructor(
    readonly layout: ModelLayout,
    /** 'mse' reads each set's real targets instead of its class labels */
    readonly loss: LossName = 'cross-entropy',
  ) {
    this.spans = layerSpans(layout);
    this.outputs = layout.widths[layout.widths.length - 1];
    this.offsets = [];
    let total = 0;
    for (const w of layout.widths) {
      this.offsets.push(total);
      total += w;
    }
    this.z = new Float64Array(total);
    this.a = new Float64Array(total);
    this.delta = new Float64Array(total);
  }

  /** Runs the network on row `row` of `x`, leaving pre-activations in z and activations in a. */
  private forward(params: Vec, x: Float32Array, row: number): void {
    const { spans, offsets, z, a } = this;
    const inputs = this.layout.widths[0];
    for (let i = 0; i < inputs; i++) a[i] = x[row * inputs + i];
    const last = spans.length - 1;
    spans.forEach((s, l) => {
      const inOff = offsets[l];
      const outOff = offsets[l + 1];
      for (let o = 0; o < s.fanOut; o++) {
        let sum = hasBias(s) ? params[s.b + o] : 0;
        const w = s.w + o * s.fanIn;
        for (let i = 0; i < s.fanIn; i++) sum += params[w + i] * a[inOff + i];
        z[outOff + o] = sum;
        a[outOff + o] = l === last ? sum : activate(this.layout.activation, sum);
      }
    });
  }

  /**
   * Data loss of one example and, when `grad` is given, adds its gradient. Cross-entropy: one
   * logit, binary cross-entropy with logits; k logits, softmax cross-entropy. MSE: the mean over
   * the outputs of (output − target)², as torch.nn.MSELoss; the example is "correct" when every
   * output is within `tolerance` of its target. Returns [loss, correct ? 1 : 0].
   */
  example(params: Vec, data: Dataset, row: number, grad?: Float64Array, tolerance = 0): [number, number] {
    this.forward(params, data.x, row);
    const { spans, offsets, z, a, delta } = this;
    const out = offsets[offsets.length - 1];
    const label = data.y[row];
    let loss: number;
    let correct: number;
    if (this.loss === 'mse') {
      const targets = data.targets;
      if (!targets) throw new Error('a mean-squared-error model needs a dataset with targets');
      const k = this.outputs;
      let sum = 0;
      correct = 1;
      for (let j = 0; j < k; j++) {
        const e = z[out + j] - targets[row * k + j];
        sum += e * e;
        delta[out + j] = (2 / k) * e;
        if (!(Math.abs(e) <= tolerance)) correct = 0;
      }
      loss = sum / k;
    } else if (this.outputs === 1) {
      const logit = z[out];
      loss = Math.max(logit, 0) - logit * label + Math.log1p(Math.exp(-Math.abs(logit)));
      correct = (logit > 0 ? 1 : 0) === label ? 1 : 0;
      delta[out] = 1 / (1 + Math.exp(-logit)) - label;
    } else {
      let max = -Infinity;
      let arg = 0;
      for (let k = 0; k < this.outputs; k++) {
        if (z[out + k] > max) {
          max = z[out + k];
          arg = k;
        }
      }
      let sum = 0;
      for (let k = 0; k < this.outputs; k++) sum += Math.exp(z[out + k] - max);
      const lse = max + Math.log(sum);
      loss = lse - z[out + label];
      correct = arg === label ? 1 : 0;
      for (let k = 0; k < this.outputs; k++) delta[out + k] = Math.exp(z[out + k] - lse) - (k === label ? 1 : 0);
    }
    if (!grad) return [loss, correct];

    for (let l = spans.length - 1; l >= 0; l--) {
      const s = spans[l];
      const inOff = offsets[l];
      const outOff = offsets[l + 1];
      for (let o = 0; o < s.fanOut; o++) {
        const d = delta[outOff + o];
        if (hasBias(s)) grad[s.b + o] += d;
        const w = s.w + o * s.fanIn;
        for (let i = 0; i < s.fanIn; i++) grad[w + i] += d * a[inOff + i];
      }
      if (l === 0) break;
      for (let i = 0; i < s.fanIn; i++) {
        let sum = 0;
        for (let o = 0; o < s.fanOut; o++) sum += params[s.w + o * s.fanIn + i] * delta[outOff + o];
        delta[inOff + i] = sum * activateDerivative(this.layout.activation, z[inOff + i]);
      }
    }
    return [loss, correct];
  }

  /** Mean data loss and accuracy of `params` over a whole dataset (`tolerance`: see example). */
  evaluate(params: Vec, data: Dataset, tolerance = 0): [number, number] {
    let loss = 0;
    let correct = 0;
    for (let r = 0; r < data.rows; r++) {
      const [l, c] = this.example(params, data, r, undefined, tolerance);
      loss += l;
      correct += c;
    }
    return [loss / data.rows, correct / data.rows];
  }
}
