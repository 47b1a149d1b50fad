import { describe, expect, it } from 'vitest';
import { barrierAnalysis } from '../../src/core/instruments/barriers/barrierAnalysis';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { UserError } from '../../src/core/errors';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { thneeb } from '../../src/core/tasks/thneeb';
import { BarrierJob, LINE_POINTS } from '../../src/worker/barrierJob';
import type { JobContext } from '../../src/worker/jobContext';
import type { RunResults } from '../../src/worker/sandboxRun';

const task = thneeb({ salience: 1, examples: 32, dataSeed: 0 });
const run = makeRun({ ...DEFAULT_CONFIG, hidden: [4], particles: 12, steps: 60 }, task);
const engine = new CpuEngine();
const ensemble = await trainEnsemble(engine, run);
// only what BarrierJob reads of a sandbox run's results
const results = { run, ensemble, history: { steps: [0, 60] } } as unknown as RunResults;

/** The job context of a worker whose last run left `results` */
const contextOf = (results: RunResults): JobContext => ({ engine, results, task: () => results.run.task });
const request = { particles: 8, points: 5, minBarrier: 0.01, align: false, set: 'train' };
const settings = { points: 5, minBarrier: 0.01 };

/** The worker's "Measure barriers" on the CPU engine: the first M particles, cancel, lines. */
describe('BarrierJob', () => {
  it('measures the first M particles exactly as core does on those particles', async () => {
    const outcome = await new BarrierJob().measure(contextOf(results), request, () => {});
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    const p = ensemble.params.length / 12;
    const first = { ...ensemble, outcomes: ensemble.outcomes.slice(0, 8), params: ensemble.params.slice(0, 8 * p) };
    const core = await barrierAnalysis(engine, run, first, settings);
    expect(outcome.result.particles).toBe(8);
    expect(outcome.result.step).toBe(60);
    expect([...outcome.result.barrier]).toEqual([...core.barrier]);
    expect([...outcome.result.clusters]).toEqual([...core.clusters]);
    expect([...outcome.result.outcomes]).toEqual([...ensemble.outcomes.slice(0, 8)]);
  });

  it('refuses more particles than the ensemble has, naming the range', async () => {
    await expect(new BarrierJob().measure(contextOf(results), { ...request, particles: 13 }, () => {})).rejects.toThrow(
      new UserError('particles to measure must be an integer from 2 to 12, got 13'),
    );
  });

  it('is cancelled at its first progress report', async () => {
    const job = new BarrierJob();
    // enough lines that the CPU engine reports progress before it ends
    const big = makeRun({ ...run.config, hidden: [16] }, task);
    const trained = await trainEnsemble(engine, { ...big, config: { ...big.config, particles: 96, steps: 1 } });
    const many = { run: big, ensemble: trained, history: { steps: [1] } } as unknown as RunResults;
    let reports = 0;
    const outcome = await job.measure(contextOf(many), { ...request, particles: 96, points: 100 }, () => {
      reports++;
      job.cancel();
    });
    expect(reports).toBeGreaterThan(0);
    expect(outcome.status).toBe('cancelled');
  });

  it('draws the line between two measured particles: its ends are their own losses', async () => {
    const job = new BarrierJob();
    await expect(job.line(engine, 0, 1)).rejects.toThrow('measure the barriers first');
    await job.measure(contextOf(results), request, () => {});
    const line = await job.line(engine, 2, 5);
    expect(line.ts.length).toBe(LINE_POINTS);
    const sets = 1 + task.probes.length;
    expect(line.loss[0]).toBeCloseTo(ensemble.metrics[2 * sets * 2], 5);
    expect(line.loss[LINE_POINTS - 1]).toBeCloseTo(ensemble.metrics[5 * sets * 2], 5);
    await expect(job.line(engine, 2, 8)).rejects.toThrow("a line's particles must be from 0 to 7, got 8");
  });

  it('aligned, on a probe set: the same numbers as core with --align --set, and its lines drawn as the matrix was', async () => {
    const job = new BarrierJob();
    const outcome = await job.measure(contextOf(results), { ...request, align: true, set: 'shape' }, () => {});
    if (outcome.status !== 'done') throw new Error('not measured');
    const p = ensemble.params.length / 12;
    const first = { ...ensemble, outcomes: ensemble.outcomes.slice(0, 8), params: ensemble.params.slice(0, 8 * p) };
    const core = await barrierAnalysis(engine, run, first, { ...settings, align: true, set: 2 });
    expect([...outcome.result.barrier]).toEqual([...core.barrier]);
    expect(outcome.result).toMatchObject({ aligned: true, set: 'shape' });
    const plain = await job.measure(contextOf(results), request, () => {});
    if (plain.status !== 'done') throw new Error('not measured');
    expect(plain.result).toMatchObject({ aligned: false, set: 'train' });
    expect([...plain.result.barrier]).not.toEqual([...core.barrier]);
    // the line of an aligned matrix: j's units matched to i's, the loss on its set
    await job.measure(contextOf(results), { ...request, align: true, set: 'shape' }, () => {});
    const line = await job.line(engine, 2, 5);
    expect(line).toMatchObject({ i: 2, j: 5, aligned: true, set: 'shape' });
    const sets = 1 + task.probes.length;
    // t = 0 is particle 2 itself, on the shape probe (set 2); t = 1 the permuted 5 computes 5's function, so 5's loss
    expect(line.loss[0]).toBeCloseTo(ensemble.metrics[(2 * sets + 2) * 2], 5);
    expect(line.loss[LINE_POINTS - 1]).toBeCloseTo(ensemble.metrics[(5 * sets + 2) * 2], 4);
  });

  it('an unknown set is refused in one line naming the choices', async () => {
    await expect(new BarrierJob().measure(contextOf(results), { ...request, set: 'colours' }, () => {})).rejects.toThrow(
      new UserError('the set must be one of train, colour, shape (the training set or a probe set of the task), got "colours"'),
    );
  });
});
