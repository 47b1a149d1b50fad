import { describe, expect, it } from 'vitest';
import { classify, DEFAULT_THRESHOLDS, outcomeClasses } from '../../../src/core/classify';
import { DEFAULT_CONFIG, type RunConfig } from '../../../src/core/config';
import { CpuEngine } from '../../../src/core/cpuEngine';
import { makeRun, trainEnsemble } from '../../../src/core/runs';
import { findPreset } from '../../../src/core/tasks';
import { grokking, GROKKING_DEFAULTS, MEMORISED_BELOW } from '../../../src/core/tasks/grokking';
import { firstReached } from '../../../src/core/trainingRecord';
import { testSeed } from '../helpers';
import { expectWellFormed, row } from './shared';

/** (a, b) of a one-hot pair row. */
function pair(x: number[], p: number): [number, number] {
  return [x.indexOf(1), x.indexOf(1, p) - p];
}

describe('grokking', () => {
  it('every pair (a, b) once, in train or held out, two one-hots in, (a + b) mod p out', () => {
    for (const [p, trainFraction, dataSeed] of [
      [GROKKING_DEFAULTS.p, GROKKING_DEFAULTS.trainFraction, 0],
      [7, 0.3, testSeed('grokking split')],
    ]) {
      const task = grokking({ p, trainFraction, dataSeed });
      expectWellFormed(task);
      expect([task.inputs, task.classes, task.probes.map((s) => s.name)]).toEqual([2 * p, p, ['generalised']]);
      expect(task.train.rows).toBe(Math.round(trainFraction * p * p));
      const seen = new Set<number>();
      for (const d of [task.train, task.probes[0].data]) {
        for (let r = 0; r < d.rows; r++) {
          const x = row(d, r);
          expect(
            x.reduce((s, v) => s + v, 0),
            'two ones',
          ).toBe(2);
          const [a, b] = pair(x, p);
          expect(d.y[r], `label of ${a} + ${b}`).toBe((a + b) % p);
          seen.add(a * p + b);
        }
      }
      expect(seen.size).toBe(p * p);
    }
  });

  it('the data seed changes which pairs are held out', () => {
    const split = (dataSeed: number) => {
      const t = grokking({ ...GROKKING_DEFAULTS, dataSeed });
      return Array.from({ length: t.train.rows }, (_, r) => pair(row(t.train, r), GROKKING_DEFAULTS.p).join(','));
    };
    expect(split(0)).toEqual(split(0));
    expect(split(0)).not.toEqual(split(testSeed('grokking other seed') + 1));
  });

  it('outcomes: generalised at τ, memorised below MEMORISED_BELOW held out, mixed between, unconverged', () => {
    const task = grokking();
    expect(outcomeClasses(task)).toEqual(['generalised', 'memorised', 'mixed', 'unconverged', 'diverged']);
    // (train acc, held-out acc) per particle; loss values are irrelevant here
    const cases: [number, number, string][] = [
      [1, 0.95, 'generalised'],
      [1, 1 / GROKKING_DEFAULTS.p, 'memorised'],
      [1, MEMORISED_BELOW - 0.01, 'memorised'],
      [1, MEMORISED_BELOW + 0.01, 'mixed'],
      [0.5, 0.9, 'unconverged'],
    ];
    const metrics = Float32Array.from(cases.flatMap(([t, h]) => [0.1, t, 0.1, h]));
    const out = classify(task, metrics, undefined, DEFAULT_THRESHOLDS);
    expect(Array.from(out, (o) => outcomeClasses(task)[o])).toEqual(cases.map((c) => c[2]));
  });

  it('the delay: a few particles fit every training pair long before the held-out ones, which keep rising', async () => {
    // a small version of the preset (p = 17, 2p–32–p, lr 0.01). Measured over 12 particles: train
    // accuracy ≥ 0.9 at step 50–100, held-out accuracy then 0.02–0.09, at step 400 0.35–0.64
    const preset = findPreset('grokking')!;
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      ...preset.defaults,
      task: 'grokking',
      hidden: [32],
      lr: 0.01,
      steps: 400,
      particles: 2,
      seed: testSeed('grokking delay'),
    };
    const run = makeRun(config, preset.build({ ...GROKKING_DEFAULTS, p: 17 }));
    const result = await trainEnsemble(new CpuEngine(), run, { recordEvery: 50 });
    const record = result.record!;
    const train = firstReached(record, 2, 0, 0.9);
    train.forEach((step, i) => {
      expect(step, `particle ${i}: step train accuracy reached 0.9`).not.toBeNull();
      expect(step!, `particle ${i}`).toBeLessThanOrEqual(150);
      const at = record.steps.indexOf(step!);
      const heldOut = (k: number) => record.metrics[k][i * 4 + 3];
      expect(heldOut(at), `particle ${i}: held-out accuracy when train reached 0.9`).toBeLessThanOrEqual(0.25);
      expect(heldOut(record.steps.length - 1), `particle ${i}: held-out accuracy at step 400`).toBeGreaterThanOrEqual(0.25);
    });
  });
});
