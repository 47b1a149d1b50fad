import { describe, expect, it } from 'vitest';
import { fullDeviceRange, logLogSlope } from '../../src/bench/fit';
import { flopsPerParticleStep } from '../../src/core/layout';

describe('benchmark arithmetic', () => {
  it('logLogSlope recovers the exponent of a power law', () => {
    const xs = [256, 1024, 4096, 16384];
    for (const e of [0.5, 1, 1.3])
      expect(
        logLogSlope(
          xs,
          xs.map((x) => 3 * x ** e),
        ),
      ).toBeCloseTo(e, 10);
  });

  it('fullDeviceRange starts where throughput reaches 80% of the best and keeps every later point', () => {
    // time per step flat while the device fills (throughput 256, 1024), then linear (2048, 2048),
    // then a slowdown (1024) that must stay in the fit
    const xs = [256, 1024, 4096, 16384, 65536];
    const ys = [1, 1, 2, 8, 64];
    expect(fullDeviceRange(xs, ys)).toEqual([2, 3, 4]);
  });

  it('counts a 3-16-1 SGD step at batch 16 as forward + backward + update', () => {
    // per example: layer 1 (48 MACs) forward + weight gradient = 4·48; layer 2 (16 MACs) also the delta = 6·16
    expect(flopsPerParticleStep([3, 16, 1], 16, 'sgd')).toBe(16 * (4 * 48 + 6 * 16) + 4 * 81);
  });
});
