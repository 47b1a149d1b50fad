/**
 * The order of the barrier matrix's rows and columns: clusters one after another (largest first,
 * so the main blocks sit top left; equal sizes by their commonest class, so that many small
 * clusters still line up by class), by outcome class within a cluster, by index within a class.
 * Particles left out of clustering (cluster −1: diverged) come last.
 */
export interface MatrixOrder {
  /** order[r] = the particle shown in row (and column) r */
  readonly order: Int32Array;
  /** rank[i] = the row of particle i */
  readonly rank: Int32Array;
  /** rows where a new cluster begins (after row 0), for the lines between blocks */
  readonly boundaries: number[];
}

export function matrixOrder(clusters: ArrayLike<number>, classes: ArrayLike<number>): MatrixOrder {
  const m = clusters.length;
  const size = new Map<number, number>();
  const classCounts = new Map<number, Map<number, number>>();
  for (let i = 0; i < m; i++) {
    size.set(clusters[i], (size.get(clusters[i]) ?? 0) + 1);
    const counts = classCounts.get(clusters[i]) ?? new Map<number, number>();
    classCounts.set(clusters[i], counts.set(classes[i], (counts.get(classes[i]) ?? 0) + 1));
  }
  // the commonest class of a cluster (ties: the first class)
  const commonest = (c: number) => [...classCounts.get(c)!].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  // clusters by size, larger first; then by commonest class; then by index; the left-out (−1) last of all
  const clusterRank = new Map(
    [...size.keys()]
      .sort((a, b) => (a < 0 ? 1 : 0) - (b < 0 ? 1 : 0) || size.get(b)! - size.get(a)! || commonest(a) - commonest(b) || a - b)
      .map((c, r) => [c, r] as const),
  );
  const order = Int32Array.from({ length: m }, (_, i) => i).sort(
    (i, j) => clusterRank.get(clusters[i])! - clusterRank.get(clusters[j])! || classes[i] - classes[j] || i - j,
  );
  const rank = new Int32Array(m);
  order.forEach((i, r) => (rank[i] = r));
  const boundaries: number[] = [];
  for (let r = 1; r < m; r++) if (clusters[order[r]] !== clusters[order[r - 1]]) boundaries.push(r);
  return { order, rank, boundaries };
}

/** The cell under a point of the matrix, given as fractions of its side; undefined outside. */
export function cellAt(fx: number, fy: number, m: number): { row: number; col: number } | undefined {
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) return undefined;
  return { row: Math.floor(fy * m), col: Math.floor(fx * m) };
}
