import { describe, expect, it } from 'vitest';
import { parseBarrierSet } from '../../../../src/core/instruments/barriers/barrierAnalysis';
import { CpuEngine } from '../../../../src/core/cpuEngine';
import { alignedAgainstUnaligned } from '../../../helpers/alignedPair';
import { randomTask, seeded, testSeed } from '../../../helpers/random';

describe('aligned barriers', () => {
  it('a network and a permutation of its hidden units: aligned barrier 0 (to float32 rounding), unaligned > 0, on any set', async () => {
    const r = await alignedAgainstUnaligned(new CpuEngine(), testSeed('aligned barrier'));
    console.log(`unaligned ${r.unaligned}, aligned ${r.aligned}, aligned on a probe set ${r.onProbe}`);
    expect(r.unaligned).toBeGreaterThan(1e-3);
    expect(r.aligned).toBeLessThanOrEqual(1e-6);
    expect(r.onProbe).toBeLessThanOrEqual(1e-6);
    expect(r.alignedText).toMatch(/weight matching/);
  });

  it('--set takes train or a probe set by name, and names the choices otherwise', () => {
    const task = randomTask(seeded(1), 3, 2, 8);
    expect(parseBarrierSet('train', task)).toBe(0);
    expect(parseBarrierSet('b', task)).toBe(2);
    expect(() => parseBarrierSet('colour', task)).toThrow(
      '--set must be one of train, a, b (the training set or a probe set of the task), got "colour"',
    );
  });
});
