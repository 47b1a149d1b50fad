/**
 * The report's verdicts as criteria over measured numbers: each a pure function that says whether
 * the measurement agrees with the paper's claim and writes the sentence with the numbers it read,
 * so that no "Agrees" is typed and each criterion can be fed a case on either side in tests.
 * Grokking's rule lives in core, shared with the sandbox's grokking story.
 */
import type { Fraction } from '../core/stats';
import type { Verdict } from '../core/verdicts/grokking';

export { GROKKING_PLATEAU_RATIO, grokkingVerdict, type GrokCurve, type Verdict } from '../core/verdicts/grokking';

/** The sweep's shares never fall from one point to the next (and the claim is that they rise). */
export const risesSteadily = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || x >= xs[i - 1]);

/** The sweep points at which both classes hold at least `least` of the seeds: there the seed decides between them. */
export const bothHold = <T>(points: readonly T[], a: readonly number[], b: readonly number[], least = 0.1): T[] =>
  points.filter((_, i) => a[i] >= least && b[i] >= least);

/** Every share is at least `least`: nearly every seed takes the claimed feature. */
export const allAtLeast = (xs: readonly number[], least = 0.9): boolean => xs.every((x) => x >= least);

/** A difference between two classes' medians with its 95% interval (src/core/maths/medianDifference.ts). */
export interface ClassDifference {
  readonly difference: number;
  readonly lo: number;
  readonly hi: number;
}

/** The side of zero a difference's interval lies on: 'below', 'above', or 'unclear' (it holds 0, or there is none). */
export function side(d: ClassDifference): 'below' | 'above' | 'unclear' {
  if (!Number.isFinite(d.lo) || !Number.isFinite(d.hi)) return 'unclear';
  return d.hi < 0 ? 'below' : d.lo > 0 ? 'above' : 'unclear';
}

/** One salience of the headline question: the class more seeds find against the other, by measure (more-found minus other). */
export interface HeadlineRow {
  readonly salience: number;
  readonly more: string;
  readonly less: string;
  readonly sharpness: ClassDifference;
  readonly r50: ClassDifference;
  readonly llc?: ClassDifference;
  /** the two classes' shares of the seeds with their 95% Wilson intervals; without them the row is judged */
  readonly shares?: { readonly more: Fraction; readonly less: Fraction };
}

/** One class is found more than the other when the two shares' 95% Wilson intervals do not overlap. */
export const foundMore = (shares: { readonly more: Fraction; readonly less: Fraction }): boolean => shares.more.low > shares.less.high;

export const HEADLINE_CRITERION =
  'at every salience where one class is found more (the two shares\u2019 95% Wilson intervals apart), the class more seeds find has the lower median top Hessian eigenvalue and the larger median r50, each difference\u2019s 95% bootstrap interval excluding 0';

const pct = (f: Fraction) => `${(100 * f.fraction).toFixed(1)}% [${(100 * f.low).toFixed(1)}, ${(100 * f.high).toFixed(1)}]`;

const fmtDiff = (d: ClassDifference) =>
  Number.isFinite(d.lo)
    ? `${d.difference.toPrecision(2)} [${d.lo.toPrecision(2)}, ${d.hi.toPrecision(2)}]`
    : `${d.difference.toPrecision(2)} [no interval]`;

/**
 * The headline question (is the class more seeds find the flatter, wider one?): Agrees when
 * HEADLINE_CRITERION holds; otherwise Differs, naming each salience and measure that failed and how.
 */
export function headlineVerdict(allRows: readonly HeadlineRow[]): Verdict {
  // a salience where the two are found about equally often has no "more-found" class to judge
  const balanced = allRows.filter((r) => r.shares && !foundMore(r.shares));
  const rows = allRows.filter((r) => !balanced.includes(r));
  const balancedLine =
    balanced.length > 0
      ? ` Not judged: ${balanced.map((r) => `at ${r.salience} ${r.more} ${pct(r.shares!.more)} and ${r.less} ${pct(r.shares!.less)} are found about equally often`).join('; ')}.`
      : '';
  if (rows.length === 0)
    return {
      agrees: false,
      text: `Differs: no salience had one class found more than the other to compare (the criterion: ${HEADLINE_CRITERION}).${balancedLine}`,
    };
  const failures: string[] = [];
  for (const r of rows) {
    const flat = side(r.sharpness);
    const wide = side(r.r50);
    if (flat !== 'below')
      failures.push(
        `at ${r.salience} ${r.more} is ${flat === 'above' ? 'sharper' : 'not measurably flatter'} than ${r.less} (top eigenvalue ${fmtDiff(r.sharpness)})`,
      );
    if (wide !== 'above')
      failures.push(
        `at ${r.salience} ${r.more} is ${wide === 'below' ? 'narrower' : 'not measurably wider'} than ${r.less} (r50 ${fmtDiff(r.r50)})`,
      );
  }
  const llc = allRows
    .filter((r) => r.llc)
    .map(
      (r) => `${r.salience}: ${fmtDiff(r.llc!)}${side(r.llc!) === 'unclear' ? '' : side(r.llc!) === 'below' ? ' (lower)' : ' (higher)'}`,
    );
  const llcLine = llc.length > 0 ? ` The LLC, more-found minus other, by salience: ${llc.join('; ')}.` : '';
  if (failures.length === 0)
    return {
      agrees: true,
      text: `Agrees: ${HEADLINE_CRITERION} (differences more-found minus other: ${rows.map((r) => `${r.salience}: top eigenvalue ${fmtDiff(r.sharpness)}, r50 ${fmtDiff(r.r50)}`).join('; ')}).${balancedLine}${llcLine}`,
    };
  return { agrees: false, text: `Differs: ${failures.join('; ')}. The criterion: ${HEADLINE_CRITERION}.${balancedLine}${llcLine}` };
}

