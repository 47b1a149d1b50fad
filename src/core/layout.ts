/**
 * The model: a multilayer perceptron `in-h1-...-out`, activation between layers, none after the last.
 * The flat parameter vector follows PyTorch's nn.Linear order: for each layer, weight [out][in]
 * row-major, then bias [out] (left out when the model has no biases: `nn.Linear(bias=False)`).
 * Every engine (CPU, WGSL) and every file format uses this order.
 */
export const ACTIVATIONS = ['tanh', 'relu', 'gelu', 'square', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface ModelLayout {
  /** [inputs, hidden..., outputs] */
  readonly widths: readonly number[];
  readonly activation: Activation;
  /** false: no layer has bias parameters (weights only); absent or true: every layer has them */
  readonly bias?: boolean;
}

/** The losses: cross-entropy on class labels (BCE for one output, softmax for more), or mean squared error on real targets. */
export const LOSSES = ['cross-entropy', 'mse'] as const;
export type LossName = (typeof LOSSES)[number];

/** What fixes the parameter layout: the widths alone (biases included) or a layout with its bias setting. */
export type ModelShape = readonly number[] | { readonly widths: readonly number[]; readonly bias?: boolean };

function shapeOf(shape: ModelShape): { widths: readonly number[]; bias: boolean } {
  return 'widths' in shape ? { widths: shape.widths, bias: shape.bias !== false } : { widths: shape, bias: true };
}

export interface LayerSpan {
  readonly fanIn: number;
  readonly fanOut: number;
  /** offset of weight[0][0] in the flat vector */
  readonly w: number;
  /** offset of bias[0] in the flat vector; −1 when the layer has no bias (see hasBias) */
  readonly b: number;
}

/** Whether a layer has bias parameters. */
export const hasBias = (s: LayerSpan): boolean => s.b >= 0;

/** One past the layer's last parameter: its parameters are w .. spanEnd − 1, weights then bias. */
export const spanEnd = (s: LayerSpan): number => s.w + s.fanIn * s.fanOut + (hasBias(s) ? s.fanOut : 0);

export function layerSpans(shape: ModelShape): LayerSpan[] {
  const { widths, bias } = shapeOf(shape);
  const spans: LayerSpan[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const fanIn = widths[l];
    const fanOut = widths[l + 1];
    spans.push({ fanIn, fanOut, w: offset, b: bias ? offset + fanIn * fanOut : -1 });
    offset += fanIn * fanOut + (bias ? fanOut : 0);
  }
  return spans;
}

export function paramCount(shape: ModelShape): number {
  const { widths, bias } = shapeOf(shape);
  let n = 0;
  for (let l = 0; l + 1 < widths.length; l++) n += widths[l] * widths[l + 1] + (bias ? widths[l + 1] : 0);
  return n;
}

/** Index of the layer that parameter k belongs to, for every k: [paramCount]. */
export function parameterLayers(shape: ModelShape): Uint8Array {
  const spans = layerSpans(shape);
  const out = new Uint8Array(paramCount(shape));
  spans.forEach((s, l) => out.fill(l, s.w, spanEnd(s)));
  return out;
}

/** Number of outputs the network needs for a task with `classes` classes (2 → one logit with BCE). */
export function outputsFor(classes: number): number {
  return classes === 2 ? 1 : classes;
}

/** 'adamw': Adam with decoupled weight decay (PyTorch's AdamW), the others' decay is L2 in the gradient */
export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamw';
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'adam', 'adamw'];

/** Whether the optimizer keeps Adam's two moments and bias corrections. */
export const isAdam = (optimizer: OptimizerName): boolean => optimizer === 'adam' || optimizer === 'adamw';

/**
 * FLOPs of one training step of one particle, counted from the layout: per example a forward pass
 * (2·in·out per layer), the weight gradient (2·in·out) and the back-propagated delta (2·in·out, not
 * for the first layer); then the update per parameter. Activations and losses are not counted, so
 * the figure is a slight undercount — honest for "fraction of peak".
 */
export function flopsPerParticleStep(widths: ModelShape, batch: number, optimizer: OptimizerName): number {
  let perExample = 0;
  layerSpans(widths).forEach((s, l) => {
    const mac = s.fanIn * s.fanOut;
    perExample += 2 * mac + 2 * mac + (l > 0 ? 2 * mac : 0);
  });
  const perParam = optimizer === 'sgd' ? 4 : optimizer === 'momentum' ? 6 : 14;
  return batch * perExample + perParam * paramCount(widths);
}

/** FLOPs of evaluating one parameter vector on `rows` examples (forward only). */
export function flopsPerEvaluation(widths: ModelShape, rows: number): number {
  let mac = 0;
  for (const s of layerSpans(widths)) mac += s.fanIn * s.fanOut;
  return 2 * mac * rows;
}
