import { MAX_TRAIL_PARTICLES } from '../state/runData.svelte';

/**
 * Line segments joining each particle's recent positions, fading with age: [segments][2][α, β]
 * and one opacity per segment end. Only the first MAX_TRAIL_PARTICLES particles leave trails.
 */
export function trailSegments(history: readonly Float32Array[]): { segments: Float32Array; opacity: Float32Array } {
  if (history.length < 2) return { segments: new Float32Array(0), opacity: new Float32Array(0) };
  const n = Math.min(MAX_TRAIL_PARTICLES, history[0].length / 2);
  const spans = history.length - 1;
  const segments = new Float32Array(n * spans * 4);
  const opacity = new Float32Array(n * spans * 2);
  let k = 0;
  for (let f = 0; f < spans; f++) {
    const a = history[f];
    const b = history[f + 1];
    const fade0 = (0.55 * (f + 0)) / spans;
    const fade1 = (0.55 * (f + 1)) / spans;
    for (let i = 0; i < n; i++) {
      segments.set([a[2 * i], a[2 * i + 1], b[2 * i], b[2 * i + 1]], k * 4);
      opacity[k * 2] = fade0;
      opacity[k * 2 + 1] = fade1;
      k++;
    }
  }
  return { segments, opacity };
}
