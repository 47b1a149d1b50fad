import { describe, expect, it } from 'vitest';
import { countOutside, fitView } from '../../src/ui/map/mapGeometry';
import { seeded, testSeed } from '../helpers/random';

describe('particles outside the view', () => {
  const win = { a0: -1, a1: 1, b0: -1, b1: 1 };

  it('counts positions outside the window, and non-finite ones', () => {
    expect(countOutside(win, new Float32Array([0, 0, 1, 1, 1.01, 0, 0, -2, NaN, 0, Infinity, 0]))).toBe(4);
  });

  it('fit view holds every finite position and landmark, with a margin, on random clouds', () => {
    const seed = testSeed('fit view');
    const rand = seeded(seed);
    for (let trial = 0; trial < 50; trial++) {
      const scale = 10 ** (4 * rand() - 2);
      const shift = [(rand() - 0.5) * 20, (rand() - 0.5) * 20];
      const n = 1 + Math.floor(rand() * 200);
      const positions = new Float32Array(2 * n).map((_, i) => shift[i % 2] + (rand() - 0.5) * scale);
      const landmarks = [{ alpha: 0, beta: 0 }];
      const fit = fitView(positions, landmarks)!;
      const w = { a0: fit.offset[0] - fit.span, a1: fit.offset[0] + fit.span, b0: fit.offset[1] - fit.span, b1: fit.offset[1] + fit.span };
      expect(countOutside(w, positions), `seed ${seed}, trial ${trial}: ${JSON.stringify(fit)}`).toBe(0);
      expect(countOutside(w, new Float32Array([0, 0])), `seed ${seed}, trial ${trial}: landmark`).toBe(0);
      // not wastefully large: the farthest point reaches most of the way to the window's edge
      let far = Math.max(Math.abs(fit.offset[0]), Math.abs(fit.offset[1]));
      for (let i = 0; i < 2 * n; i++) far = Math.max(far, Math.abs(positions[i] - fit.offset[i % 2]));
      expect(far / fit.span, `seed ${seed}, trial ${trial}: ${JSON.stringify(fit)}`).toBeGreaterThan(0.7);
    }
  });

  it('ignores non-finite positions, and has no answer when nothing is finite', () => {
    expect(fitView(new Float32Array([NaN, 0, Infinity, 1]), [])).toBeUndefined();
    expect(fitView(new Float32Array([NaN, 0, 2, 2]), [])!.offset).toEqual([2, 2]);
  });
});
