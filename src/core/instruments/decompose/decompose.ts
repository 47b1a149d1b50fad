import { PURPOSE_DECOMPOSE, randU32 } from '../../rng';

/**
 * Init seed vs noise seed (McCoy et al. 2019's question, asked of every preset): an I × J matrix
 * of outcomes, cell (i, j) the particle trained from init i with minibatch stream j. How much of
 * the outcome's uncertainty does knowing the init remove, and how much knowing the noise?
 *   H = H(outcome), initShare = I(outcome; init) / H, noiseShare = I(outcome; noise) / H,
 * with I(O; init) = H(O) − mean over inits of H(O | that init), entropies in bits, plug-in.
 * Plug-in mutual information is biased upwards with few cells per row: `shuffledShare` is the share
 * the same estimator gives when the cells are shuffled (no structure at all): a share near it is
 * no evidence of an effect. (It is not a lower bound: when the init decides, every column holds the
 * same outcomes and the noise share is 0, below it.)
 */
export interface OutcomeMatrix {
  /** class index per cell, row-major: init i, noise j at i · noises + j */
  readonly outcomes: Uint8Array;
  readonly inits: number;
  readonly noises: number;
  readonly classes: number;
}

export interface Shares {
  /** entropy of the outcome over all cells, bits */
  readonly h: number;
  /** mean entropy within an init's row, bits */
  readonly hGivenInit: number;
  /** mean entropy within a noise stream's column, bits */
  readonly hGivenNoise: number;
  /** I(outcome; init) / H; NaN when H = 0 (one outcome: nothing to explain) */
  readonly initShare: number;
  readonly noiseShare: number;
}

function entropy(counts: ArrayLike<number>, total: number): number {
  let h = 0;
  for (let c = 0; c < counts.length; c++) {
    if (counts[c] > 0) {
      const p = counts[c] / total;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

/**
 * The shares of a matrix whose rows are `rows[a]` and columns `cols[b]` of `m` (a bootstrap
 * resample picks rows and columns with replacement; the identity picks each once).
 */
export function sharesOf(
  m: OutcomeMatrix,
  rows: ArrayLike<number> = identity(m.inits),
  cols: ArrayLike<number> = identity(m.noises),
): Shares {
  const k = m.classes;
  const all = new Float64Array(k);
  const byRow = new Float64Array(rows.length * k);
  const byCol = new Float64Array(cols.length * k);
  for (let a = 0; a < rows.length; a++) {
    for (let b = 0; b < cols.length; b++) {
      const o = m.outcomes[rows[a] * m.noises + cols[b]];
      all[o]++;
      byRow[a * k + o]++;
      byCol[b * k + o]++;
    }
  }
  const h = entropy(all, rows.length * cols.length);
  let hGivenInit = 0;
  for (let a = 0; a < rows.length; a++) hGivenInit += entropy(byRow.subarray(a * k, (a + 1) * k), cols.length);
  hGivenInit /= rows.length;
  let hGivenNoise = 0;
  for (let b = 0; b < cols.length; b++) hGivenNoise += entropy(byCol.subarray(b * k, (b + 1) * k), rows.length);
  hGivenNoise /= cols.length;
  // rounding can leave −1e-16 for an exactly uninformative factor: shares are never negative
  const share = (hGiven: number) => (h > 0 ? Math.max(0, (h - hGiven) / h) : NaN);
  return { h, hGivenInit, hGivenNoise, initShare: share(hGivenInit), noiseShare: share(hGivenNoise) };
}

const identity = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

/** Share of each init's row in that row's most common class. */
export function purity(m: OutcomeMatrix): Float64Array {
  const out = new Float64Array(m.inits);
  const counts = new Uint32Array(m.classes);
  for (let i = 0; i < m.inits; i++) {
    counts.fill(0);
    for (let j = 0; j < m.noises; j++) counts[m.outcomes[i * m.noises + j]]++;
    out[i] = Math.max(...counts) / m.noises;
  }
  return out;
}

export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

export interface Decomposition extends Shares {
  readonly initShareInterval: Interval;
  readonly noiseShareInterval: Interval;
  /** the shares after shuffling all cells (mean over shuffles): the estimator's floor at this I, J */
  readonly shuffledShare: { readonly init: number; readonly noise: number };
  readonly purity: Float64Array;
  readonly bootstrap: { readonly resamples: number; readonly seed: number; readonly method: string };
}

function percentile(values: number[], q: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = q * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/**
 * The decomposition with 95% percentile intervals from a crossed bootstrap: each resample draws
 * I inits and J noise streams with replacement and takes the cells where they cross, since both
 * the inits and the noise streams are samples from their populations.
 */
export function decompose(m: OutcomeMatrix, resamples = 1000, seed = 0, shuffles = 20): Decomposition {
  const base = sharesOf(m);
  const draw = (r: number, which: number, n: number) =>
    Uint32Array.from({ length: n }, (_, s) => randU32(seed, r, PURPOSE_DECOMPOSE, which, s) % n);
  const initShares: number[] = [];
  const noiseShares: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const s = sharesOf(m, draw(r, 0, m.inits), draw(r, 1, m.noises));
    initShares.push(s.initShare);
    noiseShares.push(s.noiseShare);
  }
  // shuffled: a random permutation of all cells (Fisher–Yates on the stream), then the same estimator
  let shuffledInit = 0;
  let shuffledNoise = 0;
  for (let t = 0; t < shuffles; t++) {
    const cells = Uint8Array.from(m.outcomes);
    for (let a = cells.length - 1; a > 0; a--) {
      const b = randU32(seed, t, PURPOSE_DECOMPOSE, 2, a) % (a + 1);
      [cells[a], cells[b]] = [cells[b], cells[a]];
    }
    const s = sharesOf({ ...m, outcomes: cells });
    shuffledInit += (s.initShare || 0) / shuffles;
    shuffledNoise += (s.noiseShare || 0) / shuffles;
  }
  const interval = (value: number, xs: number[]): Interval => ({ value, low: percentile(xs, 0.025), high: percentile(xs, 0.975) });
  return {
    ...base,
    initShareInterval: interval(base.initShare, initShares),
    noiseShareInterval: interval(base.noiseShare, noiseShares),
    shuffledShare: { init: shuffledInit, noise: shuffledNoise },
    purity: purity(m),
    bootstrap: {
      resamples,
      seed,
      method:
        'crossed bootstrap: each resample draws the inits and the noise streams with replacement and keeps the cells where they cross; 2.5th and 97.5th percentiles',
    },
  };
}
