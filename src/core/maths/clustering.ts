/**
 * Average-linkage hierarchical clustering of items from a symmetric distance matrix (here: loss
 * barriers), by the nearest-neighbour chain algorithm (O(M²) time and memory; average linkage is
 * reducible, so the chain finds exactly the merges of the naive algorithm, in another order).
 */

export interface Merge {
  /** clusters merged, by index: items are 0..M−1, the cluster made by merge k is M + k */
  a: number;
  b: number;
  /** the average distance between the two clusters' items */
  height: number;
  size: number;
}

/** The dendrogram of `m` items under average linkage, merges sorted by height. */
export function averageLinkage(distance: Float64Array, m: number): Merge[] {
  if (m < 2) return [];
  // working distances between active clusters, indexed by slot (a cluster keeps the slot of one of its halves)
  const d = Float64Array.from(distance);
  const size = new Float64Array(m).fill(1);
  const id = Array.from({ length: m }, (_, i) => i);
  const active = new Uint8Array(m).fill(1);
  const merges: Merge[] = [];
  const chain: number[] = [];
  let remaining = m;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    const x = chain[chain.length - 1];
    const prev = chain.length > 1 ? chain[chain.length - 2] : -1;
    // nearest active neighbour of x; a tie goes to the previous chain element, which guarantees
    // the chain ends in a reciprocal pair (an infinite distance still names a neighbour)
    let y = -1;
    let best = Infinity;
    for (let j = 0; j < m; j++) {
      if (j === x || !active[j]) continue;
      const v = d[x * m + j];
      if (y === -1 || v < best || (v === best && j === prev)) {
        best = v;
        y = j;
      }
    }
    if (y === prev) {
      chain.pop();
      chain.pop();
      // merge x and y into slot x (Lance–Williams update for average linkage)
      const [sx, sy] = [size[x], size[y]];
      for (let j = 0; j < m; j++) {
        if (!active[j] || j === x || j === y) continue;
        const v = (sx * d[x * m + j] + sy * d[y * m + j]) / (sx + sy);
        d[x * m + j] = d[j * m + x] = v;
      }
      merges.push({ a: id[x], b: id[y], height: best, size: sx + sy });
      size[x] = sx + sy;
      id[x] = m + merges.length - 1;
      active[y] = 0;
      remaining--;
    } else {
      chain.push(y);
    }
  }
  // relabel so that merge k creates cluster m + k in height order
  const order = merges.map((_, k) => k).sort((p, q) => merges[p].height - merges[q].height || p - q);
  const newId = new Map<number, number>();
  order.forEach((k, rank) => newId.set(m + k, m + rank));
  return order.map((k) => {
    const { a, b, height, size: s } = merges[k];
    return { a: newId.get(a) ?? a, b: newId.get(b) ?? b, height, size: s };
  });
}

/** Cluster index per item (0.., in order of first appearance) after applying the lowest `m − k` merges. */
export function cutTree(merges: readonly Merge[], m: number, k: number): Int32Array {
  const parent = Array.from({ length: 2 * m }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let q = 0; q < m - k; q++) {
    const root = m + q;
    parent[find(merges[q].a)] = root;
    parent[find(merges[q].b)] = root;
  }
  const labels = new Int32Array(m);
  const seen = new Map<number, number>();
  for (let i = 0; i < m; i++) {
    const r = find(i);
    if (!seen.has(r)) seen.set(r, seen.size);
    labels[i] = seen.get(r)!;
  }
  return labels;
}

/**
 * The number of clusters the data suggests: cut the dendrogram in its largest gap between
 * consecutive merge heights, provided the merge above the gap is at least `minHeight` (a barrier
 * below it is noise); with no such gap, one cluster.
 */
export function chooseClusterCount(merges: readonly Merge[], m: number, minHeight: number): number {
  let bestGap = 0;
  let count = 1;
  for (let q = 0; q < merges.length; q++) {
    const below = q === 0 ? 0 : merges[q - 1].height;
    const gap = merges[q].height - below;
    if (merges[q].height >= minHeight && gap > bestGap) {
      bestGap = gap;
      // cutting under merge q leaves the clusters of merges 0..q−1 applied
      count = m - q;
    }
  }
  return count;
}
