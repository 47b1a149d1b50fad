import { PURPOSE_DATA, randNormal, randUniform } from '../rng';
import { makeDataset, type Task } from '../task';
import { linearValue, slabValue } from './simplicity';

export interface LmsKnobs {
  /** inputs: one linear coordinate and dimension − 1 five-slab coordinates (50 in the paper) */
  dimension: number;
  /** the linear coordinate is ±[margin, 1] */
  margin: number;
  examples: number;
  dataSeed: number;
}

export const LMS_DEFAULTS: LmsKnobs = { dimension: 50, margin: 0.1, examples: 512, dataSeed: 0 };

const SLABS = 5;
/** rows of each randomised test set */
export const LMS_PROBE_ROWS = 256;

/**
 * A random rotation of R^d from the data seed: Gram–Schmidt on a Gaussian matrix (rows
 * orthonormal). Drawn as particle 1 of the data purpose so it shares no draws with the rows.
 */
export function lmsRotation(d: number, dataSeed: number): number[][] {
  const q: number[][] = [];
  for (let i = 0; i < d; i++) {
    const v = Array.from({ length: d }, (_, j) => randNormal(dataSeed, 1, PURPOSE_DATA, i, j));
    // twice, so rounding leaves the rows orthogonal to float64 precision
    for (let pass = 0; pass < 2; pass++)
      for (const p of q) {
        const dot = p.reduce((s, pj, j) => s + pj * v[j], 0);
        for (let j = 0; j < d; j++) v[j] -= dot * p[j];
      }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  return q;
}

/**
 * Shah et al. 2020's LMS-5 ("The Pitfalls of Simplicity Bias"): coordinate 0 is linear with a
 * margin, the other dimension − 1 coordinates are 5-slab, and every one of them alone gives the
 * class. The data are then rotated at random (from the data seed), so no input is one feature.
 *
 * The probes are the paper's randomisation test, on fresh rows labelled with their true class:
 * `linear` has every slab coordinate redrawn with a class of its own (as permuting each across
 * the set does), so only the linear coordinate still tells the class; `slab` has the linear
 * coordinate redrawn, so only the slabs do. A net that leans on the linear coordinate keeps its
 * accuracy on `linear` and falls to chance on `slab`, as the paper found.
 */
export function lms(knobs: LmsKnobs = LMS_DEFAULTS): Task {
  const { dimension: d, margin, examples, dataSeed } = knobs;
  const q = lmsRotation(d, dataSeed);
  let row = 0;
  const u = (slot: number) => randUniform(dataSeed, 0, PURPOSE_DATA, row, slot);
  // slots: 0–1 the linear coordinate and its class, then 3 per slab coordinate (class, slab, place)
  const point = (linearLabel: number | undefined, slabLabel: number | undefined): number[] => {
    const classOf = (slot: number, label: number | undefined) => label ?? (u(slot) < 0.5 ? 0 : 1);
    const x = [linearValue(u, 0, margin, classOf(1, linearLabel))];
    for (let c = 1; c < d; c++) x.push(slabValue(u, 3 * c + 1, SLABS, classOf(3 * c, slabLabel)));
    row++;
    return q.map((qi) => qi.reduce((s, qij, j) => s + qij * x[j], 0));
  };
  const set = (rows: number, linear: boolean, slabs: boolean) => {
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < rows; i++) {
      const label = i % 2;
      // undefined: every coordinate of that kind draws its own class
      x.push(point(linear ? label : undefined, slabs ? label : undefined));
      y.push(label);
    }
    return makeDataset(x, y);
  };
  const train = set(examples, true, true);
  return {
    name: 'lms',
    description: `LMS-5 (Shah et al. 2020): one linear coordinate and ${d - 1} five-slab coordinates, rotated; probes randomise the slabs (linear) or the linear coordinate (slab)`,
    inputs: d,
    classes: 2,
    train,
    probes: [
      { name: 'linear', data: set(LMS_PROBE_ROWS, true, false) },
      { name: 'slab', data: set(LMS_PROBE_ROWS, false, true) },
    ],
    params: { ...knobs },
  };
}
