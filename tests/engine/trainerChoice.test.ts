import { describe, expect, it } from 'vitest';
import { paramCount, type ModelLayout } from '../../src/core/layout';
import { chooseTrainer, CROSSOVER, PER_PARTICLE_MAX_PARAMS } from '../../src/engine/trainerChoice';

const net = (...widths: number[]): ModelLayout => ({ widths, activation: 'tanh' });
const COUNTS = [1, 8, 16, 64, 256, 1024, 16384];

describe('chooseTrainer', () => {
  it('has one row for every size the per-particle kernels take, in ascending order', () => {
    const sizes = CROSSOVER.map((r) => r.maxParams);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(sizes[sizes.length - 1]).toBe(PER_PARTICLE_MAX_PARAMS);
  });

  it('trains nets past the per-particle cap batched, even when per-particle is asked for', () => {
    const big = net(46, 48, 64, 23);
    expect(paramCount(big)).toBeGreaterThan(PER_PARTICLE_MAX_PARAMS);
    for (const n of COUNTS) {
      expect(chooseTrainer(big, n)).toBe('batched');
      expect(chooseTrainer(big, n, 'per-particle')).toBe('batched');
    }
  });

  it('keeps a forced trainer within the cap', () => {
    for (const layout of [net(3, 16, 1), net(3, 32, 32, 1)])
      for (const n of COUNTS) for (const kind of ['per-particle', 'batched'] as const) expect(chooseTrainer(layout, n, kind)).toBe(kind);
  });

  // docs/PERFORMANCE.md, item 36: the cells whose winner was the same in every run
  it('gives the measured winner where it was clear', () => {
    for (const n of COUNTS) {
      expect(chooseTrainer(net(3, 16, 1), n)).toBe('per-particle');
      expect(chooseTrainer(net(50, 4, 1), n)).toBe('per-particle');
    }
    // 3-64-1 at 8 and 3-128-1 at 1,024 were batched before item 36
    for (const n of [8, 256]) expect(chooseTrainer(net(3, 64, 1), n)).toBe('per-particle');
    expect(chooseTrainer(net(3, 128, 1), 64)).toBe('batched');
    expect(chooseTrainer(net(3, 128, 1), 1024)).toBe('per-particle');
    for (const n of [64, 256, 1024]) expect(chooseTrainer(net(3, 32, 32, 1), n)).toBe('batched');
  });
});
