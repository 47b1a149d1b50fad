import { describe, expect, it } from 'vitest';
import { initEnsemble, initParticle } from '../../src/core/init';
import { layerSpans, paramCount } from '../../src/core/layout';
import { PURPOSE_INIT, randUniform } from '../../src/core/rng';
import { testSeed } from './helpers';

const WIDTHS = [3, 16, 8, 1];

describe('init', () => {
  it('each layer (weights and bias) lies within ±scale/√fan_in and fills that range', () => {
    const seed = testSeed('init bounds');
    for (const scale of [1, 0.25, 7]) {
      const p = initParticle(WIDTHS, seed, 0, scale);
      expect(p).toBeInstanceOf(Float32Array);
      expect(p.length).toBe(paramCount(WIDTHS));
      for (const s of layerSpans(WIDTHS)) {
        const bound = scale / Math.sqrt(s.fanIn);
        for (const [part, from, to] of [
          ['weights', s.w, s.b],
          ['bias', s.b, s.b + s.fanOut],
        ] as const) {
          const values = Array.from(p.subarray(from, to));
          const max = Math.max(...values.map(Math.abs));
          // float32 rounding may touch the bound itself, never more
          expect(max, `scale ${scale}, fan_in ${s.fanIn} ${part}: max |value| vs bound ${bound}`).toBeLessThanOrEqual(Math.fround(bound));
          if (part === 'weights' && values.length >= 16) {
            // 16+ uniform draws: the largest |value| is above half the bound with probability 1 − 2^-16
            expect(max, `scale ${scale}, fan_in ${s.fanIn}: the largest of ${values.length} |weights| (bound ${bound})`).toBeGreaterThan(
              0.5 * bound,
            );
            expect(values.some((v) => v < 0) && values.some((v) => v > 0), `weights of both signs`).toBe(true);
          }
        }
      }
    }
  });

  it('each entry is the float32 of (2u − 1)·scale/√fan_in with u from the init stream of (seed, particle), slot = index', () => {
    const seed = testSeed('init stream');
    const scale = 1.5;
    const p = initParticle(WIDTHS, seed, 5, scale);
    for (const s of layerSpans(WIDTHS)) {
      for (let k = s.w; k < s.b + s.fanOut; k++) {
        const expected = Math.fround((2 * randUniform(seed, 5, PURPOSE_INIT, 0, k) - 1) * (scale / Math.sqrt(s.fanIn)));
        if (p[k] !== expected) expect.fail(`entry ${k}: ${p[k]}, expected ${expected}`);
      }
    }
  });

  it('is deterministic per (seed, particle) and differs across particles and seeds', () => {
    const seed = testSeed('init determinism');
    const a = initParticle(WIDTHS, seed, 0, 1);
    expect(Array.from(initParticle(WIDTHS, seed, 0, 1))).toEqual(Array.from(a));
    const differing = (x: Float32Array, y: Float32Array) => x.filter((v, k) => v !== y[k]).length;
    const others = [initParticle(WIDTHS, seed, 1, 1), initParticle(WIDTHS, (seed + 1) >>> 0, 0, 1), initParticle(WIDTHS, seed, 1000, 1)];
    for (const [i, o] of others.entries()) {
      // independent draws: essentially every entry differs
      expect(differing(a, o), `vector ${i}: entries that differ from particle 0 of seed ${seed}, of ${a.length}`).toBeGreaterThan(
        0.99 * a.length,
      );
    }
  });

  it('scale multiplies the whole vector (same draws)', () => {
    const seed = testSeed('init scale');
    const one = initParticle(WIDTHS, seed, 2, 1);
    const four = initParticle(WIDTHS, seed, 2, 4);
    // ×4 is exact in binary floating point
    expect(Array.from(four)).toEqual(Array.from(one, (v) => 4 * v));
  });

  it('initEnsemble concatenates particles first .. first + count − 1; initParticle can write into a given buffer', () => {
    const seed = testSeed('initEnsemble');
    const P = paramCount(WIDTHS);
    const all = initEnsemble(WIDTHS, seed, 10, 3, 2);
    expect(all.length).toBe(3 * P);
    for (let i = 0; i < 3; i++) {
      expect(Array.from(all.subarray(i * P, (i + 1) * P)), `particle ${10 + i}`).toEqual(Array.from(initParticle(WIDTHS, seed, 10 + i, 2)));
    }
    const buffer = new Float32Array(P);
    expect(initParticle(WIDTHS, seed, 11, 2, 'default', buffer)).toBe(buffer);
    expect(Array.from(buffer)).toEqual(Array.from(all.subarray(P, 2 * P)));
  });
});
