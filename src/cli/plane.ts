import { UserError } from '../core/errors';
import type { Engine, RunOptions } from '../core/engine';
import { isFiniteF32 } from '../core/float32';
import { paramCount } from '../core/layout';
import { paramsModel } from '../core/paramsFile';
import { planeThrough, randomPlane, type Plane } from '../core/plane';
import type { PlaneDescription } from '../core/results';
import { trainEnsemble, type Run } from '../core/runs';
import { readVector, readVectors } from './files';
import { parseField } from '../core/config';
import type { FlagValues } from './resolve';
import { initParticle } from '../core/init';

export interface ResolvedPlane {
  plane: Plane;
  /** what results record about the plane: how it was chosen, its centre in words, its span */
  description: PlaneDescription & { span: number };
}

/** The plane flags, read and checked: everything a grid or basin map needs from the user before any work. */
export interface PlaneInputs {
  readonly through?: readonly Float32Array[];
  readonly center?: Float32Array;
  readonly directions?: readonly [Float32Array, Float32Array];
  /** seed of random directions */
  readonly seed: number;
  readonly span: number;
}

/**
 * Reads and validates --through, --center, --d1, --d2 and --plane-seed at once, so a bad plane
 * flag is reported before the centre is trained, not after.
 */
export async function readPlaneInputs(raw: FlagValues, run: Run, span: number, signal?: AbortSignal): Promise<PlaneInputs> {
  const p = paramsModel(run.layout);
  const seed = raw.planeSeed !== undefined ? parseField('planeSeed', raw.planeSeed) : run.config.seed;
  if (raw.through !== undefined) {
    if (raw.center !== undefined || raw.d1 !== undefined || raw.d2 !== undefined)
      throw new UserError('--through gives the whole plane: drop --center, --d1 and --d2');
    const through = await readVectors('--through', raw.through, p, undefined, signal);
    if (through.length !== 3) throw new UserError(`--through ${raw.through}: needs exactly 3 vectors, got ${through.length}`);
    return { through, seed, span };
  }
  if ((raw.d1 === undefined) !== (raw.d2 === undefined))
    throw new UserError('--d1 and --d2 go together: give both, or neither for random directions');
  return {
    center: raw.center !== undefined ? await readVector('--center', raw.center, p, signal) : undefined,
    directions:
      raw.d1 !== undefined && raw.d2 !== undefined
        ? [await readVector('--d1', raw.d1, p, signal), await readVector('--d2', raw.d2, p, signal)]
        : undefined,
    seed,
    span,
  };
}

/**
 * The plane of a grid or basin map: --through (three vectors), or a centre (--center, else particle
 * 0 trained for `grid` / its initialisation for `basin`) with directions --d1/--d2 used exactly as
 * given, else random filter-normalised ones (seed --plane-seed).
 */
export async function resolvePlane(
  inputs: PlaneInputs,
  raw: FlagValues,
  run: Run,
  init: Float32Array | undefined,
  kind: 'grid' | 'basin',
  engine: Engine,
  options: RunOptions,
): Promise<ResolvedPlane> {
  const p = paramCount(run.layout);
  const { span } = inputs;
  if (inputs.through) {
    const [a, b, c] = inputs.through;
    return { plane: planeThrough(a, b, c), description: { source: 'through', origin: `the first vector of ${raw.through}`, span } };
  }

  let center: Float32Array;
  let origin: string;
  const { config } = run;
  if (inputs.center) {
    center = inputs.center;
    origin = raw.center!;
  } else {
    const start = init ? init.slice(0, p) : initParticle(run.layout, config.seed, config.firstParticle, config.initScale, config.initDist);
    const initWords = init ? `vector 0 of ${raw.init}` : `the initialisation of particle ${config.firstParticle} (seed ${config.seed})`;
    if (kind === 'basin') {
      center = start;
      origin = initWords;
    } else {
      const trained = await trainEnsemble(engine, { ...run, config: { ...config, particles: 1 } }, { ...options, init: start });
      if (trained.diverged[0] || !trained.params.every(isFiniteF32)) {
        throw new UserError(
          `grid: particle ${config.firstParticle} diverged in training, so the plane has no finite centre: lower --lr, or give --center`,
        );
      }
      center = trained.params;
      origin = `particle ${config.firstParticle} after ${config.steps} steps from ${initWords}`;
    }
  }
  if (inputs.directions) {
    const [d1, d2] = inputs.directions;
    return { plane: { center, d1, d2 }, description: { source: 'given', origin, span } };
  }
  return { plane: randomPlane(run.layout, center, inputs.seed), description: { source: 'random', origin, seed: inputs.seed, span } };
}
