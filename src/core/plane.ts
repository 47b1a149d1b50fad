import { hasBias, layerSpans, type ModelShape } from './layout';
import { PURPOSE_PLANE, randNormal } from './rng';

/** A 2-D slice of parameter space: center + α·d1 + β·d2. */
export interface Plane {
  readonly center: Float32Array;
  readonly d1: Float32Array;
  readonly d2: Float32Array;
}

/**
 * A random direction normalised filter by filter (Li et al. 2017): each neuron's incoming weights
 * and bias (its weights alone in a model without biases), taken together, get the norm that the
 * same neuron has in `center`. The direction is
 * drawn from the plane stream of `seed` (or another `purpose`'s); `which` (0, 1) tells d1 from d2.
 */
export function filterNormalizedDirection(
  shape: ModelShape,
  center: Float32Array,
  seed: number,
  which: number,
  purpose = PURPOSE_PLANE,
): Float32Array {
  const d = new Float32Array(center.length);
  for (let k = 0; k < d.length; k++) d[k] = randNormal(seed, which, purpose, 0, k);
  for (const s of layerSpans(shape)) {
    for (let o = 0; o < s.fanOut; o++) {
      const idx = [...Array(s.fanIn).keys()].map((i) => s.w + o * s.fanIn + i);
      if (hasBias(s)) idx.push(s.b + o);
      let cn = 0;
      let dn = 0;
      for (const k of idx) {
        cn += center[k] * center[k];
        dn += d[k] * d[k];
      }
      const scale = dn > 0 ? Math.sqrt(cn / dn) : 0;
      for (const k of idx) d[k] *= scale;
    }
  }
  return d;
}

export function randomPlane(shape: ModelShape, center: Float32Array, seed: number): Plane {
  return {
    center,
    d1: filterNormalizedDirection(shape, center, seed, 0),
    d2: filterNormalizedDirection(shape, center, seed, 1),
  };
}

/** The plane through a (α=β=0), b (α=1, β=0) and c (α=0, β=1). */
export function planeThrough(a: Float32Array, b: Float32Array, c: Float32Array): Plane {
  const d1 = new Float32Array(a.length);
  const d2 = new Float32Array(a.length);
  for (let k = 0; k < a.length; k++) {
    d1[k] = b[k] - a[k];
    d2[k] = c[k] - a[k];
  }
  return { center: a, d1, d2 };
}

/** `res` evenly spaced coordinates from offset-span to offset+span inclusive. */
export function gridCoordinates(res: number, span: number, offset = 0): Float32Array {
  const c = new Float32Array(res);
  for (let i = 0; i < res; i++) c[i] = (res === 1 ? 0 : -span + (2 * span * i) / (res - 1)) + offset;
  return c;
}

/** Parameters at (alpha, beta), computed in float64 and stored as float32. */
export function planePoint(plane: Plane, alpha: number, beta: number, out?: Float32Array): Float32Array {
  const p = out ?? new Float32Array(plane.center.length);
  const a = Math.fround(alpha);
  const b = Math.fround(beta);
  for (let k = 0; k < p.length; k++) p[k] = plane.center[k] + a * plane.d1[k] + b * plane.d2[k];
  return p;
}

/** Parameters of every grid point, row-major with α fastest: the inits of a basin map. */
export function planeGrid(plane: Plane, alphas: Float32Array, betas: Float32Array): Float32Array {
  const p = plane.center.length;
  const all = new Float32Array(alphas.length * betas.length * p);
  let i = 0;
  for (const b of betas) for (const a of alphas) planePoint(plane, a, b, all.subarray(i++ * p, i * p));
  return all;
}

/**
 * Orthogonal projection onto a plane, with the plane's Gram matrix computed once: the worker
 * projects every particle onto the map each frame.
 */
export class PlaneProjector {
  private readonly d11: number;
  private readonly d12: number;
  private readonly d22: number;
  private readonly det: number;

  constructor(readonly plane: Plane) {
    let d11 = 0,
      d12 = 0,
      d22 = 0;
    const { d1, d2 } = plane;
    for (let k = 0; k < d1.length; k++) {
      d11 += d1[k] * d1[k];
      d12 += d1[k] * d2[k];
      d22 += d2[k] * d2[k];
    }
    this.d11 = d11;
    this.d12 = d12;
    this.d22 = d22;
    this.det = d11 * d22 - d12 * d12;
  }

  /** (α, β) of the vector params[at..at+P], written to out[2·o], out[2·o+1]; (0, 0) on a degenerate plane. */
  private projectAt(params: ArrayLike<number>, at: number, out: { [k: number]: number }, o: number): void {
    const { center, d1, d2 } = this.plane;
    let r1 = 0,
      r2 = 0;
    for (let k = 0; k < center.length; k++) {
      const r = params[at + k] - center[k];
      r1 += r * d1[k];
      r2 += r * d2[k];
    }
    const { d11, d12, d22, det } = this;
    out[2 * o] = det === 0 ? 0 : (r1 * d22 - r2 * d12) / det;
    out[2 * o + 1] = det === 0 ? 0 : (r2 * d11 - r1 * d12) / det;
  }

  /** Coordinates (α, β) of one vector's projection. */
  point(params: ArrayLike<number>): [number, number] {
    const out: [number, number] = [0, 0];
    this.projectAt(params, 0, out, 0);
    return out;
  }

  /** (α, β) of every vector of `params` ([count][P]), as [count][2]. */
  project(params: Float32Array, out?: Float32Array): Float32Array {
    const p = this.plane.center.length;
    const count = params.length / p;
    const xy = out ?? new Float32Array(count * 2);
    for (let i = 0; i < count; i++) this.projectAt(params, i * p, xy, i);
    return xy;
  }
}

/** Coordinates (α, β) of the orthogonal projection of `params` onto the plane. */
export function projectOntoPlane(plane: Plane, params: Float32Array): [number, number] {
  return new PlaneProjector(plane).point(params);
}
