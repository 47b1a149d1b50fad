import * as Comlink from 'comlink';
import { parseHypermapFields } from '../core/instruments/hypermap/hypermapFields';
import { planHypermap } from '../core/instruments/hypermap/hypermapPlan';
import { runHypermap } from '../core/instruments/hypermap/hypermapRun';
import { UserError } from '../core/errors';
import { makeRun } from '../core/runs';
import { EngineJob } from './engineJob';
import type { InstrumentJob, JobContext } from './jobContext';
import type { HypermapRequest, HypermapViewResult, JobOutcome, JobProgress, WithSettings } from './protocol';

/**
 * "Hyperparameter map" in the worker: core's planHypermap and runHypermap on the settings of the
 * run on screen, so every cell is the run the hypermap command (and train with the cell's two
 * axis flags) gives. Cancellable, one at a time.
 */
export class HypermapJob extends EngineJob implements InstrumentJob<'hypermap'> {
  readonly action = 'map';
  async measure(
    context: JobContext,
    { settings, request }: WithSettings<HypermapRequest>,
    onProgress: (progress: JobProgress) => void,
  ): Promise<JobOutcome<HypermapViewResult>> {
    const { engine } = context;
    const task = context.task(settings);
    const run = makeRun(settings.config, task);
    // the UI checked the fields as the user typed; checked again here, where they are used
    const ctx = { config: run.config, layers: run.layout.widths.length - 1, trainRows: run.task.train.rows };
    const parsed = parseHypermapFields(request, run.config, ctx);
    const mapSettings = parsed.settings;
    if (!mapSettings) throw new UserError(Object.values(parsed.errors)[0] ?? 'the map settings are invalid');
    return this.run(async (signal) => {
      const t0 = performance.now();
      const plan = planHypermap(run, mapSettings);
      const cells = await runHypermap(engine, plan, task, { signal, onProgress: (fraction) => onProgress({ fraction }) });
      const { x, y, res, perCell, outcome } = mapSettings;
      const result = {
        x,
        y,
        res,
        perCell,
        outcome,
        xs: [...plan.xs],
        ys: [...plan.ys],
        ...cells,
        config: run.config,
        seconds: (performance.now() - t0) / 1000,
      };
      const buffers = [cells.counts.buffer, cells.meanLoss.buffer, ...(cells.meanScore ? [cells.meanScore.buffer] : [])];
      return Comlink.transfer({ status: 'done' as const, result }, buffers);
    });
  }
}
