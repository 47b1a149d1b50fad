import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcess, tempDir } from './run';

const dir = tempDir();
const readJson = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

/** train's recording and the grokking preset's Fourier field, end to end on the CPU engine. */
describe('train --task grokking --record-every', () => {
  const args = ['train', '--task', 'grokking', '--knob', 'p=5', '--hidden', '6', '--steps', '30', '--particles', '3', '--engine', 'cpu'];

  it('records every k steps (the steps, quantile curves, each particle’s curves and first steps at τ) beside the Fourier field; shards merge into the same', async () => {
    const r = await inProcess([...args, '--record-every', '10', '--json', '--out', join(dir, 'whole.json')]);
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

    // shards merge into the record and Fourier field the whole run wrote
    const recorded = [...args, '--record-every', '10'];
    for (const i of [0, 1]) expect((await inProcess([...recorded, '--shard', `${i}/2`, '--out', join(dir, `s${i}.json`)])).code).toBe(0);
    const merged = await inProcess(['merge', join(dir, 's0.json'), join(dir, 's1.json'), '--out', join(dir, 'merged.json')]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toMatch(/first step at accuracy/);
    const [m, w] = [readJson('merged.json'), readJson('whole.json')];
    expect(m.record).toEqual(w.record);
    expect(m.fourier).toEqual(w.fourier);
    expect(m.particles).toEqual(w.particles);
  });
});
