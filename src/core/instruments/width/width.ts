import { Slices } from '../../slices';
import { DIVERGED, classify } from '../../classify';
import { parseNumber, type NameStyle, type NumberSpec } from '../../config';
import type { Engine, RunOptions } from '../../engine';
import { UserError } from '../../errors';
import { paramCount } from '../../layout';
import { metricSets, MetricsView } from '../../metricsView';
import { filterNormalizedDirection } from '../../plane';
import { PURPOSE_WIDTH } from '../../rng';
import type { EnsembleResult, Run } from '../../runs';

/**
 * How far a trained network can be pushed before it becomes another algorithm. Each particle is
 * moved along `directions` random filter-normalised directions (the plane's directions: each
 * neuron's perturbation has that neuron's own norm, so radius r is a relative size) to radii on a
 * log grid; the perturbed networks are classified exactly as `train` classifies.
 *   r50:   the radius at which half of them no longer get the particle's own outcome class;
 *   rLoss: the radius at which their mean train loss has risen by `delta` nats.
 */
export interface WidthSettings {
  readonly directions: number;
  /** radii on the log grid, from rMin to rMax inclusive */
  readonly radii: number;
  readonly rMin: number;
  readonly rMax: number;
  /** nats: the loss rise that defines rLoss */
  readonly delta: number;
}

export const DEFAULT_WIDTH_SETTINGS: WidthSettings = { directions: 16, radii: 24, rMin: 0.01, rMax: 10, delta: 0.1 };

export const WIDTH_FIELDS = {
  directions: { flag: '--directions', label: 'directions', integer: true, min: 1, max: 256 },
  radii: { flag: '--radii', label: 'radii', integer: true, min: 2, max: 200 },
  rMin: { flag: '--r-min', label: 'smallest radius', integer: false, min: 0, minExclusive: true, max: 1000 },
  rMax: { flag: '--r-max', label: 'largest radius', integer: false, min: 0, minExclusive: true, max: 1000 },
  delta: { flag: '--delta', label: 'loss rise (nats)', integer: false, min: 0, minExclusive: true, max: 100 },
} as const satisfies Record<keyof WidthSettings, NumberSpec>;

/** The width settings from a user's text (flags or form fields); unset ones take their defaults. */
export function parseWidthSettings(raw: Partial<Record<keyof WidthSettings, string>>, style: NameStyle = 'flag'): WidthSettings {
  const out = { ...DEFAULT_WIDTH_SETTINGS };
  for (const key of Object.keys(WIDTH_FIELDS) as (keyof WidthSettings)[]) {
    const text = raw[key];
    if (text !== undefined) out[key] = parseNumber(WIDTH_FIELDS[key], text, style);
  }
  if (!(out.rMin < out.rMax)) {
    const [lo, hi] = style === 'flag' ? ['--r-min', '--r-max'] : ['smallest radius', 'largest radius'];
    throw new UserError(`${lo} must be below ${hi}, got ${out.rMin} and ${out.rMax}`);
  }
  return out;
}

/** `n` radii evenly spaced in log from `min` to `max`, both included. */
export function radiusGrid(n: number, min: number, max: number): Float64Array {
  return Float64Array.from({ length: n }, (_, j) => min * (max / min) ** (j / (n - 1)));
}

/** Where a measured curve first reaches `level`: below the grid, on it (interpolated in log r), or beyond it. */
export type Crossing = { readonly at: 'below' } | { readonly at: 'grid'; readonly radius: number } | { readonly at: 'beyond' };

/**
 * The first radius at which `values` (one per radius, non-finite read as +∞: a network that left
 * float32 has surely changed) reach `level`, interpolated linearly in log r between grid points.
 */
export function firstCrossing(radii: ArrayLike<number>, values: ArrayLike<number>, level: number): Crossing {
  const v = (j: number) => (Number.isNaN(values[j]) ? Infinity : values[j]);
  if (v(0) >= level) return { at: 'below' };
  for (let j = 1; j < radii.length; j++) {
    if (v(j) < level) continue;
    const a = Math.log(radii[j - 1]);
    const b = Math.log(radii[j]);
    const f = Number.isFinite(v(j)) ? (level - v(j - 1)) / (v(j) - v(j - 1)) : 0.5;
    return { at: 'grid', radius: Math.exp(a + f * (b - a)) };
  }
  return { at: 'beyond' };
}

