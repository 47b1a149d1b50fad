import type { PriorResult } from '../../engine';
import { PURPOSE_PRIOR, randU32 } from '../../rng';
import { quantiles, wilson, type Fraction } from '../../stats';
import type { Task } from '../../task';
import { domainRows, functionWords } from './priorSampler';

/** Fewer accepted samples than this, and P_prior(f) is not estimated: say so instead. */
export const MIN_ACCEPTED = 10;
/** Fewer functions found by both than this, and the correlation is not estimated. */
export const MIN_SHARED_FUNCTIONS = 5;
const RESAMPLES = 1000;

/** A set of functions as bit strings, [count][words] (PriorResult.bits' layout). */
export interface FunctionSample {
  readonly bits: Uint32Array;
  readonly count: number;
}

export interface FunctionRow {
  /** the function on every domain row (train rows, then each probe's), as hex: digit k holds rows 4k..4k+3, row 4k its highest bit */
  readonly bits: string;
  /** the share of the first probe's rows it labels differently from the probe */
  readonly generalisationError: number;
  readonly priorCount: number;
  readonly sgdCount: number;
}

export interface Correlation {
  /** Pearson's r of log10 P_SGD(f) against log10 P_prior(f), over the functions both found */
  readonly value: number;
  /** 95% bootstrap interval, resampling those functions */
  readonly low: number;
  readonly high: number;
  /** Spearman's rank correlation of the same pairs (ties take their mean rank), with its 95% bootstrap interval */
  readonly spearman: { readonly value: number; readonly low: number; readonly high: number };
  readonly functions: number;
}

/** How many distinct functions each side found: both, or one side only (those have no place on log axes). */
export interface FunctionCounts {
  readonly both: number;
  readonly priorOnly: number;
  readonly sgdOnly: number;
}

export interface MeanError {
  /** mean generalisation error over the networks (each accepted sample, or each fitted particle) */
  readonly value: number;
  /** 95% interval: bootstrap over the networks, or the normal approximation beyond BOOTSTRAP_MAX of them */
  readonly low: number;
  readonly high: number;
  readonly method: 'bootstrap' | 'normal';
  readonly networks: number;
}

/** More networks than this, and the mean error's interval is the normal approximation (a bootstrap would take seconds). */
const BOOTSTRAP_MAX = 20000;

export interface PriorComparison {
  readonly samples: number;
  readonly accepted: number;
  readonly acceptance: Fraction;
  readonly sgdParticles: number;
  /** SGD particles that fit every training row (the only ones whose function counts) */
  readonly sgdFitted: number;
  readonly sgdFit: Fraction;
  /** functions, most frequent (prior plus SGD) first */
  readonly functions: FunctionRow[];
  /** of the fitted SGD particles, the share whose function the prior also produced */
  readonly sgdOnPriorFunctions: Fraction | null;
  readonly functionCounts: FunctionCounts;
  readonly correlation: Correlation | null;
  /** mean generalisation error of the prior's accepted samples and of the fitted SGD particles; null for none */
  readonly meanError: { readonly prior: MeanError | null; readonly sgd: MeanError | null };
  /** why something above is null, in a sentence */
  readonly problems: string[];
}

/** Function k of a sample as hex: digit j holds rows 4j..4j+3, the lowest row in its highest bit. */
export function functionHex(bits: Uint32Array, k: number, rows: number): string {
  const words = functionWords(rows);
  let hex = '';
  for (let d = 0; d < Math.ceil(rows / 4); d++) {
    let digit = 0;
    for (let j = 0; j < 4; j++) {
      const r = 4 * d + j;
      const bit = r < rows ? (bits[k * words + (r >>> 5)] >>> (r & 31)) & 1 : 0;
      digit = (digit << 1) | bit;
    }
    hex += digit.toString(16);
  }
  return hex;
}

/** The share of the first probe's rows that function k labels differently from the probe. */
export function probeError(task: Task, bits: Uint32Array, k: number): number {
  const probe = task.probes[0]?.data;
  if (!probe || probe.rows === 0) return NaN;
  const words = functionWords(domainRows(task));
  let wrong = 0;
  for (let row = 0; row < probe.rows; row++) {
    const r = task.train.rows + row;
    if (((bits[k * words + (r >>> 5)] >>> (r & 31)) & 1) !== probe.y[row]) wrong++;
  }
  return wrong / probe.rows;
}

