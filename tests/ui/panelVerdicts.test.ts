import { describe, expect, test } from 'vitest';
import { correlatesWithPrior, roughBoundary, widerIsCommoner, type StoryScreen } from '../../src/ui/stories/verdicts';
import { smoothBoundaryCeiling } from '../../src/core/instruments/hypermap/smoothBoundary';
import { findStory } from '../../src/ui/stories/stories';
import { priorSgdVerdict } from '../../src/core/verdicts/priorSgd';
import type { GeometryResult, HypermapViewResult, PriorPoint, PriorViewResult } from '../../src/worker/protocol';

/** The run's own numbers do not matter to these rules: only the panel's result does. */
const CLASSES = ['colour', 'shape', 'mixed', 'unconverged', 'diverged'];
const screen = (panel: Partial<StoryScreen>, counts = [0, 0, 0, 0, 0]): StoryScreen => ({
  classes: CLASSES,
  counts,
  probes: [],
  curves: [],
  ...panel,
});

type Correlation = NonNullable<PriorViewResult['correlation']>;
const r = (value: number, low: number, high: number, functions: number): Correlation => ({
  value,
  low,
  high,
  spearman: { value, low, high },
  functions,
});

/** The panel's result with `shared` functions both found (points and functionCounts) and this correlation (the rule reads nothing else). */
function prior(shared: number, correlation: Correlation | null): PriorViewResult {
  const point: PriorPoint = { pPrior: 0.01, pSgd: 0.01, error: 0.5, priorCount: 5, sgdCount: 3 };
  return {
    samples: 30_000,
    accepted: 500,
    acceptance: { fraction: 500 / 30_000, low: 0, high: 1 },
    particles: 256,
    fitted: 256,
    points: Array.from({ length: shared }, () => point),
    functionCounts: { both: shared, priorOnly: 150, sgdOnly: 2 },
    correlation,
    problems: [],
    probe: 'target',
    seconds: 1,
  };
}

describe("Does SGD sample the prior? Core's rule on the panel's correlation", () => {
  const rule = correlatesWithPrior;
  test('r’s interval above 0.5 over 24 shared functions: as the story says', () => {
    expect(rule(screen({ prior: prior(24, r(0.71, 0.52, 0.86, 24)) }))).toEqual({
      agrees: true,
      text: "Pearson's r = 0.71 [0.52, 0.86] (95% bootstrap) of log P_SGD(f) against log P_prior(f) over 24 functions found by both the prior and SGD: the whole interval lies above 0.5",
    });
  });
  test('the CLI’s measurement (r = −0.14 [−0.44, 0.18] over 27), or an interval reaching below 0.5: unlike the story', () => {
    expect(rule(screen({ prior: prior(27, r(-0.14, -0.44, 0.18, 27)) }))).toEqual({
      agrees: false,
      text: "Pearson's r = -0.14 [-0.44, 0.18] (95% bootstrap) of log P_SGD(f) against log P_prior(f) over 27 functions found by both the prior and SGD: the whole interval lies below 0.5, so SGD does not find functions in the prior's proportions",
    });
    // the edge: an interval that starts at 0.5 is not above it
    const edge = rule(screen({ prior: prior(20, r(0.7, 0.5, 0.85, 20)) }));
    expect([
      edge?.agrees,
      edge?.cannotTell,
      edge?.text.endsWith("the interval reaches below 0.5, so SGD does not find functions in the prior's proportions"),
    ]).toEqual([false, undefined, true]);
  });
  test('the same rule as the findings report’s (one rule in core): the same side for the same numbers', () => {
    for (const [shared, c] of [
      [24, r(0.71, 0.52, 0.86, 24)],
      [27, r(-0.14, -0.44, 0.18, 27)],
      [20, r(0.7, 0.5, 0.85, 20)],
      [19, r(0.9, 0.8, 0.95, 19)],
    ] as const) {
      const report = priorSgdVerdict({ both: shared, priorOnly: 150, sgdOnly: 2, r: c });
      expect(rule(screen({ prior: prior(shared, c) }))?.agrees, `${shared} shared`).toBe(report.agrees);
    }
  });
  test('fewer than 20 shared functions: it cannot tell, and says how many it found and how many it needs', () => {
    expect(rule(screen({ prior: prior(19, r(0.9, 0.8, 0.95, 19)) }))).toEqual({
      agrees: false,
      cannotTell: true,
      text: '19 functions found by both the prior and SGD (r = 0.90 [0.80, 0.95]), fewer than the 20 the test needs: sample more prior samples, or train more particles',
    });
    expect(rule(screen({ prior: prior(1, null) }))?.text).toBe(
      '1 function found by both the prior and SGD, fewer than the 20 the test needs: sample more prior samples, or train more particles',
    );
    expect(rule(screen({ prior: prior(25, null) }))).toEqual({
      agrees: false,
      cannotTell: true,
      text: '25 functions found by both the prior and SGD, but they are equally frequent on one side, so no correlation is estimated',
    });
  });
  test('no answer until the panel has sampled', () => {
    expect(rule(screen({}))).toBeUndefined();
  });
});

