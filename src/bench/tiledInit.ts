import { initEnsemble } from '../core/init';
import { paramCount, type ModelLayout } from '../core/layout';

/**
 * Inits for `count` particles: `drawn` of them drawn (fewer where count is smaller), then tiled.
 * Drawing inits for tens of thousands of particles is slow, and their values do not change what
 * a benchmark times.
 */
export function tiledInit(layout: ModelLayout, count: number, drawn: number): Float32Array {
  const base = initEnsemble(layout, 1, 0, Math.min(count, drawn), 1);
  if (base.length === count * paramCount(layout)) return base;
  const out = new Float32Array(count * paramCount(layout));
  for (let at = 0; at < out.length; at += base.length) out.set(base.subarray(0, Math.min(base.length, out.length - at)), at);
  return out;
}
