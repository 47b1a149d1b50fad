/**
 * The linear assignment problem: the permutation σ of 0..n−1 that minimises Σ_i cost[i][σ(i)],
 * by the Hungarian method with potentials and shortest augmenting paths (Kuhn 1955; Munkres
 * 1957; the O(n³) form of Jonker & Volgenant's presentation). `cost` is n × n, row-major.
 */
export function linearAssignment(cost: ArrayLike<number>, n: number): Int32Array {
  // 1-based arrays: row 0 and column 0 are the algorithm's virtual start
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const rowOf = new Int32Array(n + 1); // rowOf[j]: the row assigned to column j (0: none)
  const way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let i = 1; i <= n; i++) {
    rowOf[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = rowOf[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const reduced = cost[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[rowOf[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (rowOf[j0] !== 0);
    do {
      const j1 = way[j0];
      rowOf[j0] = rowOf[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Int32Array(n);
  for (let j = 1; j <= n; j++) out[rowOf[j] - 1] = j - 1;
  return out;
}
