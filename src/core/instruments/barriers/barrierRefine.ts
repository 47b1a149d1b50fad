/**
 * Refinement of every line's barrier around its highest point. An evenly spaced grid of 10 points
 * reads the peak of a smooth hump low by a few percent (a median 4% and up to 9.5% against 201
 * points on trained thneeb pairs); 100 points fix that at ten times the cost. Instead, after the
 * coarse grid, each round puts `perRound` evenly spaced points inside the bracket formed by the
 * best point's two neighbours, and the next bracket is the new best point's neighbours: with an
 * odd `perRound` the old best is the new grid's centre, so the bracket shrinks by
 * 2 / (perRound + 1) each round, around the same hump. Lines between unrelated networks can have
 * several humps, and the highest coarse point need not sit on the highest: `peaks` brackets per
 * line follow its highest coarse points. A hump narrower than the
 * coarse spacing that no coarse point sees can still be missed; `--points` is the remedy.
 */

export interface BarrierRefinement {
  /** rounds of refinement after the coarse grid (0: the coarse grid alone) */
  readonly rounds: number;
  /** new points per bracket per round; odd, so that the best point so far is the new grid's centre */
  readonly perRound: number;
  /** brackets per line, around its highest coarse points (ends included where the line falls from them) */
  readonly peaks: number;
}

export const DEFAULT_REFINEMENT: BarrierRefinement = { rounds: 3, perRound: 5, peaks: 3 };

/**
 * Losses at `ss` (positions strictly inside [0, 1]) along the sub-lines from t = lo[q] to
 * t = hi[q] of the lines `lines[q]` (a line may come more than once): [q][s].
 */
export type SegmentLosses = (lines: Uint32Array, lo: Float64Array, hi: Float64Array, ss: Float32Array) => Promise<Float64Array>;

export interface RefinedBarriers {
  /** per line: max over every evaluated t of L(t) − ((1 − t)·L(0) + t·L(1)), clipped at 0; NaN where a loss was not finite */
  readonly barrier: Float64Array;
  /** per line, where that maximum was found (0 where the barrier is 0 at the ends) */
  readonly peakT: Float64Array;
  /** the final bracket's width around an interior peak: the spacing of points near it is this over (perRound + 1) / 2 */
  readonly bracket: number;
}

/**
 * Brackets to refine, as [lo, hi] coarse indices around the `peaks` highest coarse points. An end
 * is a candidate (at rise 0) when its neighbour lies below it: a hump narrower than the coarse
 * spacing next to an end shows only as that. Not only local maxima: two humps closer than the
 * coarse spacing show as one slope, and the second-highest point's bracket holds the other.
 */
function coarseBrackets(rise: Float64Array, peaks: number): [number, number][] {
  const n = rise.length;
  const candidates = Array.from({ length: n - 2 }, (_, k) => k + 1);
  if (rise[1] <= rise[0]) candidates.push(0);
  if (rise[n - 2] <= rise[n - 1]) candidates.push(n - 1);
  candidates.sort((a, b) => rise[b] - rise[a] || a - b);
  return candidates.slice(0, peaks).map((k) => [Math.max(0, k - 1), Math.min(n - 1, k + 1)]);
}

/**
 * Barriers of `lines` lines from their losses `coarse(line, k)` at the coarse positions `ts`
 * (ts[0] = 0, ts[last] = 1), refined around each line's highest points by `segments`.
 */
