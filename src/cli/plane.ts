import { UserError } from '../core/errors';
import type { Engine, RunOptions } from '../core/engine';
import { paramCount } from '../core/layout';
import { planeThrough, randomPlane, type Plane } from '../core/plane';
import type { PlaneDescription } from '../core/results';
import { trainEnsemble, type Run } from '../core/runs';
import { readVector, readVectors } from './files';
import { parseField } from '../core/config';
import type { RawOptions } from './resolve';
import { initParticle } from '../core/init';

export interface ResolvedPlane {
  plane: Plane;
  description: PlaneDescription;
}

/**
 * The plane of a grid or basin map, from the flags: --through (three vectors), or a centre
 * (--center, else particle 0 trained for `grid` / its initialisation for `basin`) with directions
 * --d1/--d2 used exactly as given, else random filter-normalised ones (seed --plane-seed).
 */
export async function resolvePlane(
  raw: RawOptions,
  run: Run,
  init: Float32Array | undefined,
  kind: 'grid' | 'basin',
  engine: Engine,
  options: RunOptions,
): Promise<ResolvedPlane> {
  const p = paramCount(run.layout.widths);
  if (raw.through !== undefined) {
    if (raw.center !== undefined || raw.d1 !== undefined || raw.d2 !== undefined)
      throw new UserError('--through gives the whole plane: drop --center, --d1 and --d2');
    const v = readVectors('--through', raw.through, p);
    if (v.length !== 3) throw new UserError(`--through ${raw.through}: needs exactly 3 vectors, got ${v.length}`);
    return { plane: planeThrough(v[0], v[1], v[2]), description: { source: 'through', origin: `the first vector of ${raw.through}` } };
  }
  if ((raw.d1 === undefined) !== (raw.d2 === undefined))
    throw new UserError('--d1 and --d2 go together: give both, or neither for random directions');

  let center: Float32Array;
  let origin: string;
  const { config } = run;
  if (raw.center !== undefined) {
    center = readVector('--center', raw.center, p);
    origin = raw.center;
  } else {
    const start = init ? init.slice(0, p) : initParticle(run.layout.widths, config.seed, config.firstParticle, config.initScale);
    const initWords = init ? `vector 0 of ${raw.init}` : `the initialisation of particle ${config.firstParticle} (seed ${config.seed})`;
    if (kind === 'basin') {
      center = start;
      origin = initWords;
    } else {
      const trained = await trainEnsemble(engine, { ...run, config: { ...config, particles: 1 } }, { ...options, init: start });
      center = trained.params;
      origin = `particle ${config.firstParticle} after ${config.steps} steps from ${initWords}`;
    }
  }
  if (raw.d1 !== undefined && raw.d2 !== undefined) {
    return {
      plane: { center, d1: readVector('--d1', raw.d1, p), d2: readVector('--d2', raw.d2, p) },
      description: { source: 'given', origin },
    };
  }
  const seed = raw.planeSeed !== undefined ? parseField('planeSeed', raw.planeSeed) : config.seed;
  return { plane: randomPlane(run.layout.widths, center, seed), description: { source: 'random', origin, seed } };
}
