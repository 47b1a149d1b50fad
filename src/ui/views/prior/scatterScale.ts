import { interpolateViridis } from 'd3-scale-chromatic';
import type { PriorPoint } from '../../../worker/protocol';

/** The decades both log axes span: from the smallest probability plotted (floored to a decade) to 10⁰. */
export function decadeRange(points: readonly PriorPoint[]): number {
  const smallest = Math.min(1, ...points.flatMap((p) => [p.pPrior, p.pSgd]));
  return Math.max(1, Math.ceil(-Math.log10(smallest)));
}

/** Error 0 (the target) to 1 (its complement) on viridis; chance is 0.5. */
export const errorColour = (error: number): string =>
  Number.isFinite(error) ? interpolateViridis(Math.min(1, Math.max(0, error))) : '#999';
