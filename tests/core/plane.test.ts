import { describe, expect, it } from 'vitest';
import { initParticle } from '../../src/core/init';
import { layerSpans, paramCount } from '../../src/core/layout';
import {
  filterNormalizedDirection,
  gridCoordinates,
  planeGrid,
  planePoint,
  PlaneProjector,
  planeThrough,
  projectOntoPlane,
  randomPlane,
  type Plane,
} from '../../src/core/plane';
import { expectAllClose, expectClose, seededRandom, testSeed, uniform } from './helpers';

const WIDTHS = [3, 6, 4, 2];
const P = paramCount(WIDTHS);

/** Each neuron's (incoming weights, bias) as index lists, layer by layer. */
function neurons(widths: number[]): { name: string; idx: number[] }[] {
  return layerSpans(widths).flatMap((s, l) =>
    Array.from({ length: s.fanOut }, (_, o) => ({
      name: `layer ${l} unit ${o}`,
      idx: [...Array.from({ length: s.fanIn }, (_, i) => s.w + o * s.fanIn + i), s.b + o],
    })),
  );
}
const norm = (v: ArrayLike<number>, idx: number[]) => Math.sqrt(idx.reduce((s, k) => s + v[k] * v[k], 0));

function randomVector(rand: () => number, n = P, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => uniform(rand, -scale, scale));
}

describe('filter-normalised directions (Li et al. 2017)', () => {
  it("each neuron's (weights + bias) direction has the norm that neuron has in the centre", () => {
    const seed = testSeed('filter normalisation');
    const rand = seededRandom(seed);
    // units of very different sizes, to catch a per-layer or global normalisation
    const center = randomVector(rand);
    for (const [u, { idx }] of neurons(WIDTHS).entries()) for (const k of idx) center[k] *= 10 ** ((u % 5) - 2);
    const d = filterNormalizedDirection(WIDTHS, center, seed, 0);
    const got = neurons(WIDTHS).map(({ idx }) => norm(d, idx));
    const want = neurons(WIDTHS).map(({ idx }) => norm(center, idx));
    expectAllClose(got, want, { rel: 1e-6 }, `neuron norms (seed ${seed})`);
  });

  it('is a random direction from the plane stream: deterministic by seed, d1 ≠ d2, not parallel to the centre', () => {
    const seed = testSeed('filter direction determinism');
    const center = initParticle(WIDTHS, 1, 0, 1);
    const d1 = filterNormalizedDirection(WIDTHS, center, seed, 0);
    expect(Array.from(filterNormalizedDirection(WIDTHS, center, seed, 0))).toEqual(Array.from(d1));
    const d2 = filterNormalizedDirection(WIDTHS, center, seed, 1);
    const other = filterNormalizedDirection(WIDTHS, center, (seed + 1) >>> 0, 0);
    const cos = (a: Float32Array, b: Float32Array) => {
      let ab = 0,
        aa = 0,
        bb = 0;
      for (let k = 0; k < a.length; k++) {
        ab += a[k] * b[k];
        aa += a[k] * a[k];
        bb += b[k] * b[k];
      }
      return ab / Math.sqrt(aa * bb);
    };
    // random directions in ~60 dimensions: |cos| ≈ 0.13 typically, 0.9 essentially never
    for (const [name, v] of [
      ['d2', d2],
      ['another seed', other],
      ['centre', center],
    ] as const) {
      expect(Math.abs(cos(d1, v)), `|cos(d1, ${name})|`).toBeLessThan(0.9);
    }
    const plane = randomPlane(WIDTHS, center, seed);
    expect(plane.center).toBe(center);
    expect(Array.from(plane.d1)).toEqual(Array.from(d1));
    expect(Array.from(plane.d2)).toEqual(Array.from(d2));
  });

  it('a neuron that is zero in the centre gets a zero direction', () => {
    const center = initParticle(WIDTHS, 3, 0, 1);
    const [first] = neurons(WIDTHS);
    for (const k of first.idx) center[k] = 0;
    const d = filterNormalizedDirection(WIDTHS, center, 5, 0);
    expect(norm(d, first.idx), `direction of the zero unit: ${first.idx.map((k) => d[k])}`).toBe(0);
    expect(norm(d, neurons(WIDTHS)[1].idx)).toBeGreaterThan(0);
  });
});

