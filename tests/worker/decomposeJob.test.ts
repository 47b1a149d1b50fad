import { describe, expect, it } from 'vitest';
import { decompositionFields } from '../../src/core/instruments/decompose/decomposeJson';
import { trainDecomposition } from '../../src/core/instruments/decompose/decomposeRun';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { UserError } from '../../src/core/errors';
import { runFlags } from '../../src/core/runFlags';
import { makeRun } from '../../src/core/runs';
import { thneeb } from '../../src/core/tasks/thneeb';
import { DecomposeJob } from '../../src/worker/decomposeJob';
import type { JobContext } from '../../src/worker/jobContext';
import type { RunSettings } from '../../src/worker/protocol';

const task = thneeb({ salience: 1, examples: 32, dataSeed: 0 });
// batch 1 at lr 0.8: rows split by noise, so a cell out of place shows
const config = { ...DEFAULT_CONFIG, hidden: [4], steps: 80, batch: 1, lr: 0.8, knobs: { salience: 1, examples: 32, dataSeed: 0 } };
// only what DecomposeJob reads of the settings on screen
const settings = { config } as unknown as RunSettings;
const engine = new CpuEngine();
/** the job context of a worker whose task store holds `task` */
const context: JobContext = { engine, results: undefined, task: () => task };

/** The worker's "Decompose" on the CPU engine: the decompose command's cells and JSON. */
describe('DecomposeJob', () => {
  it("gives the decompose command's matrix and fields for the settings on screen", async () => {
    let last = 0;
    const outcome = await new DecomposeJob().measure(
      context,
      { settings, request: { inits: 3, noises: 4 } },
      ({ fraction }) => (last = fraction),
    );
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    const matrix = await trainDecomposition(engine, makeRun(config, task), 3, 4);
    const { outcomes: _, ...fields } = decompositionFields(matrix, 1000, config.seed);
    const { outcomes, classes, flags, seconds: _s, ...rest } = outcome.result;
    expect(new Set(matrix.outcomes).size, 'a matrix of more than one class').toBeGreaterThan(1);
    expect([...outcomes]).toEqual([...matrix.outcomes]);
    expect(rest).toEqual(fields);
    expect(classes).toEqual(['colour', 'shape', 'mixed', 'unconverged', 'diverged']);
    expect(flags).toEqual(runFlags(config));
    expect(last).toBe(1);
  });

  it('refuses sizes out of range, naming them', async () => {
    await expect(new DecomposeJob().measure(context, { settings, request: { inits: 0, noises: 4 } }, () => {})).rejects.toThrow(
      new UserError('inits must be an integer from 1 to 4096, got "0"'),
    );
    await expect(new DecomposeJob().measure(context, { settings, request: { inits: 1024, noises: 1024 } }, () => {})).rejects.toThrow(
      /at most 262144 cells/,
    );
  });

  it('is cancelled at its first progress report', async () => {
    const job = new DecomposeJob();
    let reports = 0;
    const outcome = await job.measure(
      context,
      { settings: { config: { ...config, steps: 2000 } } as unknown as RunSettings, request: { inits: 4, noises: 8 } },
      () => {
        reports++;
        job.cancel();
      },
    );
    expect(reports).toBeGreaterThan(0);
    expect(outcome.status).toBe('cancelled');
  });
});
