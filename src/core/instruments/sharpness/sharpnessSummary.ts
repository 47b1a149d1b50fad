import { quantiles } from '../../stats';
import type { SharpnessResult } from './sharpness';

export interface SharpnessStats {
  readonly particles: number;
  /** particles whose power iteration converged: the median and quartiles are over these alone */
  readonly converged: number;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  /** the median trace estimate, when the trace was asked for */
  readonly traceMedian?: number;
}

/** Median and quartiles of the converged top eigenvalues within each outcome class. */
export function sharpnessByClass(result: SharpnessResult, classes: string[], outcomes: Uint8Array): Record<string, SharpnessStats> {
  return Object.fromEntries(
    classes.map((name, c) => {
      const members = [...outcomes.keys()].filter((i) => outcomes[i] === c);
      // NaN (not converged, not measured) is left out by quantiles
      const [q1, median, q3] = quantiles(
        members.map((i) => result.topEigenvalue[i]),
        [0.25, 0.5, 0.75],
      );
      const converged = members.filter((i) => result.converged[i]).length;
      const traceMedian = result.trace
        ? quantiles(
            members.map((i) => result.trace!.estimate[i]),
            [0.5],
          )[0]
        : undefined;
      return [name, { particles: members.length, converged, median, q1, q3, ...(result.trace ? { traceMedian } : {}) }];
    }),
  );
}