/** Pearson's r of two equal-length lists (NaN when either is constant). */
function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Ranks from 1, ties given their mean rank. */
function ranks(xs: number[]): number[] {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && xs[order[j + 1]] === xs[order[i]]) j++;
    for (let k = i; k <= j; k++) out[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's rank correlation: Pearson's r of the ranks. */
const spearman = (xs: number[], ys: number[]) => pearson(ranks(xs), ranks(ys));

/** A statistic's 95% interval from its bootstrap values (a resample with a constant side gives NaN, which quantiles leaves out). */
const interval = (values: number[]) => quantiles(values, [0.025, 0.975]);

/**
 * Pearson's r (and Spearman's) of log P_SGD(f) against log P_prior(f) over the functions both sides
 * found, with 95% bootstrap intervals (resampling functions, host-side stream of `seed`); null with
 * fewer than MIN_SHARED_FUNCTIONS of them or with every one equally frequent on one side.
 */
export function logProbabilityCorrelation(
  rows: readonly FunctionRow[],
  accepted: number,
  fitted: number,
  seed: number,
): Correlation | null {
  const both = rows.filter((f) => f.priorCount > 0 && f.sgdCount > 0);
  if (both.length < MIN_SHARED_FUNCTIONS) return null;
  const x = both.map((f) => Math.log10(f.priorCount / accepted));
  const y = both.map((f) => Math.log10(f.sgdCount / fitted));
  // every shared function equally frequent on one side: there is no slope to speak of
  if (new Set(x).size < 2 || new Set(y).size < 2) return null;
  const rs: number[] = [];
  const rhos: number[] = [];
  for (let b = 0; b < RESAMPLES; b++) {
    const pick = both.map((_, i) => randU32(seed, b, PURPOSE_PRIOR, 1, i) % both.length);
    const px = pick.map((i) => x[i]);
    const py = pick.map((i) => y[i]);
    rs.push(pearson(px, py));
    rhos.push(spearman(px, py));
  }
  const [low, high] = interval(rs);
  const [rhoLow, rhoHigh] = interval(rhos);
  return { value: pearson(x, y), low, high, spearman: { value: spearman(x, y), low: rhoLow, high: rhoHigh }, functions: both.length };
}

/** The mean of errors[k] weighted by counts[k] (networks per function), with its 95% interval. */
function meanError(errors: number[], counts: number[], seed: number, stream: number): MeanError | null {
  const values = errors.flatMap((e, k) => (Number.isFinite(e) ? new Array<number>(counts[k]).fill(e) : []));
  const n = values.length;
  if (n === 0) return null;
  const value = values.reduce((a, b) => a + b, 0) / n;
  if (n > BOOTSTRAP_MAX) {
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - value) ** 2, 0) / (n - 1));
    const half = (1.959963984540054 * sd) / Math.sqrt(n);
    return { value, low: value - half, high: value + half, method: 'normal', networks: n };
  }
  const means: number[] = [];
  for (let b = 0; b < RESAMPLES; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[randU32(seed, stream * RESAMPLES + b, PURPOSE_PRIOR, 2, i) % n];
    means.push(sum / n);
  }
  const [low, high] = quantiles(means, [0.025, 0.975]);
  return { value, low, high, method: 'bootstrap', networks: n };
}

/**
 * Counts each function the prior's accepted samples and the fitted SGD particles compute, and
 * compares the two distributions: P_prior(f) = priorCount / accepted, P_SGD(f) = sgdCount / fitted.
 */
export function comparePriorAndSgd(
  task: Task,
  samples: number,
  prior: PriorResult,
  sgd: FunctionSample,
  sgdParticles: number,
  seed: number,
): PriorComparison {
  const rows = domainRows(task);
  const accepted = prior.accepted.length;
  const table = new Map<string, { generalisationError: number; priorCount: number; sgdCount: number }>();
  const add = (bits: Uint32Array, k: number, side: 'priorCount' | 'sgdCount') => {
    const hex = functionHex(bits, k, rows);
    let entry = table.get(hex);
    if (!entry) table.set(hex, (entry = { generalisationError: probeError(task, bits, k), priorCount: 0, sgdCount: 0 }));
    entry[side]++;
  };
  for (let k = 0; k < accepted; k++) add(prior.bits, k, 'priorCount');
  for (let k = 0; k < sgd.count; k++) add(sgd.bits, k, 'sgdCount');
  const functions = [...table]
    .map(([bits, e]) => ({ bits, ...e }))
    .sort((a, b) => b.priorCount + b.sgdCount - (a.priorCount + a.sgdCount) || (a.bits < b.bits ? -1 : 1));
  const problems: string[] = [];
  if (accepted < MIN_ACCEPTED)
    problems.push(
      `only ${accepted} of ${samples} prior samples fit the training set (fewer than ${MIN_ACCEPTED}): too few to estimate P_prior(f); sample more (--samples) or train on fewer points`,
    );
  if (sgd.count === 0) problems.push(`none of the ${sgdParticles} SGD particles fits every training row: there is no P_SGD(f) to compare`);
  const onPrior = functions.reduce((n, f) => n + (f.priorCount > 0 ? f.sgdCount : 0), 0);
  const enough = accepted >= MIN_ACCEPTED && sgd.count > 0;
  const correlation = enough ? logProbabilityCorrelation(functions, accepted, sgd.count, seed) : null;
  const shared = functions.filter((f) => f.priorCount > 0 && f.sgdCount > 0).length;
  if (enough && !correlation)
    problems.push(
      shared < MIN_SHARED_FUNCTIONS
        ? `fewer than ${MIN_SHARED_FUNCTIONS} functions were found by both the prior and SGD: no correlation between P_prior(f) and P_SGD(f) is estimated`
        : `the ${shared} functions found by both are equally frequent on one side: no correlation between P_prior(f) and P_SGD(f) is estimated`,
    );
  return {
    samples,
    accepted,
    acceptance: wilson(accepted, samples),
    sgdParticles,
    sgdFitted: sgd.count,
    sgdFit: wilson(sgd.count, sgdParticles),
    functions,
    sgdOnPriorFunctions: enough ? wilson(onPrior, sgd.count) : null,
    functionCounts: {
      both: shared,
      priorOnly: functions.filter((f) => f.priorCount > 0 && f.sgdCount === 0).length,
      sgdOnly: functions.filter((f) => f.sgdCount > 0 && f.priorCount === 0).length,
    },
    correlation,
    meanError: {
      prior: meanError(
        functions.map((f) => f.generalisationError),
        functions.map((f) => f.priorCount),
        seed,
        0,
      ),
      sgd: meanError(
        functions.map((f) => f.generalisationError),
        functions.map((f) => f.sgdCount),
        seed,
        1,
      ),
    },
    problems,
  };
}
