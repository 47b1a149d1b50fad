import { describe, expect, it } from 'vitest';
import { parseAxis } from '../../src/core/instruments/hypermap/hypermapAxes';
import { planHypermap } from '../../src/core/instruments/hypermap/hypermapPlan';
import { runHypermap } from '../../src/core/instruments/hypermap/hypermapRun';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { UserError } from '../../src/core/errors';
import { makeRun } from '../../src/core/runs';
import { thneeb } from '../../src/core/tasks/thneeb';
import { HypermapJob } from '../../src/worker/hypermapJob';
import type { JobContext } from '../../src/worker/jobContext';
import type { RunSettings } from '../../src/worker/protocol';

const task = thneeb({ salience: 1, examples: 32, dataSeed: 0 });
const config = { ...DEFAULT_CONFIG, hidden: [4], steps: 60, knobs: { salience: 1, examples: 32, dataSeed: 0 } };
// only what HypermapJob reads of the settings on screen
const settings = { config } as unknown as RunSettings;
const engine = new CpuEngine();
/** the job context of a worker whose task store holds `task` */
const context: JobContext = { engine, results: undefined, task: () => task };
const request = { x: 'lr:0.05:5:log', y: 'init-scale:0.5:2', res: '3', perCell: '2' };

/** The worker's "Hyperparameter map" on the CPU engine: the hypermap command's cells. */
describe('HypermapJob', () => {
  it("gives the hypermap command's cells for the settings on screen", async () => {
    let last = 0;
    const outcome = await new HypermapJob().measure(context, { settings, request }, ({ fraction }) => (last = fraction));
    expect(outcome.status).toBe('done');
    if (outcome.status !== 'done') return;
    const run = makeRun(config, task);
    const ctx = { config, layers: 2, trainRows: task.train.rows };
    const x = parseAxis('x axis', request.x, ctx);
    const y = parseAxis('y axis', request.y, ctx);
    const plan = planHypermap(run, { x, y, res: 3, perCell: 2, outcome: 'classes' });
    const cells = await runHypermap(engine, plan, task);
    const r = outcome.result;
    expect([r.x, r.y, r.res, r.perCell, r.outcome]).toEqual([x, y, 3, 2, 'classes']);
    expect([r.xs, r.ys]).toEqual([plan.xs, plan.ys]);
    const k = r.classes.length;
    const perCell = Array.from({ length: 9 }, (_, c) => String(r.counts.subarray(c * k, (c + 1) * k)));
    expect(new Set(perCell).size, `cells ${perCell.join(' | ')}: a map of more than one outcome`).toBeGreaterThan(1);
    expect([...r.counts]).toEqual([...cells.counts]);
    expect([...r.meanLoss]).toEqual([...cells.meanLoss]);
    expect(r.classes).toEqual(cells.classes);
    expect(r.config).toEqual(config);
    expect(last).toBe(1);
  });

  it('refuses a bad field, naming it', async () => {
    await expect(new HypermapJob().measure(context, { settings, request: { ...request, x: 'lr:0:1:log' } }, () => {})).rejects.toThrow(
      new UserError('x axis lr MIN must be a positive number up to 1000, got "0"'),
    );
    await expect(new HypermapJob().measure(context, { settings, request: { ...request, res: '65' } }, () => {})).rejects.toThrow(
      new UserError('cells per axis must be an integer from 2 to 64, got "65"'),
    );
  });

  it('is cancelled at its first progress report', async () => {
    const job = new HypermapJob();
    let reports = 0;
    const outcome = await job.measure(
      context,
      { settings: { config: { ...config, steps: 2000 } } as unknown as RunSettings, request: request },
      () => {
        reports++;
        job.cancel();
      },
    );
    expect(reports).toBeGreaterThan(0);
    expect(outcome.status).toBe('cancelled');
  });
});
