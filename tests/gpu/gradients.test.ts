import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/core/cpuEngine';
import { CancelledError } from '../../src/core/errors';
import { ACTIVATIONS, outputsFor, paramCount } from '../../src/core/layout';
import { GpuEngine } from '../../src/engine/gpuEngine';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { randomParams, randomTask, seeded, worstMismatch } from '../helpers/random';

const cpu = new CpuEngine();

describe('GPU evaluateGradients against the CPU engine', () => {
  // float32 sums of 40 per-example gradients of size ~0.1-1, divided by 40: a few 1e-7 absolute
  const ATOL = 2e-6;
  const RTOL = 1e-4;
  // x² through two hidden layers is a degree-4 polynomial: per-example gradients reach ~10, so
  // their float32 sum carries ~5× the absolute error (measured 3.9e-6 at a gradient of 0.0117)
  const atol = (activation: string) => (activation === 'square' ? 1e-5 : ATOL);

  for (const activation of ACTIVATIONS) {
    for (const classes of [2, 4]) {
      it(`∇ of the mean training loss matches (${activation}, ${classes} classes) on fresh random inputs`, async () => {
        const rand = seeded(testSeed(`gpu gradients ${activation} ${classes}`));
        const task = randomTask(rand, 4, classes, 40);
        const layout = { widths: [4, 6, 5, outputsFor(classes)], activation };
        const count = 70;
        const vectors = randomParams(rand, [...layout.widths], count);
        const spec = { layout, task, vectors };
        const [gpu, ref] = [await (await gpuEngine()).evaluateGradients(spec), await cpu.evaluateGradients(spec)];
        expect(gpu.length).toBe(ref.length);
        const w = worstMismatch(gpu, ref, atol(activation), RTOL);
        const p = paramCount(layout.widths);
        expect(w.ratio, `${w.a} (gpu) vs ${w.b} (cpu) at vector ${Math.floor(w.at / p)}, parameter ${w.at % p}`).toBeLessThanOrEqual(1);
      });
    }
  }

  it('gives the same gradients in one dispatch and in chunks of one workgroup, and cancels between chunks', async () => {
    const engine = await gpuEngine();
    const tiny = new GpuEngine(engine.gpu, nodeShaderLibrary(), engine.device, { targetDispatchMs: 1e-6 });
    const rand = seeded(testSeed('gpu gradients chunks'));
    const task = randomTask(rand, 3, 3, 16);
    const layout = { widths: [3, 5, 3], activation: 'gelu' as const };
    // past the first chunk (256 vectors): the rest go one at a time
    const vectors = randomParams(rand, [...layout.widths], 300);
    vectors[7] = NaN;
    const spec = { layout, task, vectors };
    const fractions: number[] = [];
    const chunked = await tiny.evaluateGradients(spec, { onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(2);
    expect(fractions[fractions.length - 1]).toBe(1);
    const whole = await engine.evaluateGradients(spec);
    expect(Array.from(chunked)).toEqual(Array.from(whole));
    // vector 0 holds the NaN: its gradient is not finite, its neighbours' are
    const p = paramCount(layout.widths);
    expect(chunked.subarray(0, p).some((g) => !Number.isFinite(g))).toBe(true);
    expect(chunked.subarray(p).every(Number.isFinite)).toBe(true);

    // what stays between runs is the task's upload (kept for the next run), nothing of the run's own
    const live = tiny.liveBuffers;
    const controller = new AbortController();
    let chunks = 0;
    const run = tiny.evaluateGradients(spec, {
      signal: controller.signal,
      onProgress: () => {
        if (++chunks === 2) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(chunks).toBe(2);
    expect(tiny.liveBuffers).toBe(live);
    tiny.dispose();
  });
});
