import { describe, expect, it } from 'vitest';
import { lineBarrier } from '../../src/core/analysis/barrier';
import { barrierAnalysis } from '../../src/core/analysis/barrierAnalysis';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { outputsFor } from '../../src/core/layout';
import { Mlp } from '../../src/core/mlp';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { defaultKnobs, findPreset } from '../../src/core/tasks';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { seeded } from '../helpers/random';

describe('barriers between trained particles', () => {
  it('match the CPU engine and a direct float64 evaluation of the interpolated networks', async () => {
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
    // a few pairs directly: (1 − t)·a + t·b in float64, the mean train loss from core's network
    const mlp = new Mlp({ widths: [task.inputs, ...config.hidden, outputsFor(task.classes)], activation: config.activation });
    const p = ensemble.params.length / m;
    for (let trial = 0; trial < 5; trial++) {
      const i = Math.floor(rand() * m);
      const j = (i + 1 + Math.floor(rand() * (m - 1))) % m;
      const losses = onGpu.points.map((t) => {
        const x = Float64Array.from({ length: p }, (_, k) => (1 - t) * ensemble.params[i * p + k] + t * ensemble.params[j * p + k]);
        return mlp.evaluate(x, task.train)[0];
      });
      expect(Math.abs(onGpu.barrier[i * m + j] - lineBarrier(losses, onGpu.points)), `pair ${i}, ${j}`).toBeLessThanOrEqual(2e-5);
    }
    expect(onGpu.clustering.clusters).toBe(onCpu.clustering.clusters);
    // the same partition (cluster numbers may differ)
    const together = (c: Int32Array) => Array.from({ length: m * m }, (_, q) => c[Math.floor(q / m)] === c[q % m]);
    expect(together(onGpu.clusters)).toEqual(together(onCpu.clusters));
  });
});