/** Aligned barriers within and between two classes, and how well barrier clusters match the classes. */
export interface AlignedBarrierRow {
  readonly set: string;
  /** median barrier within each class, and between the two; the quartiles, where known, are printed beside each */
  readonly within: readonly { readonly name: string; readonly median: number; readonly q1?: number; readonly q3?: number }[];
  readonly between: number;
  readonly betweenQ1?: number;
  readonly betweenQ3?: number;
  readonly ari: number;
  readonly ariLo: number;
  readonly ariHi: number;
}

/** The between-class barrier must be this many times the larger within-class one. */
export const BARRIER_RATIO = 2;

export const BARRIER_CRITERION = `after alignment, the median barrier between the classes is at least ${BARRIER_RATIO}× the larger within-class median, and the barrier clusters match the classes (the adjusted Rand index\u2019s 95% interval above 0)`;

/** A median with its interquartile range when known: `0.012 [0.0040, 0.031]`. */
const withIqr = (median: number, q1?: number, q3?: number) =>
  q1 !== undefined && q3 !== undefined && Number.isFinite(q1) && Number.isFinite(q3)
    ? `${median.toPrecision(2)} [${q1.toPrecision(2)}, ${q3.toPrecision(2)}]`
    : median.toPrecision(2);

/** The textbook's picture (different algorithms lie in basins separated by barriers): Agrees when BARRIER_CRITERION holds on every set measured. */
export function alignedBarrierVerdict(rows: readonly AlignedBarrierRow[]): Verdict {
  const fails: string[] = [];
  const numbers = rows.map((r) => {
    const worst = Math.max(...r.within.map((w) => w.median));
    const ratio = r.between / worst;
    const ratioOk = Number.isFinite(ratio) && ratio >= BARRIER_RATIO;
    const ariOk = Number.isFinite(r.ariLo) && r.ariLo > 0;
    if (worst === 0 && r.between === 0) fails.push(`on ${r.set} there is no barrier within the classes or between them (every median 0)`);
    else if (!ratioOk)
      fails.push(
        `on ${r.set} the between-class barrier is ${Number.isFinite(ratio) ? ratio.toFixed(2) : '—'}× the larger within-class one`,
      );
    if (!ariOk)
      fails.push(
        `on ${r.set} the clusters do not match the classes beyond chance (ARI interval ${Number.isFinite(r.ariLo) ? `${r.ariLo.toFixed(3)} to ${r.ariHi.toFixed(3)}` : 'undefined'})`,
      );
    const ari = Number.isFinite(r.ari)
      ? `${r.ari.toFixed(3)} [${Number.isFinite(r.ariLo) ? `${r.ariLo.toFixed(3)}, ${r.ariHi.toFixed(3)}` : 'no interval'}]`
      : '—';
    return `${r.set}: median barrier between ${withIqr(r.between, r.betweenQ1, r.betweenQ3)}, within ${r.within.map((w) => `${w.name} ${withIqr(w.median, w.q1, w.q3)}`).join(', ')}, ARI ${ari}`;
  });
  if (rows.length === 0) return { agrees: false, text: `Differs: no set was measured (the criterion: ${BARRIER_CRITERION}).` };
  return fails.length === 0
    ? { agrees: true, text: `Agrees: ${BARRIER_CRITERION} (${numbers.join('; ')}).` }
    : { agrees: false, text: `Differs: ${fails.join('; ')} (${numbers.join('; ')}). The criterion: ${BARRIER_CRITERION}.` };
}
