import { list } from '../../results';
import type { BarrierAnalysis } from './barrierAnalysis';

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** The barriers' JSON fields: the matrix as a list of rows, −1 clusters and NaNs as null. */
export function barrierFields(a: BarrierAnalysis) {
  const m = a.clusters.length;
  return {
    points: a.points,
    refinement: a.refinement,
    aligned: a.aligned,
    set: a.set,
    barrier: Array.from({ length: m }, (_, i) => list(a.barrier.subarray(i * m, (i + 1) * m))),
    clusters: Array.from(a.clusters, (c) => (c < 0 ? null : c)),
    clustering: a.clustering,
    ari: Number.isFinite(a.ari) ? a.ari : null,
    ariInterval: { ...a.ariInterval, lo: finiteOrNull(a.ariInterval.lo), hi: finiteOrNull(a.ariInterval.hi) },
    summary: a.summary,
  };
}

/** What `barriers` writes beside train's fields (and the report reads). */
export type BarrierFields = ReturnType<typeof barrierFields>;
