import { describe, expect, it } from 'vitest';
import { crossingValue } from '../../src/core/instruments/geometry/geometryJson';
import { llcAnalysis, parseLlcSettings } from '../../src/core/instruments/llc/llcAnalysis';
import { measureSharpness } from '../../src/core/instruments/sharpness/sharpness';
import { parseSharpnessSettings } from '../../src/core/instruments/sharpness/sharpnessSettings';
import { parseWidthSettings, widthAnalysis } from '../../src/core/instruments/width/width';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { UserError } from '../../src/core/errors';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { thneeb } from '../../src/core/tasks/thneeb';
import { GeometryJob } from '../../src/worker/geometryJob';
import type { GeometryStage } from '../../src/worker/protocol';
import type { JobContext } from '../../src/worker/jobContext';
import type { RunResults } from '../../src/worker/sandboxRun';

const task = thneeb({ salience: 1, examples: 32, dataSeed: 0 });
const run = makeRun({ ...DEFAULT_CONFIG, hidden: [4], particles: 10, steps: 80 }, task);
const engine = new CpuEngine();
const ensemble = await trainEnsemble(engine, run);
// only what GeometryJob reads of a sandbox run's results
const results = { run, ensemble, history: { steps: [0, 80] } } as unknown as RunResults;

/** The job context of a worker whose last run left `results` */
const contextOf = (results: RunResults): JobContext => ({ engine, results, task: () => results.run.task });
const request = { particles: 10, directions: 4, chains: 2, burnin: 20, draws: 40, skipLlc: false };

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => expect(Array.from(a)).toEqual(Array.from(b));

