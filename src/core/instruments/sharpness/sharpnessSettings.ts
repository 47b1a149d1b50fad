import { parseNumber, type NameStyle, type NumberSpec } from '../../config';
import { UserError } from '../../errors';

export interface SharpnessSettings {
  /** most Hessian–vector products per particle in the power iteration */
  readonly maxIter: number;
  /** stop once vᵀHv changes by less than this, relative */
  readonly tol: number;
  /** whether to estimate the trace too (Hutchinson) */
  readonly trace: boolean;
  readonly traceSamples: number;
  /** seed of the start vectors and the Rademacher vectors */
  readonly seed: number;
}

/** PyHessian's defaults for the power iteration; 100 Rademacher samples for the trace. */
export const DEFAULT_SHARPNESS = { maxIter: 100, tol: 1e-3, traceSamples: 100 } as const;

export const SHARPNESS_FIELDS = {
  maxIter: { flag: '--max-iter', label: 'most power iterations', integer: true, min: 1, max: 10000 },
  tol: { flag: '--tol', label: 'relative tolerance', integer: false, min: 0, max: 1, minExclusive: true },
  // at least 2 samples: a standard error needs a spread
  traceSamples: { flag: '--trace-samples', label: 'trace samples', integer: true, min: 2, max: 100000 },
} as const satisfies Record<string, NumberSpec>;

/** The sharpness settings from a user's text (flags or form fields); `seed` is the run's init seed. */
export function parseSharpnessSettings(
  raw: { maxIter?: string; tol?: string; trace?: boolean; traceSamples?: string },
  seed: number,
  style: NameStyle = 'flag',
): SharpnessSettings {
  const f = SHARPNESS_FIELDS;
  const maxIter = raw.maxIter === undefined ? DEFAULT_SHARPNESS.maxIter : parseNumber(f.maxIter, raw.maxIter, style);
  const tol = raw.tol === undefined ? DEFAULT_SHARPNESS.tol : parseNumber(f.tol, raw.tol, style);
  const traceSamples =
    raw.traceSamples === undefined ? DEFAULT_SHARPNESS.traceSamples : parseNumber(f.traceSamples, raw.traceSamples, style);
  const trace = raw.trace === true;
  if (raw.traceSamples !== undefined && !trace)
    throw new UserError(
      `${style === 'flag' ? '--trace-samples' : 'trace samples'} applies with ${style === 'flag' ? '--trace' : 'the trace'}: add it, or leave the samples out`,
    );
  return { maxIter, tol, trace, traceSamples, seed };
}
