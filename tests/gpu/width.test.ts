import { describe, expect, it } from 'vitest';
import { widthAnalysis, type WidthSettings } from '../../src/core/instruments/width/width';
import { classify } from '../../src/core/classify';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { filterNormalizedDirection } from '../../src/core/plane';
import { PURPOSE_WIDTH } from '../../src/core/rng';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { defaultKnobs, findPreset } from '../../src/core/tasks';
import { evaluateEnsemble } from '../../src/cli/measured';
import { CancelledError } from '../../src/core/errors';
import { paramCount } from '../../src/core/layout';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { seeded } from '../helpers/random';

describe('width of trained particles', () => {
  it('on the GPU matches a direct CPU classification of w + r·d with the same directions', async () => {
    const seed = testSeed('width');
    const rand = seeded(seed);
    const preset = findPreset('thneeb')!;
    const task = preset.build(defaultKnobs(preset));
    const particles = 12;
    const config = { ...DEFAULT_CONFIG, particles, steps: 300, seed: 1 + Math.floor(rand() * 1000) };
    const run = makeRun(config, task);
    const gpu = await gpuEngine();
    const ensemble = await trainEnsemble(gpu, run);
    const settings: WidthSettings = { directions: 6, radii: 7, rMin: 0.02, rMax: 2, delta: 0.1 };
    const directionSeed = Math.floor(rand() * 1000);
    const onGpu = await widthAnalysis(gpu, run, ensemble, settings, directionSeed);

    // the oracle: every perturbed network built here in float64, then evaluated and classified by the CPU engine
    const cpu = new CpuEngine();
    const p = ensemble.params.length / particles;
    const k = settings.directions;
    const r = onGpu.radii;
    const points = new Float32Array(particles * k * r.length * p);
    for (let i = 0; i < particles; i++) {
      const w = ensemble.params.subarray(i * p, (i + 1) * p);
      for (let d = 0; d < k; d++) {
        const dir = filterNormalizedDirection(run.layout.widths, w, directionSeed, i * k + d, PURPOSE_WIDTH);
        for (let j = 0; j < r.length; j++) {
          const at = ((i * k + d) * r.length + j) * p;
          for (let q = 0; q < p; q++) points[at + q] = w[q] + r[j] * dir[q];
        }
      }
    }
    const pointsRun = makeRun({ ...config, particles: particles * k * r.length }, task);
    const direct = await evaluateEnsemble(cpu, pointsRun, points);
    const outcomes = classify(task, direct.metrics, direct.diverged, config.thresholds);

    // a perturbed network within float32 rounding of a threshold may fall either side: allow one
    // direction's difference in a few cells, nothing more
    let cellsOff = 0;
    for (let i = 0; i < particles; i++) {
      const mine = onGpu.particles[i];
      if (mine === undefined) continue;
      for (let j = 0; j < r.length; j++) {
        let moved = 0;
        for (let d = 0; d < k; d++) if (outcomes[(i * k + d) * r.length + j] !== ensemble.outcomes[i]) moved++;
        const diff = Math.abs(mine.changed[j] - moved / k);
        expect(diff, `particle ${i}, radius ${r[j]}`).toBeLessThanOrEqual(1 / k + 1e-12);
        if (diff > 0) cellsOff++;
      }
    }
    expect(cellsOff, 'cells whose share differs by one direction').toBeLessThanOrEqual(Math.ceil(0.03 * particles * r.length));
    // and the mean loss rise, which is continuous: float32 (GPU) against float64 (CPU) losses
    const onCpu = await widthAnalysis(cpu, run, ensemble, settings, directionSeed);
    for (let i = 0; i < particles; i++) {
      for (let j = 0; j < r.length; j++) {
        const a = onGpu.particles[i]!.lossRise[j];
        const b = onCpu.particles[i]!.lossRise[j];
        expect(Math.abs(a - b), `particle ${i}, radius ${r[j]}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(b)));
      }
    }
  });

  it("stops between the engine pass's dispatches: none is made after a stop is asked for", async () => {
    const preset = findPreset('thneeb')!;
    const task = preset.build(defaultKnobs(preset));
    const particles = 16;
    const run = makeRun({ ...DEFAULT_CONFIG, hidden: [4], particles }, task);
    const rand = seeded(testSeed('width stop'));
    const params = Float32Array.from({ length: particles * paramCount(run.layout) }, () => rand() - 0.5);
    // 16 particles × 16 directions × 16 radii = 4,096 points: the pass starts with a chunk of at
    // most 1,024 (whatever the device's speed), so at least four dispatches are asked for
    const ensemble = await evaluateEnsemble(new CpuEngine(), run, params);
    const gpu = await gpuEngine();
    const stop = new AbortController();
    let afterStop = 0;
    const onProgress = (fraction: number) => {
      // the pass reports each finished dispatch (direction building reports 0)
      if (fraction === 0) return;
      if (stop.signal.aborted) afterStop++;
      else stop.abort();
    };
    const settings: WidthSettings = { directions: 16, radii: 16, rMin: 0.02, rMax: 2, delta: 0.1 };
    await expect(widthAnalysis(gpu, run, ensemble, settings, 1, { signal: stop.signal, onProgress })).rejects.toThrow(CancelledError);
    expect(stop.signal.aborted).toBe(true);
    expect(afterStop).toBe(0);
  });
});
