import { describe, expect, it } from 'vitest';
import { interpolationPoints } from '../../../../src/core/instruments/barriers/barrier';
import { barrierAnalysis } from '../../../../src/core/instruments/barriers/barrierAnalysis';
import { refineBarriers, type SegmentLosses } from '../../../../src/core/instruments/barriers/barrierRefine';
import { DEFAULT_CONFIG } from '../../../../src/core/config';
import { CpuEngine } from '../../../../src/core/cpuEngine';
import type { Engine } from '../../../../src/core/engine';
import { outcomeClasses } from '../../../../src/core/classify';
import { outputsFor } from '../../../../src/core/layout';
import { makeRun, trainEnsemble, type EnsembleResult, type Run } from '../../../../src/core/runs';
import { defaultKnobs, findPreset } from '../../../../src/core/tasks';
import { reference201, worstAgainst } from '../../../helpers/barrierReference';
import { randomParams, randomTask, seeded, testSeed } from '../../../helpers/random';

function ensembleOf(run: Run, params: Float32Array, m: number): EnsembleResult {
  return {
    classes: outcomeClasses(run.task),
    outcomes: new Uint8Array(m),
    metrics: new Float32Array(0),
    diverged: new Uint8Array(m),
    params,
  };
}

async function check(engine: Engine, run: Run, params: Float32Array, m: number, label: string) {
  const reference = reference201(run, params, m);
  const refined = await barrierAnalysis(engine, run, ensembleOf(run, params, m), { points: 10, minBarrier: 0.01 });
  // float32 points and losses: a barrier of ~1e-6 cannot be resolved to 1% of itself
  const worst = worstAgainst(refined.barrier, reference, m, 1e-5);
  console.log(
    `${label}: worst |refined − 201 points| = ${worst.ratio.toFixed(3)} × (1% + 1e-5), pair ${worst.i}, ${worst.j}: ${worst.got} vs ${worst.want}`,
  );
  expect(worst.ratio, `pair ${worst.i}, ${worst.j}: ${worst.got} (refined) vs ${worst.want} (201 points, float64)`).toBeLessThanOrEqual(1);
  return reference;
}

describe('barriers refined around each line’s peak', () => {
  it('find a narrow hump that an even grid of 10 points reads low', async () => {
    // a hump of height 1 and width ~0.05 at a position between grid points, on a rising chord
    const centre = 0.37;
    const loss = (t: number) => 0.2 + 0.5 * t + Math.exp(-(((t - centre) / 0.05) ** 2));
    const ts = interpolationPoints(10);
    const segments: SegmentLosses = async (lines, lo, hi, ss) =>
      Float64Array.from({ length: lines.length * ss.length }, (_, k) => {
        const q = Math.floor(k / ss.length);
        return loss(lo[q] + ss[k % ss.length] * (hi[q] - lo[q]));
      });
    const coarse = await refineBarriers(1, ts, (_, k) => loss(ts[k]), segments, { rounds: 0, perRound: 5, peaks: 3 });
    const refined = await refineBarriers(1, ts, (_, k) => loss(ts[k]), segments);
    expect(coarse.barrier[0], 'the coarse grid alone misses the top').toBeLessThan(0.9);
    expect(Math.abs(refined.barrier[0] - 1)).toBeLessThanOrEqual(1e-3);
    expect(Math.abs(refined.peakT[0] - centre)).toBeLessThanOrEqual(refined.bracket);
  });

  it('leave lines with a non-finite loss NaN and a flat line 0', async () => {
    const ts = interpolationPoints(4);
    const values = [
      [1, NaN, 1, 1],
      [1, 1, 1, 1],
    ];
    const segments: SegmentLosses = async (lines, _lo, _hi, ss) => new Float64Array(lines.length * ss.length).fill(1);
    const r = await refineBarriers(2, ts, (line, k) => values[line][k], segments);
    expect(r.barrier[0]).toBeNaN();
    expect(r.barrier[1]).toBe(0);
  });

  it('are within 1% of a 201-point float64 line between random networks, on the CPU engine', async () => {
    const rand = seeded(testSeed('refined barriers, random nets'));
    const task = randomTask(rand, 3, 2, 24);
    const hidden = [6, 4];
    const run = makeRun({ ...DEFAULT_CONFIG, hidden, particles: 6 }, task);
    const m = 6;
    const params = randomParams(rand, [3, ...hidden, outputsFor(2)], m, 1 + 2 * rand());
    await check(new CpuEngine(), run, params, m, 'random nets');
  });

  it('are within 1% of a 201-point float64 line between trained thneeb networks, on the CPU engine', async () => {
    const seed = testSeed('refined barriers, trained thneeb');
    const preset = findPreset('thneeb')!;
    const m = 8;
    const run = makeRun({ ...DEFAULT_CONFIG, particles: m, steps: 300, seed: 1 + (seed % 1000) }, preset.build(defaultKnobs(preset)));
    const cpu = new CpuEngine();
    const ensemble = await trainEnsemble(cpu, run);
    const reference = await check(cpu, run, ensemble.params, m, 'trained thneeb');
    expect(
      reference.some((b) => b > 1e-3),
      'some pair has a barrier to find',
    ).toBe(true);
  });
});
