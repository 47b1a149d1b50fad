import { paramCount, type ModelShape } from '../core/layout';
import { planeThrough, randomPlane, type Plane } from '../core/plane';
import type { PlaneSettings, PointRef } from './protocol';

export const refsOf = (s: PlaneSettings): PointRef[] => (s.mode === 'random' ? [s.center] : [...s.through]);

/** A plane that passes through trained parameters can only be built after training. */
export const needsTrainedParams = (s: PlaneSettings): boolean => refsOf(s).some((r) => r.kind === 'final');

export const refLabel = (r: PointRef): string => `particle ${r.particle} ${r.kind === 'init' ? 'at init' : 'trained'}`;

export interface BuiltPlane {
  readonly plane: Plane;
  readonly source: 'random' | 'through';
  readonly seed?: number;
  readonly description: string;
  readonly landmarks: { label: string; alpha: number; beta: number }[];
}

/**
 * The plane of the settings, from the ensemble's inits (and trained parameters once they
 * exist). Random directions are filter-normalised around the centre (Li et al. 2017).
 */
export function buildPlane(s: PlaneSettings, shape: ModelShape, init: Float32Array, trained: Float32Array | undefined): BuiltPlane {
  const p = paramCount(shape);
  const vector = (r: PointRef): Float32Array => {
    const source = r.kind === 'init' ? init : trained;
    if (!source) throw new Error('the plane needs trained parameters that do not exist yet');
    return source.slice(r.particle * p, (r.particle + 1) * p);
  };
  if (s.mode === 'random') {
    return {
      plane: randomPlane(shape, vector(s.center), s.seed),
      source: 'random',
      seed: s.seed,
      description: `random filter-normalised plane (seed ${s.seed}) around ${refLabel(s.center)}`,
      landmarks: [{ label: refLabel(s.center), alpha: 0, beta: 0 }],
    };
  }
  const [a, b, c] = s.through;
  return {
    plane: planeThrough(vector(a), vector(b), vector(c)),
    source: 'through',
    description: `plane through ${refLabel(a)} (0,0), ${refLabel(b)} (1,0) and ${refLabel(c)} (0,1)`,
    landmarks: [
      { label: refLabel(a), alpha: 0, beta: 0 },
      { label: refLabel(b), alpha: 1, beta: 0 },
      { label: refLabel(c), alpha: 0, beta: 1 },
    ],
  };
}