describe('planes and grids', () => {
  it('planeThrough(a, b, c) passes through a at (0, 0), b at (1, 0), c at (0, 1)', () => {
    const seed = testSeed('planeThrough');
    const rand = seededRandom(seed);
    const [a, b, c] = [randomVector(rand, P, 3), randomVector(rand, P, 3), randomVector(rand, P, 3)];
    const plane = planeThrough(a, b, c);
    // d = b − a rounded to float32, then a + d rounded again: within a couple of float32 ulps of 3
    const tol = { abs: 1e-6 };
    expectAllClose(planePoint(plane, 0, 0), a, { abs: 0 }, '(0, 0)');
    expectAllClose(planePoint(plane, 1, 0), b, tol, '(1, 0)');
    expectAllClose(planePoint(plane, 0, 1), c, tol, '(0, 1)');
  });

  it('planePoint is center + α·d1 + β·d2, written into out when given', () => {
    const plane: Plane = { center: Float32Array.of(1, 2, 3), d1: Float32Array.of(1, 0, -1), d2: Float32Array.of(0, 0.5, 2) };
    expect(Array.from(planePoint(plane, 2, -1))).toEqual([3, 1.5, -1]);
    const out = new Float32Array(3);
    expect(planePoint(plane, 0.5, 0.5, out)).toBe(out);
    expect(Array.from(out)).toEqual([1.5, 2.25, 3.5]);
  });

  it('gridCoordinates: res evenly spaced values from −span to span inclusive', () => {
    expect(Array.from(gridCoordinates(5, 2))).toEqual([-2, -1, 0, 1, 2]);
    expect(Array.from(gridCoordinates(2, 0.5))).toEqual([-0.5, 0.5]);
    expect(Array.from(gridCoordinates(1, 3))).toEqual([0]);
    const c = gridCoordinates(256, 1.5);
    expect([c.length, c[0], c[255]]).toEqual([256, -1.5, 1.5]);
    for (let i = 1; i < 256; i++) expectClose(c[i] - c[i - 1], 3 / 255, { rel: 1e-5 }, `spacing at ${i}`);
  });

  it('gridCoordinates with an offset: shifted, computed in float64 and rounded to float32 once', () => {
    expect(Array.from(gridCoordinates(3, 1, 0.5))).toEqual([-0.5, 0.5, 1.5]);
    expect(Array.from(gridCoordinates(1, 3, -2))).toEqual([-2]);
    const c = gridCoordinates(7, 0.3, 0.1);
    for (let i = 0; i < 7; i++) expect(c[i], `coordinate ${i}`).toBe(Math.fround(-0.3 + (0.6 * i) / 6 + 0.1));
  });

  it('planeGrid: row-major with α fastest, each entry planePoint(α_i, β_j)', () => {
    const seed = testSeed('planeGrid');
    const rand = seededRandom(seed);
    const plane: Plane = { center: randomVector(rand), d1: randomVector(rand), d2: randomVector(rand) };
    const alphas = Float32Array.of(-1, 0, 0.25, 3);
    const betas = Float32Array.of(2, -0.5, 0.1);
    const all = planeGrid(plane, alphas, betas);
    expect(all.length).toBe(4 * 3 * P);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 4; i++) {
        const at = (j * 4 + i) * P;
        expectAllClose(
          all.subarray(at, at + P),
          planePoint(plane, alphas[i], betas[j]),
          { abs: 0 },
          `grid point (α ${alphas[i]}, β ${betas[j]})`,
        );
      }
    }
  });

  it('projectOntoPlane inverts planePoint (random, non-orthogonal directions)', () => {
    const seed = testSeed('projectOntoPlane');
    const rand = seededRandom(seed);
    const center = randomVector(rand);
    const d1 = randomVector(rand);
    const d2 = Float32Array.from(randomVector(rand), (v, k) => v + 0.5 * d1[k]); // correlated with d1
    const plane: Plane = { center, d1, d2 };
    for (let t = 0; t < 20; t++) {
      const alpha = uniform(rand, -5, 5);
      const beta = uniform(rand, -5, 5);
      const [a, b] = projectOntoPlane(plane, planePoint(plane, alpha, beta));
      // float32 storage of the point: coordinates back to ~1e-6·|α|, here 1e-4 absolute
      expectAllClose([a, b], [alpha, beta], { abs: 1e-4 }, `(α, β) = (${alpha}, ${beta}), seed ${seed}`);
    }
  });

  it('PlaneProjector.project gives every vector what projectOntoPlane gives it alone (as float32)', () => {
    const seed = testSeed('PlaneProjector');
    const rand = seededRandom(seed);
    const plane: Plane = { center: randomVector(rand), d1: randomVector(rand), d2: randomVector(rand) };
    const count = 30;
    const params = randomVector(rand, count * P, 3);
    const projector = new PlaneProjector(plane);
    const xy = projector.project(params);
    expect(xy.length).toBe(2 * count);
    for (let i = 0; i < count; i++) {
      const v = params.subarray(i * P, (i + 1) * P);
      const [a, b] = projectOntoPlane(plane, v);
      expect([xy[2 * i], xy[2 * i + 1]], `vector ${i}, seed ${seed}`).toEqual([Math.fround(a), Math.fround(b)]);
      expect(projector.point(v), `vector ${i}, seed ${seed}`).toEqual([a, b]);
    }
    // into a given array, e.g. one frame of a trail
    const out = new Float32Array(4 * count);
    projector.project(params, out.subarray(2 * count));
    expect(Array.from(out.subarray(2 * count))).toEqual(Array.from(xy));
    expect(Array.from(out.subarray(0, 2 * count)).every((x) => x === 0)).toBe(true);
  });

  it('projectOntoPlane drops the component orthogonal to the plane; a degenerate plane projects to (0, 0)', () => {
    const plane: Plane = { center: Float32Array.of(0, 0, 0), d1: Float32Array.of(2, 0, 0), d2: Float32Array.of(0, 1, 0) };
    expect(projectOntoPlane(plane, Float32Array.of(3, -4, 7))).toEqual([1.5, -4]);
    const flat: Plane = { center: Float32Array.of(0, 0), d1: Float32Array.of(1, 1), d2: Float32Array.of(2, 2) };
    expect(projectOntoPlane(flat, Float32Array.of(1, 0))).toEqual([0, 0]);
    expect(Array.from(new PlaneProjector(flat).project(Float32Array.of(1, 0, 5, -3)))).toEqual([0, 0, 0, 0]);
  });
});
