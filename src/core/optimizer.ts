import { layerSpans, paramCount, spanEnd, type ModelShape, type OptimizerName } from './layout';

export interface Hyper {
  readonly optimizer: OptimizerName;
  readonly lr: number;
  /** SGD momentum coefficient (PyTorch's `momentum`, no dampening, no Nesterov); used by 'momentum' */
  readonly momentum: number;
  /**
   * weight decay, as torch.optim's `weight_decay`: L2 added to the gradient for sgd, momentum and
   * adam; decoupled for adamw (p ← p·(1 − lr·wd) before the Adam step on the raw gradient)
   */
  readonly weightDecay: number;
  /** Adam's β₁ and β₂ (adam, adamw); absent: PyTorch's defaults ADAM_BETA1, ADAM_BETA2 */
  readonly beta1?: number;
  readonly beta2?: number;
  /** examples per step, drawn uniformly with replacement; 'full' = every training example, in order */
  readonly batch: number | 'full';
  /** per-layer multipliers of lr, layer 0 first; a layer past the end of the list (or no list) takes 1 */
  readonly lrScale?: readonly number[];
}

/** Each layer's learning rate, lr × its scale, in float64: the GPU engine gets them from here too. */
export function layerLearningRates(hyper: Hyper, layers: number): number[] {
  return Array.from({ length: layers }, (_, l) => hyper.lr * (hyper.lrScale?.[l] ?? 1));
}

/**
 * One row per cell of what the training kernel reads per particle, in float64: each layer's
 * learning rate, then weight decay, then momentum ([cells][layers + 2]). One row for a plain run.
 */
export function hyperTable(hypers: readonly Hyper[], layers: number): Float64Array {
  const width = layers + 2;
  const out = new Float64Array(hypers.length * width);
  hypers.forEach((h, c) => {
    out.set(layerLearningRates(h, layers), c * width);
    out[c * width + layers] = h.weightDecay;
    out[c * width + layers + 1] = h.momentum;
  });
  return out;
}

/**
 * The learning rate of every parameter of the model ([paramCount]), or undefined when every layer
 * uses the base rate (applyUpdate then uses hyper.lr itself).
 */
export function parameterLearningRates(hyper: Hyper, shape: ModelShape): Float64Array | undefined {
  if (!hyper.lrScale?.some((s) => s !== 1)) return undefined;
  const spans = layerSpans(shape);
  const rates = layerLearningRates(hyper, spans.length);
  const out = new Float64Array(paramCount(shape));
  spans.forEach((s, l) => out.fill(rates[l], s.w, spanEnd(s)));
  return out;
}

/** PyTorch's Adam defaults. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPS = 1e-8;

/** The betas an Adam-family update of `hyper` uses. */
export function adamBetas(hyper: Hyper): [number, number] {
  return [hyper.beta1 ?? ADAM_BETA1, hyper.beta2 ?? ADAM_BETA2];
}

/** Adam's bias corrections (1 − β₁ᵗ, 1 − β₂ᵗ) at step t (from 1), in float64: the GPU engine gets them from here too. */
export function adamCorrections(t: number, [beta1, beta2]: readonly [number, number] = [ADAM_BETA1, ADAM_BETA2]): [number, number] {
  return [1 - Math.pow(beta1, t), 1 - Math.pow(beta2, t)];
}

/**
 * One optimizer update of `p` in place, in float64. `g` already holds the mean data gradient;
 * `m` and `v` are the optimizer's state (momentum buffer / Adam moments); `t` counts steps from 1.
 * `rates`: each parameter's learning rate (parameterLearningRates), default hyper.lr for all.
 */
export function applyUpdate(
  hyper: Hyper,
  p: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  t: number,
  rates?: Float64Array,
): void {
  const { weightDecay: wd } = hyper;
  const n = p.length;
  const lrOf = rates ? (k: number) => rates[k] : () => hyper.lr;
  switch (hyper.optimizer) {
    case 'sgd':
      for (let k = 0; k < n; k++) p[k] -= lrOf(k) * (g[k] + wd * p[k]);
      return;
    case 'momentum':
      for (let k = 0; k < n; k++) {
        m[k] = hyper.momentum * m[k] + g[k] + wd * p[k];
        p[k] -= lrOf(k) * m[k];
      }
      return;
    case 'adam':
    case 'adamw': {
      const betas = adamBetas(hyper);
      const [b1, b2] = betas;
      const [c1, c2] = adamCorrections(t, betas);
      const decoupled = hyper.optimizer === 'adamw';
      for (let k = 0; k < n; k++) {
        // AdamW decays the parameter itself, as torch's p.mul_(1 − lr·wd), and adapts the raw gradient
        if (decoupled) p[k] *= 1 - lrOf(k) * wd;
        const gk = decoupled ? g[k] : g[k] + wd * p[k];
        m[k] = b1 * m[k] + (1 - b1) * gk;
        v[k] = b2 * v[k] + (1 - b2) * gk * gk;
        p[k] -= (lrOf(k) * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + ADAM_EPS);
      }
      return;
    }
  }
}
