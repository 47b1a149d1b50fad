import { NUMBER_FIELDS, describeRange, fieldName, parseNumber, type NameStyle, type NumberSpec } from '../core/config';
import { UserError } from '../core/errors';
import { AXIS_MODEL_NAMES } from './modelAxis';
import { DEFAULT_LOSS_MAP_RESOLUTIONS, DEFAULT_PARTICLE_COUNTS } from './suite';

/** What a user may set for one benchmark run, from `npm run bench --` flags or bench.html's URL. */
export interface BenchSettings {
  rowSeconds: number;
  particleCounts: number[];
  /** given --particles, the model axis runs those counts too (else its own 8, 64, 1,024 and 16,384) */
  axisParticleCounts?: number[];
  /** the model axis's nets (AXIS_MODEL_NAMES; all when absent) */
  axisModels?: string[];
  lossMapResolutions: number[];
  withTfjs: boolean;
}

// flag for the command line, label = the URL parameter of bench.html
const SECONDS: NumberSpec = { flag: '--seconds', label: 'seconds', integer: false, min: 0, max: 600, minExclusive: true };
const PARTICLES: NumberSpec = { ...NUMBER_FIELDS.particles, flag: '--particles', label: 'particles' };
const RES: NumberSpec = { ...NUMBER_FIELDS.res, flag: '--res', label: 'res' };

export interface RawBenchSettings {
  seconds?: string;
  particles?: string;
  res?: string;
  models?: string;
  tfjs?: string | boolean;
}

/** Validates every setting; throws a one-line UserError naming the flag (or URL parameter) and its range. */
export function parseBenchSettings(raw: RawBenchSettings, style: NameStyle): BenchSettings {
  const list = (spec: NumberSpec, text: string | undefined, fallback: number[]) => {
    if (text === undefined) return fallback;
    try {
      const values = text.split(',').map((part) => parseNumber(spec, part, style));
      return [...new Set(values)].sort((a, b) => a - b);
    } catch {
      throw new UserError(`${fieldName(spec, style)} must be a comma-separated list, each ${describeRange(spec)}, got "${text}"`);
    }
  };
  const models = (text: string) => {
    const names = text.split(',');
    const known: readonly string[] = AXIS_MODEL_NAMES;
    if (names.some((n) => !known.includes(n)))
      throw new UserError(
        `${style === 'flag' ? '--models' : 'models'} must be a comma-separated list of ${AXIS_MODEL_NAMES.join(', ')}, got "${text}"`,
      );
    return known.filter((n) => names.includes(n));
  };
  let withTfjs = true;
  if (typeof raw.tfjs === 'boolean') withTfjs = raw.tfjs;
  else if (raw.tfjs !== undefined) {
    if (raw.tfjs !== '0' && raw.tfjs !== '1') throw new UserError(`tfjs must be 0 or 1, got "${raw.tfjs}"`);
    withTfjs = raw.tfjs === '1';
  }
  return {
    rowSeconds: raw.seconds === undefined ? 1 : parseNumber(SECONDS, raw.seconds, style),
    particleCounts: list(PARTICLES, raw.particles, DEFAULT_PARTICLE_COUNTS),
    ...(raw.particles === undefined ? {} : { axisParticleCounts: list(PARTICLES, raw.particles, []) }),
    ...(raw.models === undefined ? {} : { axisModels: models(raw.models) }),
    lossMapResolutions: list(RES, raw.res, DEFAULT_LOSS_MAP_RESOLUTIONS),
    withTfjs,
  };
}