export async function refineBarriers(
  lines: number,
  ts: ArrayLike<number>,
  coarse: (line: number, k: number) => number,
  segments: SegmentLosses,
  settings: BarrierRefinement = DEFAULT_REFINEMENT,
): Promise<RefinedBarriers> {
  const { rounds, perRound, peaks } = settings;
  if (!Number.isInteger(perRound) || perRound < 1 || perRound % 2 === 0) throw new RangeError(`perRound must be odd, got ${perRound}`);
  const n = ts.length;
  const l0 = new Float64Array(lines);
  const l1 = new Float64Array(lines);
  const best = new Float64Array(lines);
  const peakT = new Float64Array(lines);
  // the brackets being refined: line, lo, hi
  let live: { line: number; lo: number; hi: number }[] = [];
  const rise = new Float64Array(n);
  for (let line = 0; line < lines; line++) {
    l0[line] = coarse(line, 0);
    l1[line] = coarse(line, n - 1);
    let finite = true;
    for (let k = 0; k < n; k++) {
      const loss = coarse(line, k);
      if (!Number.isFinite(loss)) finite = false;
      rise[k] = loss - ((1 - ts[k]) * l0[line] + ts[k] * l1[line]);
    }
    if (!finite) {
      best[line] = NaN;
      peakT[line] = NaN;
      continue;
    }
    if (n <= 2) continue;
    let top = 1;
    for (let k = 2; k < n - 1; k++) if (rise[k] > rise[top]) top = k;
    best[line] = Math.max(0, rise[top]);
    peakT[line] = rise[top] > 0 ? ts[top] : 0;
    for (const [lo, hi] of coarseBrackets(rise, peaks)) live.push({ line, lo: ts[lo], hi: ts[hi] });
  }
  let bracket = n > 2 ? 2 / (n - 1) : 1;
  const ss = Float32Array.from({ length: perRound }, (_, j) => (j + 1) / (perRound + 1));
  const grid = new Float64Array(perRound + 2);
  const gridRise = new Float64Array(perRound + 2);
  for (let round = 0; round < rounds && live.length > 0; round++) {
    const losses = await segments(
      Uint32Array.from(live, (b) => b.line),
      Float64Array.from(live, (b) => b.lo),
      Float64Array.from(live, (b) => b.hi),
      ss,
    );
    const still: typeof live = [];
    live.forEach(({ line, lo, hi }, q) => {
      if (Number.isNaN(best[line])) return;
      grid[0] = lo;
      grid[perRound + 1] = hi;
      // the bracket's ends are known points below its best; only their positions matter
      gridRise[0] = gridRise[perRound + 1] = -Infinity;
      let a = 0;
      for (let j = 1; j <= perRound; j++) {
        grid[j] = lo + ss[j - 1] * (hi - lo);
        const loss = losses[q * perRound + j - 1];
        if (!Number.isFinite(loss)) {
          best[line] = NaN;
          peakT[line] = NaN;
          return;
        }
        gridRise[j] = loss - ((1 - grid[j]) * l0[line] + grid[j] * l1[line]);
        if (gridRise[j] > gridRise[a]) a = j;
      }
      if (gridRise[a] > best[line]) [best[line], peakT[line]] = [gridRise[a], grid[a]];
      still.push({ line, lo: grid[a - 1], hi: grid[a + 1] });
    });
    live = still.filter((b) => !Number.isNaN(best[b.line]));
    bracket *= 2 / (perRound + 1);
  }
  return { barrier: best, peakT, bracket };
}

/**
 * The end points of sub-lines [lo, hi] of lines between `vectors`' pairs, computed in float64 and
 * stored as float32: (1 − lo)·a + lo·b then (1 − hi)·a + hi·b for each requested line, so that
 * the engines' evaluateLines can walk them with positions s ∈ (0, 1).
 */
export function segmentEnds(
  vectors: Float32Array,
  p: number,
  pairs: Uint32Array,
  lines: Uint32Array,
  lo: Float64Array,
  hi: Float64Array,
): Float32Array {
  const out = new Float32Array(lines.length * 2 * p);
  lines.forEach((line, q) => {
    const a = pairs[2 * line] * p;
    const b = pairs[2 * line + 1] * p;
    for (let k = 0; k < p; k++) {
      out[2 * q * p + k] = (1 - lo[q]) * vectors[a + k] + lo[q] * vectors[b + k];
      out[(2 * q + 1) * p + k] = (1 - hi[q]) * vectors[a + k] + hi[q] * vectors[b + k];
    }
  });
  return out;
}