/** The worker's "Measure sharpness, width, LLC" on the CPU engine: core's numbers, stages, cancel, refusals. */
describe('GeometryJob', () => {
  it("gives every particle the values core's three functions give on the same particles, stage by stage", async () => {
    const stages: (GeometryStage | undefined)[] = [];
    const outcome = await new GeometryJob().measure(contextOf(results), request, ({ stage }) => {
      if (stages.at(-1) !== stage) stages.push(stage);
    });
    expect(stages).toEqual(['sharpness', 'width', 'llc']);
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    const r = outcome.result;
    expect(r.particles).toBe(10);
    expect(r.step).toBe(80);
    same(r.outcomes, ensemble.outcomes);

    const problem = { layout: run.layout, task, params: ensemble.params, firstParticle: 0 };
    const sharp = await measureSharpness(engine, problem, parseSharpnessSettings({}, run.config.seed));
    same(r.sharpness.topEigenvalue, sharp.topEigenvalue);
    same(r.sharpness.converged, sharp.converged);
    const width = await widthAnalysis(engine, run, ensemble, parseWidthSettings({ directions: '4' }), run.config.seed);
    same(
      r.width.r50,
      width.particles.map((p) => crossingValue(p?.r50)),
    );
    const llc = await llcAnalysis(engine, run, ensemble, parseLlcSettings({ chains: '2', burnin: '20', draws: '40' }, task.train.rows));
    same(r.llc!.llc, llc.estimate.llc);
    same(r.llc!.llcStd, llc.estimate.llcStd);
    expect(r.llc!.problems).toEqual(llc.estimate.problems);
    expect(Object.keys(r.seconds)).toEqual(['sharpness', 'width', 'llc']);
  });

  it('leaves the LLC out when asked, and the export carries the fields the geometry command writes', async () => {
    const job = new GeometryJob();
    expect(job.jsonFor(results)).toBeUndefined();
    const outcome = await job.measure(contextOf(results), { ...request, skipLlc: true }, () => {});
    expect(outcome.status === 'done' && outcome.result.llc).toBe(undefined);
    const json = job.jsonFor(results)!;
    expect(Object.keys(json.blocks)).toEqual(['sharpness', 'width']);
    expect(json.perParticle).toHaveLength(10);
    expect(Object.keys(json.perParticle[0])).toEqual(
      expect.arrayContaining(['topEigenvalue', 'converged', 'r50', 'rLoss', 'widthChanged']),
    );
    await job.measure(contextOf(results), request, () => {});
    expect(Object.keys(job.jsonFor(results)!.perParticle[0])).toEqual(expect.arrayContaining(['llc', 'llcStd', 'llcBelow', 'llcChains']));
    // the first M alone: particles after them have no fields
    await job.measure(contextOf(results), { ...request, particles: 3 }, () => {});
    expect(job.jsonFor(results)!.perParticle).toHaveLength(3);
    // another ensemble (a new run) is not the one measured: nothing is attached to it
    const other = { ...ensemble, params: ensemble.params.map((x) => x + 1) };
    expect(job.jsonFor({ ...results, ensemble: other })).toBeUndefined();
  });

  it('is cancelled in its width stage with nothing kept; cancelled in its LLC stage, keeps sharpness and width', async () => {
    const stopAt = async (at: GeometryStage) => {
      const job = new GeometryJob();
      const seen: (GeometryStage | undefined)[] = [];
      const outcome = await job.measure(contextOf(results), { ...request, draws: 2000 }, ({ stage }) => {
        seen.push(stage);
        if (stage === at) job.cancel();
      });
      expect(seen.at(-1)).toBe(at);
      return { job, outcome };
    };
    const width = await stopAt('width');
    expect(width.outcome.status, 'cancelled in width').toBe('cancelled');
    expect(width.job.jsonFor(results)).toBeUndefined();
    // the finished stages are kept (issue 25): the result says which stage was cancelled and has no LLC
    const llc = await stopAt('llc');
    if (llc.outcome.status !== 'done') throw new Error(`cancelled in llc: ${llc.outcome.status}, expected the finished stages kept`);
    expect(llc.outcome.result.cancelledStage).toBe('llc');
    expect(llc.outcome.result.llc).toBeUndefined();
    expect(llc.outcome.result.sharpness.topEigenvalue.length).toBe(llc.outcome.result.particles);
    expect(llc.job.jsonFor(results)?.blocks).not.toHaveProperty('llc');
  });

  it('measures the first M particles exactly as the whole ensemble measures them', async () => {
    const all = await new GeometryJob().measure(contextOf(results), { ...request, skipLlc: true }, () => {});
    const first = await new GeometryJob().measure(contextOf(results), { ...request, particles: 4, skipLlc: true }, () => {});
    if (all.status !== 'done' || first.status !== 'done') throw new Error('not measured');
    expect(first.result.particles).toBe(4);
    same(first.result.sharpness.topEigenvalue, all.result.sharpness.topEigenvalue.slice(0, 4));
    same(first.result.width.r50, all.result.width.r50.slice(0, 4));
  });

  it('refuses bad settings with the field named and its range', async () => {
    const job = new GeometryJob();
    await expect(job.measure(contextOf(results), { ...request, particles: 11 }, () => {})).rejects.toThrow(
      new UserError('particles to measure must be an integer from 1 to 10, got 11'),
    );
    await expect(job.measure(contextOf(results), { ...request, directions: 0 }, () => {})).rejects.toThrow(
      new UserError('directions must be an integer from 1 to 256, got "0"'),
    );
    await expect(job.measure(contextOf(results), { ...request, chains: 2.5 }, () => {})).rejects.toThrow(
      new UserError('chains per particle must be an integer from 1 to 64, got "2.5"'),
    );
    // the LLC's fields are not read when it is skipped
    const skipped = await job.measure(contextOf(results), { ...request, draws: 0, skipLlc: true }, () => {});
    expect(skipped.status).toBe('done');
    await expect(job.measure(contextOf(results), { ...request, draws: 0 }, () => {})).rejects.toThrow(
      new UserError('draws per chain must be an integer from 1 to 1000000, got "0"'),
    );
    const untrained = { ...results, ensemble: undefined } as RunResults;
    await expect(job.measure(contextOf(untrained), request, () => {})).rejects.toThrow('nothing has been trained yet');
  });
});
