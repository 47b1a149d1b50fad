import { describe, expect, it } from 'vitest';
import { comparePriorAndSgd } from '../../src/core/instruments/prior/prior';
import { samplePrior } from '../../src/core/instruments/prior/priorRun';
import { domainRows, functionBits, functionWords } from '../../src/core/instruments/prior/priorSampler';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { UserError } from '../../src/core/errors';
import { paramCount } from '../../src/core/layout';
import { Mlp } from '../../src/core/mlp';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { findPreset } from '../../src/core/tasks';
import { PriorJob } from '../../src/worker/priorJob';
import type { JobContext } from '../../src/worker/jobContext';
import type { RunResults } from '../../src/worker/sandboxRun';

// boolean at m = 2 (data seed 2: both points labelled alike), a small net: many samples fit, and functions repeat
const preset = findPreset('boolean')!;
const task = preset.build({ target: 0, m: 2, dataSeed: 2 });
const run = makeRun({ ...DEFAULT_CONFIG, ...preset.defaults, hidden: [8], particles: 16, steps: 60 }, task);
const engine = new CpuEngine();
const ensemble = await trainEnsemble(engine, run);
// only what PriorJob reads of a sandbox run's results
const results = { run, ensemble } as unknown as RunResults;

/** The job context of a worker whose last run left `results` */
const contextOf = (results: RunResults): JobContext => ({ engine, results, task: () => results.run.task });

/** The worker's "Sample the prior" on the CPU engine: core's comparison of the same samples and particles, cancel, refusals. */
describe('PriorJob', () => {
  it("plots exactly the functions core's comparison finds on both sides, at their shares", async () => {
    const outcome = await new PriorJob().measure(contextOf(results), { samples: 800 }, () => {});
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    const r = outcome.result;
    const prior = await samplePrior(engine, run, 800);
    const words = functionWords(domainRows(task));
    const bits = new Uint32Array(16 * words);
    const p = paramCount(run.layout);
    const mlp = new Mlp(run.layout);
    let count = 0;
    for (let i = 0; i < 16; i++) if (functionBits(mlp, ensemble.params.subarray(i * p, (i + 1) * p), task, bits, count * words)) count++;
    const c = comparePriorAndSgd(task, 800, prior, { bits, count }, 16, run.config.seed);
    expect([r.accepted, r.fitted, r.particles, r.probe]).toEqual([c.accepted, c.sgdFitted, 16, 'target']);
    const both = c.functions.filter((f) => f.priorCount > 0 && f.sgdCount > 0);
    expect(r.points).toEqual(
      both.map((f) => ({
        pPrior: f.priorCount / c.accepted,
        pSgd: f.sgdCount / c.sgdFitted,
        error: f.generalisationError,
        priorCount: f.priorCount,
        sgdCount: f.sgdCount,
      })),
    );
    expect(r.functionCounts).toEqual(c.functionCounts);
    expect(r.functionCounts.both).toBe(r.points.length);
    expect(r.functionCounts.priorOnly + r.functionCounts.sgdOnly + r.points.length).toBe(c.functions.length);
  });

  it('stops between chunks when cancelled, and refuses a bad sample count or an ensemble not yet trained', async () => {
    const job = new PriorJob();
    const pending = job.measure(contextOf(results), { samples: 200_000 }, () => job.cancel());
    expect((await pending).status).toBe('cancelled');
    await expect(job.measure(contextOf(results), { samples: 0 }, () => {})).rejects.toThrow(
      new UserError('prior samples must be an integer from 1 to 10000000, got 0'),
    );
    await expect(job.measure(contextOf({ run } as unknown as RunResults), { samples: 10 }, () => {})).rejects.toThrow(
      /nothing has been trained/,
    );
  });
});
