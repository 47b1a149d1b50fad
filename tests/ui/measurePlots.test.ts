import { describe, expect, it } from 'vitest';
import { llcPlot, sharpnessPlot, widthPlot, widthReading } from '../../src/ui/views/geometry/measurePlots';
import { particleMeasures } from '../../src/ui/views/geometry/particleMeasures';
import type { GeometryResult } from '../../src/worker/protocol';

const CLASSES = ['colour', 'shape', 'mixed', 'unconverged', 'diverged'];

/** A measurement of particles with these outcomes and r50s; every eigenvalue converged, every LLC sound unless changed. */
function result(outcomes: number[], r50: number[], change: (r: GeometryResult) => void = () => {}): GeometryResult {
  const n = outcomes.length;
  const r = {
    particles: n,
    step: 100,
    classes: CLASSES,
    outcomes: Uint8Array.from(outcomes),
    parameters: 81,
    sharpness: {
      topEigenvalue: Float64Array.from(outcomes, (_, i) => 0.02 + i / 1000),
      converged: new Uint8Array(n).fill(1),
      iterations: new Uint32Array(n).fill(5),
      maxIter: 100,
      tol: 1e-3,
    },
    width: { r50: Float64Array.from(r50), directions: 8, radii: 24, rMin: 0.01, rMax: 10 },
    llc: {
      llc: Float64Array.from(outcomes, (_, i) => 1 + i / 10),
      llcStd: new Float64Array(n).fill(0.2),
      problems: new Array<string | undefined>(n).fill(undefined),
      chains: 2,
      burnin: 100,
      draws: 400,
      eps: 3e-3,
      nbeta: 15.4,
    },
    seconds: {},
  };
  change(r);
  return r;
}

describe('the box plots of sharpness, width and LLC', () => {
  it('leave out unconverged eigenvalues, censored r50s and LLCs with a problem, and count them per class', () => {
    const r = result([0, 0, 0, 1, 1, 4], [0.1, Infinity, 0, 0.2, 0.3, NaN], (r) => {
      r.sharpness.converged[1] = 0;
      r.sharpness.iterations[5] = 0;
      r.sharpness.converged[5] = 0;
      (r.llc!.problems as (string | undefined)[])[3] = 'most draws below';
    });
    const s = sharpnessPlot(r);
    expect(Array.from(s.values, Number.isNaN)).toEqual([false, true, false, false, false, true]);
    expect(s.notes).toEqual(['1 did not converge', undefined, undefined, undefined, '1 not measured (not finite)']);
    const w = widthPlot(r);
    expect(Array.from(w.values)).toEqual([0.1, NaN, NaN, 0.2, 0.3, NaN]);
    expect(w.notes).toEqual(['1 > 10 (beyond the grid), 1 < 0.01 (below the grid)', undefined, undefined, undefined, '1 diverged']);
    const l = llcPlot(r)!;
    expect(Number.isNaN(l.values[3])).toBe(true);
    expect(l.notes[1]).toBe('1 with a problem (llcProblem)');
    expect(llcPlot({ ...r, llc: undefined })).toBeUndefined();
  });
});

describe('the reading on width', () => {
  const five = (x: number) => [x, x, x, x, x];
  it('says whether the class more seeds found has the larger median r50, censored values at their bound', () => {
    // shape (6) outnumbers colour (5); shape's median is beyond the grid
    const r = result([...five(0), ...five(1), 1], [...five(0.1), 0.2, 0.2, Infinity, Infinity, Infinity, Infinity]);
    expect(widthReading(r)).toBe(
      'The class more seeds found, shape (6 particles), has the larger median r50: > 10 against 0.100 for colour (5).',
    );
    const smaller = result([...five(0), 0, ...five(1)], [...five(0.1), 0.1, ...five(0.2)]);
    expect(widthReading(smaller)).toMatch(
      /^The class more seeds found, colour \(6 particles\), has the smaller median r50: 0\.100 against 0\.200 for shape \(5\)\.$/,
    );
  });

  it("ranks the classes by the outcome panel's counts when given, not by the measured sample's", () => {
    // the sample: colour 6, shape 5; the ensemble: shape 345, colour 315 (issue 25)
    const r = result([...five(0), 0, ...five(1)], [...five(0.1), 0.1, ...five(0.2)]);
    const ensemble = { classes: ['colour', 'shape', 'mixed', 'unconverged', 'diverged'], counts: [315, 345, 100, 0, 0] };
    expect(widthReading(r, ensemble)).toBe(
      'The class more seeds found, shape (345 particles, 5 measured), has the larger median r50: 0.200 against 0.100 for colour (315 particles, 6 measured).',
    );
  });

  it('compares the two algorithms found most often, never mixed, and only with five measured particles of each', () => {
    const r = result([...five(2), ...five(2), ...five(0), 1, 1, 1, 1], [...five(0.5), ...five(0.5), ...five(0.1), 0.2, 0.2, 0.2, 0.2]);
    expect(widthReading(r)).toBe('No reading: comparing colour with shape needs 5 measured particles of each (shape has 4).');
    const tie = result([...five(0), ...five(1)], [...five(0.1), ...five(0.2)]);
    expect(widthReading(tie)).toMatch(
      /^colour and shape were found equally often \(5 each\): median r50 0\.100 against 0\.200 for shape \(5\)\.$/,
    );
  });
});

describe("the inspector's values of one particle", () => {
  it('says "did not converge", "> r-max" or the llcProblem where there is no ordinary value', () => {
    const r = result([0, 1], [0.123456, Infinity], (r) => {
      r.sharpness.converged[1] = 0;
      (r.llc!.problems as (string | undefined)[])[1] = 'the chains diverged';
    });
    expect(particleMeasures(r, 0)).toEqual({ topEigenvalue: '0.0200', r50: '0.123', llc: { value: '1.00 ± 0.200' } });
    expect(particleMeasures(r, 1)).toEqual({
      topEigenvalue: 'did not converge in 100 products',
      r50: '> 10 (r-max: beyond the grid)',
      llc: { value: '1.10 ± 0.200', problem: 'the chains diverged' },
    });
    expect(particleMeasures({ ...r, llc: undefined }, 0).llc).toBeUndefined();
  });
});