export interface ParticleWidth {
  /** the share of directions whose network is no longer the particle's class, per radius */
  readonly changed: Float64Array;
  /** the mean rise of the train loss above the particle's own, per radius (+∞ where a network left float32) */
  readonly lossRise: Float64Array;
  readonly r50: Crossing;
  readonly rLoss: Crossing;
}

export interface WidthAnalysis {
  readonly settings: WidthSettings;
  readonly radii: Float64Array;
  readonly seed: number;
  /** undefined for diverged particles: they have no class or loss to keep */
  readonly particles: (ParticleWidth | undefined)[];
}

/**
 * The width of every particle of the ensemble. Point (i, k, r) is evaluated on the engine as the
 * point t = r / rMax of the line from w_i to w_i + rMax·d_ik, so all M·K·R networks go in one
 * batched pass. Directions come from the width stream of `seed`, one per (global particle, k).
 */
export async function widthAnalysis(
  engine: Engine,
  run: Run,
  ensemble: EnsembleResult,
  settings: WidthSettings,
  seed: number,
  options: RunOptions = {},
): Promise<WidthAnalysis> {
  const { layout, task, config } = run;
  const { directions: k, rMin, rMax } = settings;
  const p = paramCount(layout);
  const m = ensemble.outcomes.length;
  const radii = radiusGrid(settings.radii, rMin, rMax);
  const ts = Float32Array.from(radii, (r) => r / rMax);
  const diverged = ensemble.classes.indexOf(DIVERGED);
  const kept = [...ensemble.outcomes.keys()].filter((i) => ensemble.outcomes[i] !== diverged);

  // per kept particle: its own vector, then its K far ends
  const vectors = new Float32Array(kept.length * (k + 1) * p);
  const pairs = new Uint32Array(kept.length * k * 2);
  // the CPU work around the engine's pass (M·K directions, M·K·R points) yields and checks for a
  // stop in slices too: at a million points it takes seconds, and a Ctrl-C must not wait for it
  const slices = new Slices({ signal: options.signal });
  for (const [n, i] of kept.entries()) {
    if (slices.due()) await slices.pause(0);
    const w = ensemble.params.subarray(i * p, (i + 1) * p);
    const base = n * (k + 1);
    vectors.set(w, base * p);
    for (let d = 0; d < k; d++) {
      const dir = filterNormalizedDirection(layout, w, seed, (config.firstParticle + i) * k + d, PURPOSE_WIDTH);
      const far = vectors.subarray((base + 1 + d) * p, (base + 2 + d) * p);
      for (let q = 0; q < p; q++) far[q] = w[q] + rMax * dir[q];
      pairs[2 * (n * k + d)] = base;
      pairs[2 * (n * k + d) + 1] = base + 1 + d;
    }
  }
  const metrics = kept.length > 0 ? await engine.evaluateLines({ layout, task, vectors, pairs, ts }, options) : new Float32Array();
  const outcomes = classify(task, metrics, undefined, config.thresholds);
  const view = new MetricsView(metrics, metricSets(task));
  const own = new MetricsView(ensemble.metrics, metricSets(task));

  const particles: (ParticleWidth | undefined)[] = new Array(m).fill(undefined);
  for (const [n, i] of kept.entries()) {
    if (slices.due()) await slices.pause(0);
    const changed = new Float64Array(radii.length);
    const lossRise = new Float64Array(radii.length);
    for (let j = 0; j < radii.length; j++) {
      let moved = 0;
      let loss = 0;
      for (let d = 0; d < k; d++) {
        const point = (n * k + d) * ts.length + j;
        if (outcomes[point] !== ensemble.outcomes[i]) moved++;
        const l = view.loss(point, 0);
        loss += Number.isFinite(l) ? l : Infinity;
      }
      changed[j] = moved / k;
      lossRise[j] = loss / k - own.loss(i, 0);
    }
    particles[i] = { changed, lossRise, r50: firstCrossing(radii, changed, 0.5), rLoss: firstCrossing(radii, lossRise, settings.delta) };
  }
  return { settings, radii, seed, particles };
}
