import type { ModelLayout } from './layout';
import { Mlp } from './mlp';
import type { Dataset } from './task';

/**
 * A binary network's P(class 1) on the first `rows` rows of a set: what the inspector shows beside
 * probe images. From the reference network's loss, −log p(label), so no second forward pass exists.
 */
export function classOneProbabilities(layout: ModelLayout, params: Float32Array, data: Dataset, rows: number): number[] {
  const mlp = new Mlp(layout);
  return Array.from({ length: Math.min(rows, data.rows) }, (_, r) => {
    const pLabel = Math.exp(-mlp.example(params, data, r)[0]);
    return data.y[r] === 1 ? pLabel : 1 - pLabel;
  });
}
