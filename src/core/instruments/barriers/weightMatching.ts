import { layerSpans, type ModelLayout } from '../../layout';
import { linearAssignment } from '../../maths/assignment';

/**
 * Weight matching (Ainsworth, Hayase & Srinivasa 2023, "Git Re-Basin"): the permutation of each
 * hidden layer's units of network b that best lines its weights up with network a's. Networks
 * that differ only by such a permutation compute the same function, so a straight line between
 * unaligned networks crosses a barrier that says nothing about their functions. Per hidden layer
 * the best permutation, the others held fixed, is a linear assignment on the similarity of the
 * units' incoming weights and biases and outgoing weights; layers are visited in order until a
 * whole sweep changes nothing (coordinate descent, as the paper does), after a first sweep on the
 * incoming side alone.
 */
export function matchWeights(layout: ModelLayout, a: ArrayLike<number>, b: ArrayLike<number>, maxSweeps = 100): Int32Array[] {
  const spans = layerSpans(layout);
  const hidden = layout.widths.slice(1, -1);
  const perms: Int32Array[] = hidden.map((h) => Int32Array.from({ length: h }, (_, i) => i));
  const at = (s: number, x: ArrayLike<number>, row: number, col: number) => x[spans[s].w + row * spans[s].fanIn + col];
  // the first sweep matches on incoming weights and biases alone, layer by layer from the input:
  // each layer's inputs are then already aligned, so a pure permutation is recovered exactly where
  // the next layers' identity permutations would mislead the full objective
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    const forwardOnly = sweep === 0;
    let changed = false;
    for (let h = 0; h < hidden.length; h++) {
      const n = hidden[h];
      const into = spans[h];
      const out = spans[h + 1];
      const inPerm = h > 0 ? perms[h - 1] : undefined;
      const outPerm = h + 1 < hidden.length ? perms[h + 1] : undefined;
      const cost = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < into.fanIn; k++) s += at(h, a, i, k) * at(h, b, j, inPerm ? inPerm[k] : k);
          if (into.b >= 0) s += a[into.b + i] * b[into.b + j];
          if (!forwardOnly) for (let m = 0; m < out.fanOut; m++) s += at(h + 1, a, m, i) * at(h + 1, b, outPerm ? outPerm[m] : m, j);
          cost[i * n + j] = -s;
        }
      }
      const next = linearAssignment(cost, n);
      if (next.some((v, i) => v !== perms[h][i])) {
        perms[h] = next;
        changed = true;
      }
    }
    if (!changed && !forwardOnly) break;
  }
  return perms;
}

/**
 * Network b with its hidden units permuted: unit i of hidden layer h takes b's unit perms[h][i]
 * (its incoming weights and bias, and its column of the next layer's weights). The function it
 * computes is b's, exactly.
 */
export function permuteUnits(layout: ModelLayout, b: ArrayLike<number>, perms: readonly Int32Array[]): Float32Array {
  const spans = layerSpans(layout);
  const out = new Float32Array(b.length);
  spans.forEach((span, s) => {
    const rowPerm = s < perms.length ? perms[s] : undefined;
    const colPerm = s > 0 ? perms[s - 1] : undefined;
    for (let i = 0; i < span.fanOut; i++) {
      const from = rowPerm ? rowPerm[i] : i;
      for (let k = 0; k < span.fanIn; k++) out[span.w + i * span.fanIn + k] = b[span.w + from * span.fanIn + (colPerm ? colPerm[k] : k)];
      if (span.b >= 0) out[span.b + i] = b[span.b + from];
    }
  });
  return out;
}

/** b aligned to a: its hidden units permuted by weight matching. */
export function alignTo(layout: ModelLayout, a: ArrayLike<number>, b: ArrayLike<number>): Float32Array {
  return permuteUnits(layout, b, matchWeights(layout, a, b));
}
