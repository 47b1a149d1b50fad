import { describe, expect, it } from 'vitest';
import { FrameHistory } from '../../src/worker/frameHistory';
import { seeded, testSeed } from '../helpers/random';

/**
 * Which pushes a capped history should hold, stated directly: after each push n, the pushes on a
 * grid of stride 2^k (0, 2^k, 2·2^k, ... ≤ n) and n itself, with k the smallest that has stayed
 * enough so far to fit the cap (or that leaves only two frames). k never decreases.
 */
function referenceKept(sizes: number[], maxBytes: number): number[] {
  let stride = 1;
  let kept: number[] = [];
  const bytes = () => kept.reduce((b, k) => b + 4 * sizes[k], 0);
  for (let n = 0; n < sizes.length; n++) {
    for (;;) {
      kept = [...Array(n + 1).keys()].filter((k) => k % stride === 0 || k === n);
      if (bytes() <= maxBytes || kept.length <= 2) break;
      stride *= 2;
    }
  }
  return kept;
}

describe('FrameHistory', () => {
  it('keeps the pushes on the coarsest grid needed so far, and the newest, within the cap (random sizes and caps)', () => {
    const seed = testSeed('FrameHistory thinning');
    const rand = seeded(seed);
    for (let t = 0; t < 30; t++) {
      const width = 1 + Math.floor(20 * rand());
      const pushes = 1 + Math.floor(200 * rand());
      // mostly equal frames, as in a run; sometimes sizes that vary
      const sizes = Array.from({ length: pushes }, () => (rand() < 0.8 ? width : 1 + Math.floor(40 * rand())));
      const maxBytes = 4 * width * (1 + Math.floor(30 * rand()));
      const history = new FrameHistory(maxBytes);
      const frames = sizes.map((size, n) => Float32Array.from({ length: size }, (_, k) => n * 1000 + k));
      frames.forEach((f, n) => history.push(10 * n, f));

      const kept = referenceKept(sizes, maxBytes);
      const what = `${pushes} pushes of ~${width} floats, cap ${maxBytes} bytes, seed ${seed}`;
      expect(history.steps, what).toEqual(kept.map((n) => 10 * n));
      expect(history.frames.length, what).toBe(kept.length);
      kept.forEach((n, i) => expect(history.frames[i], what).toBe(frames[n]));
      expect(history.steps[0], what).toBe(0);
      expect(history.steps.at(-1), what).toBe(10 * (pushes - 1));
      const bytes = history.frames.reduce((b, f) => b + f.byteLength, 0);
      if (history.frames.length > 2) expect(bytes, what).toBeLessThanOrEqual(maxBytes);
    }
  });

  it('a long run of equal frames stays evenly thinned from first to last frame (not just its start and its end)', () => {
    for (const pushes of [17, 100, 1000, 1023, 1024, 1025]) {
      const history = new FrameHistory(4 * 8 * 16);
      for (let n = 0; n < pushes; n++) history.push(n, new Float32Array(8));
      const gaps = history.steps.slice(1).map((s, i) => s - history.steps[i]);
      const what = `${pushes} pushes: kept steps ${history.steps.join(',')}`;
      expect(history.frames.length, what).toBeLessThanOrEqual(16);
      expect(history.frames.length, what).toBeGreaterThanOrEqual(8);
      // equal gaps, bar the one before the newest frame, which may be shorter
      expect(new Set(gaps.slice(0, -1)).size, what).toBeLessThanOrEqual(1);
      expect(gaps.at(-1)!, what).toBeLessThanOrEqual(gaps[0]);
      expect(history.steps.at(-1), what).toBe(pushes - 1);
    }
  });

  it('column(index, width) is item `index` of every kept frame, frame after frame', () => {
    const seed = testSeed('FrameHistory column');
    const rand = seeded(seed);
    const width = 1 + Math.floor(6 * rand());
    const items = 1 + Math.floor(10 * rand());
    const history = new FrameHistory(4 * width * items * 9);
    for (let n = 0; n < 25; n++)
      history.push(
        n,
        Float32Array.from({ length: width * items }, () => rand()),
      );
    for (let index = 0; index < items; index++) {
      const expected = history.frames.flatMap((f) => Array.from(f.slice(index * width, (index + 1) * width)));
      expect(Array.from(history.column(index, width)), `item ${index} of ${items}, width ${width}, seed ${seed}`).toEqual(expected);
    }
    expect(new FrameHistory(100).column(0, 3).length).toBe(0);
  });
});
