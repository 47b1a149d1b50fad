import { grokCurve, grokkingCurveVerdict, type Verdict } from '../../core/verdicts/grokking';
import { priorSgdScreenVerdict } from '../../core/verdicts/priorSgd';
import { mapBoundaryDimension } from '../../core/instruments/hypermap/boxDimension';
import { smoothBoundaryCeiling } from '../../core/instruments/hypermap/smoothBoundary';
import type { Band, GeometryResult, HypermapViewResult, PriorViewResult } from '../../worker/protocol';
import { radius, widthComparison } from '../views/geometry/measurePlots';

/** The numbers a finished run puts on screen, as a story's verdict reads them. */
export interface StoryScreen {
  /** the outcome panel's classes and counts (hypotheses, then mixed, unconverged, diverged…) */
  readonly classes: readonly string[];
  readonly counts: readonly number[];
  /** the task's probes, in the order of each curve point's probeAcc */
  readonly probes: readonly string[];
  /** the curves' points: the median and band of training accuracy and of each probe's accuracy */
  readonly curves: readonly { readonly step: number; readonly trainAcc: Band; readonly probeAcc: readonly Band[] }[];
  /** the panels' results on screen, each only while it is of this run (not stale) */
  readonly prior?: PriorViewResult;
  readonly hypermap?: HypermapViewResult & { readonly zooms: number };
  readonly geometry?: GeometryResult;
  /** chance accuracy, 1 / the task's classes (absent: 0) */
  readonly chance?: number;
}

/** "as the story says" or "unlike the story: …", with the numbers it was decided on (one shape with core's verdicts). */
export type { Verdict };

/** A story's test of its own claim against the screen; undefined when the run alone cannot say (a panel answers). */
export type VerdictRule = (screen: StoryScreen) => Verdict | undefined;

const total = (s: StoryScreen) => s.counts.reduce((a, b) => a + b, 0);

/** A class's share of the particles, 0 when the class is not on screen. */
export function share(s: StoryScreen, name: string): number {
  const i = s.classes.indexOf(name);
  const n = total(s);
  return i < 0 || n === 0 ? 0 : s.counts[i] / n;
}

const pct = (x: number) => `${Math.round(100 * x)}%`;

/** "colour 41%, shape 12%" over the named classes, and the particle count. */
function shares(s: StoryScreen, names: readonly string[]): string {
  return `${names.map((n) => `${n} ${pct(share(s, n))}`).join(', ')} of ${total(s)} particles`;
}

const verdict = (agrees: boolean, text: string): Verdict => ({ agrees, text });

/** Every named class holds at least `least` of the particles: the seed splits them. */
export const splitsBetween =
  (names: readonly string[], least: number): VerdictRule =>
  (s) => {
    const low = names.filter((n) => share(s, n) < least);
    return verdict(
      low.length === 0,
      low.length === 0
        ? shares(s, names)
        : `${low.join(' and ')} below ${pct(least)} (${shares(s, names)}), so the seed did not split them`,
    );
  };

/** At least `least` of `names` each hold `atLeast` of the particles. */
export const splitsAmong =
  (names: readonly string[], least: number, atLeast: number): VerdictRule =>
  (s) => {
    const held = names.filter((n) => share(s, n) >= atLeast);
    return verdict(
      held.length >= least,
      held.length >= least
        ? shares(s, names)
        : `only ${held.length} of ${names.join(', ')} held ${pct(atLeast)} or more (${shares(s, names)})`,
    );
  };

/** One class holds at least `atLeast` of the particles. */
export const nearlyAll =
  (name: string, atLeast: number): VerdictRule =>
  (s) => {
    const x = share(s, name);
    return verdict(
      x >= atLeast,
      x >= atLeast ? `${name} ${pct(x)} of ${total(s)} particles` : `${name} holds ${pct(x)}, not ${pct(atLeast)} or more`,
    );
  };

/** `winner` holds at least `atLeast` and more than `times` × `loser`'s share. */
export const wins =
  (winner: string, loser: string, atLeast: number, times: number): VerdictRule =>
  (s) => {
    const [w, l] = [share(s, winner), share(s, loser)];
    const ok = w >= atLeast && w > times * l;
    return verdict(
      ok,
      ok ? shares(s, [winner, loser]) : `${shares(s, [winner, loser])}: ${winner} does not hold ${pct(atLeast)} and ${times}× ${loser}`,
    );
  };

