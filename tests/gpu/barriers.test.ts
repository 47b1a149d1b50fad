import { describe, expect, it } from 'vitest';
import { barrierAnalysis } from '../../src/core/instruments/barriers/barrierAnalysis';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { defaultKnobs, findPreset } from '../../src/core/tasks';
import { alignedAgainstUnaligned } from '../helpers/alignedPair';
import { reference201, worstAgainst } from '../helpers/barrierReference';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { seeded } from '../helpers/random';

describe('barriers between trained particles', () => {
  it('match the CPU engine and, within 1%, a 201-point float64 line', async () => {
    const seed = testSeed('barriers');
    const rand = seeded(seed);
    const preset = findPreset('thneeb')!;
    const task = preset.build(defaultKnobs(preset));
    const particles = 24;
    const config = { ...DEFAULT_CONFIG, particles, steps: 400, seed: 1 + Math.floor(rand() * 1000) };
    const run = makeRun(config, task);
    const gpu = await gpuEngine();
    const ensemble = await trainEnsemble(gpu, run);
    const settings = { points: 7, minBarrier: 0.01 };
    const onGpu = await barrierAnalysis(gpu, run, ensemble, settings);
    const onCpu = await barrierAnalysis(new CpuEngine(), run, ensemble, settings);
    const m = particles;
    for (let i = 0; i < m; i++) {
      expect(onGpu.barrier[i * m + i]).toBe(0);
      for (let j = 0; j < m; j++) {
        expect(onGpu.barrier[i * m + j]).toBe(onGpu.barrier[j * m + i]);
        // float32 losses of ~0.01-1 over 192 rows: a few 1e-6 apart, barriers are their differences
        expect(Math.abs(onGpu.barrier[i * m + j] - onCpu.barrier[i * m + j]), `pair ${i}, ${j}`).toBeLessThanOrEqual(2e-5);
      }
    }
    // every pair against 201 points in float64: the refined barrier is within 1% (+ 1e-5 for float32 rounding)
    const worst = worstAgainst(onGpu.barrier, reference201(run, ensemble.params, m), m, 1e-5);
    expect(worst.ratio, `pair ${worst.i}, ${worst.j}: ${worst.got} (gpu) vs ${worst.want} (201 points, float64)`).toBeLessThanOrEqual(1);
    expect(onGpu.clustering.clusters).toBe(onCpu.clustering.clusters);
    // the same partition (cluster numbers may differ)
    const together = (c: Int32Array) => Array.from({ length: m * m }, (_, q) => c[Math.floor(q / m)] === c[q % m]);
    expect(together(onGpu.clusters)).toEqual(together(onCpu.clusters));
  });

  it('aligned: a network and a permutation of its hidden units give 0 (to float32 rounding), unaligned > 0', async () => {
    const r = await alignedAgainstUnaligned(await gpuEngine(), testSeed('gpu aligned barrier'));
    expect(r.unaligned).toBeGreaterThan(1e-3);
    expect(r.aligned).toBeLessThanOrEqual(1e-6);
    expect(r.onProbe).toBeLessThanOrEqual(1e-6);
  });
});
