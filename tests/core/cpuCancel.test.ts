import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/core/cpuEngine';
import { CancelledError } from '../../src/core/errors';
import { initEnsemble } from '../../src/core/init';
import type { ModelLayout } from '../../src/core/layout';
import { planeThrough } from '../../src/core/plane';
import { thneeb } from '../../src/core/tasks/thneeb';

const task = thneeb({ salience: 1, examples: 64, dataSeed: 0 });
const layout: ModelLayout = { widths: [3, 32, 1], activation: 'tanh' };

/**
 * Cancellation between chunks of steps, not only between particles: one particle's run can take
 * minutes (SIGINT once took 73 s to stop one). Each test aborts at the first progress report, so
 * it passes by counting, not by the clock: it fails if the engine reports nothing before the end
 * or finishes anyway.
 */
describe('CPU engine: cancellation within a particle', () => {
  it('one particle, a million steps: stops at the first slice, before the particle is done', async () => {
    const session = await new CpuEngine().startTraining({
      layout,
      task,
      hyper: { optimizer: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0, batch: 'full' },
      init: initEnsemble(layout.widths, 1, 0, 1, 1),
      particles: 1,
      noiseSeed: 2,
      firstParticle: 0,
    });
    const abort = new AbortController();
    const reports: number[] = [];
    const advance = session.advance(1_000_000, {
      signal: abort.signal,
      onProgress: (f) => {
        reports.push(f);
        abort.abort();
      },
    });
    await expect(advance).rejects.toBeInstanceOf(CancelledError);
    expect(reports).toHaveLength(1);
    // the fraction of the one particle's steps done by then: some, not all
    expect(reports[0]).toBeGreaterThan(0);
    expect(reports[0]).toBeLessThan(1);
    expect(session.stepsDone).toBe(0);
  });

  it('a plane with a large grid stops within a row', async () => {
    const [a, b, c] = [0, 1, 2].map((k) => initEnsemble(layout.widths, 1, k, 1, 1));
    const abort = new AbortController();
    const reports: number[] = [];
    const res = 1024;
    const grid = Float32Array.from({ length: res }, (_, i) => i / res);
    const evaluation = new CpuEngine().evaluatePlane(
      { layout, task: thneeb({ salience: 1, examples: 4096, dataSeed: 0 }), plane: planeThrough(a, b, c), alphas: grid, betas: grid },
      {
        signal: abort.signal,
        onProgress: (f) => {
          reports.push(f);
          abort.abort();
        },
      },
    );
    await expect(evaluation).rejects.toBeInstanceOf(CancelledError);
    expect(reports).toHaveLength(1);
    // less than one row of the 1024 × 1024 grid
    expect(reports[0]).toBeLessThan(1 / res);
  });

  it('an already aborted signal stops before any work', async () => {
    const session = await new CpuEngine().startTraining({
      layout,
      task,
      hyper: { optimizer: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0, batch: 4 },
      init: initEnsemble(layout.widths, 1, 0, 1, 1),
      particles: 1,
      noiseSeed: 2,
      firstParticle: 0,
    });
    const reports: number[] = [];
    await expect(session.advance(10, { signal: AbortSignal.abort(), onProgress: (f) => reports.push(f) })).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(reports).toEqual([]);
  });
});