/** The first step at which the median of `acc` reaches `level`, from the curves on screen. */
export function firstReach(s: StoryScreen, acc: (p: StoryScreen['curves'][number]) => Band | undefined, level: number): number | undefined {
  return s.curves.find((p) => (acc(p)?.mid ?? 0) >= level)?.step;
}

/**
 * Grokking: core's one rule (src/core/verdicts/grokking.ts, the findings report's too) on the
 * median curves on screen: held-out accuracy at chance for at least 10× the fitting time after the
 * training pairs are fitted, then rising to 0.9.
 */
export const grokkingSignature =
  (probe: string): VerdictRule =>
  (s) => {
    const p = s.probes.indexOf(probe);
    const chance = s.chance ?? 0;
    const c = grokCurve(
      s.curves.map((q) => q.step),
      s.curves.map((q) => q.trainAcc.mid),
      s.curves.map((q) => q.probeAcc[p]?.mid ?? 0),
      chance,
    );
    return grokkingCurveVerdict(c);
  };

/**
 * Does SGD sample the prior? Core's one rule (src/core/verdicts/priorSgd.ts, the findings report's
 * too) on the Prior vs SGD panel's numbers: Pearson's r of log P_SGD(f) against log P_prior(f) over
 * the functions both found, its 95% bootstrap interval above 0.5 over at least 20 of them; with
 * fewer it cannot tell, and says so. Undefined until the panel has sampled for this run.
 */
export const correlatesWithPrior: VerdictRule = (s) => {
  const r = s.prior;
  if (!r) return undefined;
  return priorSgdScreenVerdict({ ...r.functionCounts, r: r.correlation });
};

/**
 * The trainability boundary is not a smooth curve: its box-counting dimension on the map on
 * screen (the Hyperparameter map panel's, at 33 cells a side or more) is above what smooth
 * boundaries (lines, circles, waves) reach on a map of the same size, their 99th percentile
 * (smoothBoundary.ts): on a coarse map a smooth curve can measure well above 1. Undefined until a
 * map with a measurable boundary is on screen.
 */
export const roughBoundary: VerdictRule = (s) => {
  const m = s.hypermap;
  if (!m || m.outcome !== 'trainability') return undefined;
  const b = mapBoundaryDimension(m.classes, m.counts, m.res);
  const ceiling = smoothBoundaryCeiling(m.res);
  if (!b || ceiling === undefined) return undefined;
  const where = `a ${m.res} × ${m.res} map${m.zooms > 0 ? ` zoomed ${m.zooms === 1 ? 'once' : `${m.zooms} times`}` : ''}`;
  const numbers = `the boundary's box-counting dimension is ${b.dimension.toFixed(2)} on ${where}`;
  const smooth = `(99th percentile of lines, circles and waves on a map this size)`;
  return b.dimension > ceiling
    ? verdict(true, `${numbers}, above the ${ceiling.toFixed(2)} smooth curves reach ${smooth}`)
    : verdict(
        false,
        `${numbers}, and smooth curves reach ${ceiling.toFixed(2)} ${smooth}: this map does not show a boundary rougher than a curve`,
      );
};

/**
 * Is the commoner algorithm the wider basin? The Measure panel's comparison: the class more seeds
 * found (by the outcome panel's counts) has the larger median r50. Undefined until measured, or
 * where the panel has no reading (fewer than 5 measured particles of either class).
 */
export const widerIsCommoner: VerdictRule = (s) => {
  const g = s.geometry;
  if (!g) return undefined;
  const compared = widthComparison(g, { classes: s.classes, counts: s.counts });
  if (typeof compared === 'string') return undefined;
  const { a, b } = compared;
  const r = (x: number) => radius(x, g.width.rMin, g.width.rMax);
  const numbers = `${a.name} (${a.count} particles) has median r50 ${r(a.s.median)}, ${b.name} (${b.count}) ${r(b.s.median)}`;
  if (a.count === b.count) return verdict(false, `${numbers}: both were found equally often`);
  const ok = a.s.median > b.s.median;
  if (ok) return verdict(true, numbers);
  return verdict(false, `${numbers}: ${a.s.median === b.s.median ? 'the same median, so ' : ''}the commoner class is not the wider one`);
};