/** A res × res trainability map, converged where `inside(i, j)`. */
function trainabilityMap(res: number, inside: (i: number, j: number) => boolean): HypermapViewResult {
  const classes = ['converged', 'diverged'];
  const counts = new Uint32Array(res * res * 2);
  for (let j = 0; j < res; j++) for (let i = 0; i < res; i++) counts[(j * res + i) * 2 + (inside(i, j) ? 0 : 1)] = 1;
  return { res, perCell: 1, outcome: 'trainability', classes, counts } as unknown as HypermapViewResult;
}

describe('Where training stops converging: the boundary on the map on screen is rougher than a curve', () => {
  const rule = roughBoundary;
  test('a straight boundary measures 1: unlike the story', () => {
    // the smooth ceiling itself: at 33 cells a side a smooth curve can measure 1.38, at 65 cells 1.24
    expect([smoothBoundaryCeiling(33)?.toFixed(2), smoothBoundaryCeiling(65)?.toFixed(2)]).toEqual(['1.38', '1.24']);
    const v = rule(screen({ hypermap: { ...trainabilityMap(65, (i, j) => i + 0.4 * j < 40), zooms: 0 } }));
    expect(v?.agrees).toBe(false);
    expect(v?.text).toMatch(
      /^the boundary's box-counting dimension is (0\.9[5-9]|1\.0[0-5]) on a 65 × 65 map, and smooth curves reach 1\.24 \(99th percentile of lines, circles and waves on a map this size\): this map does not show a boundary rougher than a curve$/,
    );
  });
  test('cells converging at random (a boundary everywhere) measure near 2: as the story says', () => {
    let x = 12345;
    const coin = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) & 1024) === 0;
    const v = rule(screen({ hypermap: { ...trainabilityMap(33, coin), zooms: 2 } }));
    expect(v?.agrees).toBe(true);
    expect(v?.text).toMatch(
      /^the boundary's box-counting dimension is 1\.[89]\d on a 33 × 33 map zoomed 2 times, above the 1\.38 smooth curves reach \(99th/,
    );
  });
  test('no answer from a map too small to measure, a map by outcome class, or none', () => {
    expect(rule(screen({ hypermap: { ...trainabilityMap(16, (i) => i < 8), zooms: 0 } }))).toBeUndefined();
    const classes = { ...trainabilityMap(33, (i) => i < 8), outcome: 'classes' } as unknown as HypermapViewResult;
    expect(rule(screen({ hypermap: { ...classes, zooms: 0 } }))).toBeUndefined();
    expect(rule(screen({}))).toBeUndefined();
  });
});

/** Particles measured with these outcomes and r50s (widthComparison reads nothing else). */
function geometry(outcomes: number[], r50: number[]): GeometryResult {
  return {
    particles: outcomes.length,
    classes: CLASSES,
    outcomes: Uint8Array.from(outcomes),
    width: { r50: Float64Array.from(r50), directions: 8, radii: 24, rMin: 0.01, rMax: 10 },
  } as unknown as GeometryResult;
}

describe("Is the commoner algorithm the wider basin? The Measure panel's median r50s", () => {
  const measured = geometry([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 1, 1, 1, 1, 1]);
  test('the class the outcome panel counts more of has the larger median r50: as the story says', () => {
    expect(widerIsCommoner(screen({ geometry: measured }, [600, 400, 24, 0, 0]))).toEqual({
      agrees: true,
      text: 'colour (600 particles) has median r50 2.00, shape (400) 1.00',
    });
  });
  test('the commoner class by the outcome panel is the narrower one: unlike the story', () => {
    expect(widerIsCommoner(screen({ geometry: measured }, [400, 600, 24, 0, 0]))).toEqual({
      agrees: false,
      text: 'shape (600 particles) has median r50 1.00, colour (400) 2.00: the commoner class is not the wider one',
    });
    expect(widerIsCommoner(screen({ geometry: measured }, [500, 500, 24, 0, 0]))?.agrees).toBe(false);
    const tie = geometry([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(widerIsCommoner(screen({ geometry: tie }, [88, 86, 82, 0, 0]))).toEqual({
      agrees: false,
      text: 'colour (88 particles) has median r50 1.00, shape (86) 1.00: the same median, so the commoner class is not the wider one',
    });
  });
  test('no answer before measuring, or with fewer than 5 measured particles of a class', () => {
    expect(widerIsCommoner(screen({}, [600, 400, 0, 0, 0]))).toBeUndefined();
    expect(widerIsCommoner(screen({ geometry: geometry([0, 0, 0, 0, 0, 1], [2, 2, 2, 2, 2, 1]) }, [600, 400, 0, 0, 0]))).toBeUndefined();
  });
});

test("the trainability card's number for a 128 × 128 map is the smooth ceiling at that size", () => {
  const text = findStory('trainability-boundary')!.notOnSlowDevice!;
  expect(text).toContain(`smooth curves reach ${smoothBoundaryCeiling(128)!.toFixed(2)})`);
});
