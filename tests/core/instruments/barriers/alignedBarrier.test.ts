import { describe, expect, it } from 'vitest';
import { barrierSets, parseBarrierSet, resolveBarrierSettings } from '../../../../src/core/instruments/barriers/barrierAnalysis';
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
    const probes = randomTask(seeded(1), 3, 2, 8).probes.map((probe) => probe.name);
    expect(barrierSets(probes)).toEqual(['train', 'a', 'b']);
    expect(parseBarrierSet('train', probes)).toBe(0);
    expect(parseBarrierSet('b', probes)).toBe(2);
    expect(() => parseBarrierSet('colour', probes)).toThrow(
      '--set must be one of train, a, b (the training set or a probe set of the task), got "colour"',
    );
    // the sandbox's words for the same refusal
    expect(() => parseBarrierSet('colour', probes, 'label')).toThrow(/^the set must be one of train, a, b .*got "colour"$/);
  });

  it("resolveBarrierSettings: the CLI's flags and the sandbox's request to one BarrierSettings", () => {
    const probes = ['colour', 'shape'];
    expect(resolveBarrierSettings({}, 8, probes)).toEqual({ points: 10, minBarrier: 0.01, align: false, set: 0 });
    expect(resolveBarrierSettings({ points: '5', clusters: '2', align: true, set: 'shape' }, 8, probes, 'label')).toEqual({
      points: 5,
      minBarrier: 0.01,
      clusters: 2,
      align: true,
      set: 2,
    });
    expect(() => resolveBarrierSettings({ set: 'held-out' }, 8, probes, 'label')).toThrow(
      'the set must be one of train, colour, shape (the training set or a probe set of the task), got "held-out"',
    );
    expect(() => resolveBarrierSettings({ points: '1', set: 'shape' }, 8, probes)).toThrow('--points must be an integer from 2 to 100');
  });
});
