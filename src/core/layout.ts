/**
 * The model: a multilayer perceptron `in-h1-...-out`, activation between layers, none after the last.
 * The flat parameter vector follows PyTorch's nn.Linear order: for each layer, weight [out][in]
 * row-major, then bias [out]. Every engine (CPU, WGSL) and every file format uses this order.
 */
export const ACTIVATIONS = ['tanh', 'relu', 'gelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface ModelLayout {
  /** [inputs, hidden..., outputs] */
  readonly widths: readonly number[];
  readonly activation: Activation;
}

export interface LayerSpan {
  readonly fanIn: number;
  readonly fanOut: number;
  /** offset of weight[0][0] in the flat vector */
  readonly w: number;
  /** offset of bias[0] in the flat vector */
  readonly b: number;
}

export function layerSpans(widths: readonly number[]): LayerSpan[] {
  const spans: LayerSpan[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const fanIn = widths[l];
    const fanOut = widths[l + 1];
    spans.push({ fanIn, fanOut, w: offset, b: offset + fanIn * fanOut });
    offset += fanIn * fanOut + fanOut;
  }
  return spans;
}

export function paramCount(widths: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < widths.length; l++) n += widths[l] * widths[l + 1] + widths[l + 1];
  return n;
}

/** Number of outputs the network needs for a task with `classes` classes (2 → one logit with BCE). */
export function outputsFor(classes: number): number {
  return classes === 2 ? 1 : classes;
}

export type OptimizerName = 'sgd' | 'momentum' | 'adam';
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'adam'];

/**
 * FLOPs of one training step of one particle, counted from the layout: per example a forward pass
 * (2·in·out per layer), the weight gradient (2·in·out) and the back-propagated delta (2·in·out, not
 * for the first layer); then the update per parameter. Activations and losses are not counted, so
 * the figure is a slight undercount — honest for "fraction of peak".
 */
export function flopsPerParticleStep(widths: readonly number[], batch: number, optimizer: OptimizerName): number {
  let perExample = 0;
  layerSpans(widths).forEach((s, l) => {
    const mac = s.fanIn * s.fanOut;
    perExample += 2 * mac + 2 * mac + (l > 0 ? 2 * mac : 0);
  });
  const perParam = optimizer === 'sgd' ? 4 : optimizer === 'momentum' ? 6 : 14;
  return batch * perExample + perParam * paramCount(widths);
}

/** FLOPs of evaluating one parameter vector on `rows` examples (forward only). */
export function flopsPerEvaluation(widths: readonly number[], rows: number): number {
  let mac = 0;
  for (const s of layerSpans(widths)) mac += s.fanIn * s.fanOut;
  return 2 * mac * rows;
}
