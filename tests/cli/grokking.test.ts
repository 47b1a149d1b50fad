import { describe, expect, it } from 'vitest';
import { cli } from './run';

/** train's recording and the grokking preset's Fourier field, end to end on the CPU engine. */
describe('train --task grokking --record-every', () => {
  const args = ['train', '--task', 'grokking', '--knob', 'p=5', '--hidden', '6', '--steps', '30', '--particles', '3', '--engine', 'cpu'];

  it('records every k steps: the steps, quantile curves, each particle’s curves and first steps at τ, and the Fourier field', async () => {
    const r = await cli([...args, '--record-every', '10', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.record).toMatchObject({ every: 10, steps: [0, 10, 20, 30], reachedAt: 0.9, curves: 'per particle' });
    expect(out.record.quantiles.q).toEqual([0.1, 0.25, 0.5, 0.75, 0.9]);
    expect(out.record.quantiles.probes.generalised.acc).toHaveLength(4);
    for (const p of out.particles) {
      const curve = p.record.train.acc as number[];
      expect(curve).toHaveLength(4);
      // the last recorded point is the particle's final metrics
      expect(curve[3]).toBe(p.trainAcc);
      const first = curve.findIndex((a) => a >= 0.9);
      expect(p.steps.train).toBe(first < 0 ? null : out.record.steps[first]);
      expect(Object.keys(p.steps.probe)).toEqual(['generalised']);
    }
    const generalised = out.particles.filter((p: { outcome: string }) => p.outcome === 'generalised').length;
    expect(out.fourier).toMatchObject({ of: 'generalised particles', measured: generalised });
    expect(out.fourier.distinctSets).toBe(generalised ? out.fourier.sets.length : null);
  });

  it('without --record-every there is no record; the human summary names the outcomes', async () => {
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/memorised/);
    expect(r.stdout).not.toMatch(/first step at accuracy/);
  });
});
