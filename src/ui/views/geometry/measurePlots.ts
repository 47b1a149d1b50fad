import { MIN_CLASS_SIZE, spread } from '../../../core/maths/classSpread';
import type { GeometryResult } from '../../../worker/protocol';

/**
 * What each box plot of "Measure sharpness, width, LLC" draws: the ordinary values only. A value
 * that is not one — an eigenvalue that did not converge, an r50 beyond the radius grid, an LLC with
 * a problem — is left out of the box and counted in its class's note instead.
 */
export interface MeasurePlot {
  /** per measured particle; NaN where it is not drawn */
  readonly values: Float64Array;
  /** outcome class per measured particle */
  readonly labels: Int32Array;
  /** per class, what was left out and why; undefined where nothing was */
  readonly notes: (string | undefined)[];
}

/** Per class, "3 did not converge, 1 not measured" from counts of each reason. */
function notesOf(r: GeometryResult, reason: (i: number) => string | undefined): (string | undefined)[] {
  const counts = r.classes.map(() => new Map<string, number>());
  for (let i = 0; i < r.particles; i++) {
    const why = reason(i);
    if (why) counts[r.outcomes[i]].set(why, (counts[r.outcomes[i]].get(why) ?? 0) + 1);
  }
  return counts.map((m) => (m.size === 0 ? undefined : [...m].map(([why, k]) => `${k} ${why}`).join(', ')));
}

const labelsOf = (r: GeometryResult) => Int32Array.from(r.outcomes);

export function sharpnessPlot(r: GeometryResult): MeasurePlot {
  const s = r.sharpness;
  return {
    values: s.topEigenvalue.map((x, i) => (s.converged[i] ? x : NaN)),
    labels: labelsOf(r),
    notes: notesOf(r, (i) => (s.converged[i] ? undefined : s.iterations[i] === 0 ? 'not measured (not finite)' : 'did not converge')),
  };
}

export function widthPlot(r: GeometryResult): MeasurePlot {
  const { r50, rMin, rMax } = r.width;
  return {
    values: r50.map((x) => (x > 0 && Number.isFinite(x) ? x : NaN)),
    labels: labelsOf(r),
    notes: notesOf(r, (i) =>
      r50[i] === Infinity
        ? `> ${rMax} (beyond the grid)`
        : r50[i] === 0
          ? `< ${rMin} (below the grid)`
          : Number.isNaN(r50[i])
            ? 'diverged'
            : undefined,
    ),
  };
}

export function llcPlot(r: GeometryResult): MeasurePlot | undefined {
  const l = r.llc;
  if (!l) return undefined;
  return {
    values: l.llc.map((x, i) => (l.problems[i] === undefined ? x : NaN)),
    labels: labelsOf(r),
    notes: notesOf(r, (i) => (l.problems[i] === undefined ? undefined : 'with a problem (llcProblem)')),
  };
}

/** How many particles of each class the whole ensemble holds: the outcome panel's counts. */
export interface EnsembleCounts {
  readonly classes: readonly string[];
  readonly counts: readonly number[];
}

/** One of the two classes compared: its name, the particles the ensemble holds, those measured, and the spread of their r50. */
export interface WidthSide {
  readonly name: string;
  readonly count: number;
  readonly measured: number;
  readonly s: ReturnType<typeof spread>;
}

/**
 * Does the algorithm more seeds found have the larger median r50? Between the two hypotheses
 * found most often (mixed, unconverged and diverged are not algorithms), each needing
 * MIN_CLASS_SIZE particles with an r50. "Found most often" is by the whole ensemble's counts when
 * given (the outcome panel's: the measured particles are a sample of it, and their own majority
 * may differ), else among the measured particles. Censored r50s count at their bound (as the
 * geometry command's medians count them). `a` is the commoner class; a string says why there is no
 * reading.
 */
export function widthComparison(r: GeometryResult, ensemble?: EnsembleCounts): { a: WidthSide; b: WidthSide } | string {
  const hypotheses = r.classes.slice(0, r.classes.length - 3);
  const found = hypotheses
    .map((name, c): WidthSide => {
      const values: number[] = [];
      let measured = 0;
      for (let i = 0; i < r.particles; i++) {
        if (r.outcomes[i] !== c) continue;
        measured++;
        values.push(r.width.r50[i]);
      }
      const k = ensemble?.classes.indexOf(name) ?? -1;
      const count = ensemble && k >= 0 ? ensemble.counts[k] : measured;
      return { name, count, measured, s: spread(values) };
    })
    .sort((a, b) => b.count - a.count);
  const [a, b] = found;
  if (!a || !b) return 'No reading: the task has fewer than two algorithms to compare.';
  const short = [a, b].filter((x) => x.s.n < MIN_CLASS_SIZE);
  if (short.length > 0) {
    const which = short.map((x) => `${x.name} has ${x.s.n}`).join(', ');
    return `No reading: comparing ${a.name} with ${b.name} needs ${MIN_CLASS_SIZE} measured particles of each (${which}).`;
  }
  return { a, b };
}

/** "0.512", "> 4" or "< 0.01": a median r50 as the box plot's axis would read it. */
export const radius = (x: number, rMin: number, rMax: number) => (x === Infinity ? `> ${rMax}` : x === 0 ? `< ${rMin}` : x.toPrecision(3));

/** One line on the textbook claim, computed (widthComparison), as the Measure panel prints it. */
export function widthReading(r: GeometryResult, ensemble?: EnsembleCounts): string {
  const compared = widthComparison(r, ensemble);
  if (typeof compared === 'string') return compared;
  const { a, b } = compared;
  const { rMin, rMax } = r.width;
  const ma = radius(a.s.median, rMin, rMax);
  const mb = radius(b.s.median, rMin, rMax);
  const of = (x: typeof a) => (ensemble ? `${x.count} particles, ${x.measured} measured` : `${x.count} particles`);
  const first = `${a.name} (${of(a)})`;
  const tail = `${ma} against ${mb} for ${b.name} (${ensemble ? of(b) : b.count})`;
  if (a.count === b.count) return `${a.name} and ${b.name} were found equally often (${a.count} each): median r50 ${tail}.`;
  if (a.s.median === b.s.median) return `The class more seeds found, ${first}, has the same median r50 as ${b.name}: ${tail}.`;
  const larger = a.s.median > b.s.median;
  return `The class more seeds found, ${first}, has the ${larger ? 'larger' : 'smaller'} median r50: ${tail}.`;
}
