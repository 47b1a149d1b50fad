import * as Comlink from 'comlink';
import { parseHypermapFields } from '../core/analysis/hypermapFields';
import { planHypermap } from '../core/analysis/hypermapPlan';
import { runHypermap } from '../core/analysis/hypermapRun';
import type { Engine } from '../core/engine';
import { CancelledError, UserError } from '../core/errors';
import { makeRun } from '../core/runs';
import type { Task } from '../core/task';
import type { HypermapRequest, HypermapViewOutcome, RunSettings } from './protocol';

/**
 * "Hyperparameter map" in the worker: core's planHypermap and runHypermap on the settings of the
 * run on screen, so every cell is the run the hypermap command (and train with the cell's two
 * axis flags) gives. Cancellable, one at a time.
 */
export class HypermapJob {
  private abort: AbortController | undefined;
  /** whatever the engine is doing for the map: other work waits for it */
  private busy: Promise<unknown> = Promise.resolve();

  async measure(
    engine: Engine,
    task: Task,
    settings: RunSettings,
    request: HypermapRequest,
    onProgress: (fraction: number) => void,
  ): Promise<HypermapViewOutcome> {
    const run = makeRun(settings.config, task);
    // the UI checked the fields as the user typed; checked again here, where they are used
    const ctx = { config: run.config, layers: run.layout.widths.length - 1, trainRows: run.task.train.rows };
    const parsed = parseHypermapFields(request, run.config, ctx);
    if (!parsed.settings) throw new UserError(Object.values(parsed.errors)[0] ?? 'the map settings are invalid');
    this.cancel();
    await this.idle();
    const abort = (this.abort = new AbortController());
    const t0 = performance.now();
    const plan = planHypermap(run, parsed.settings);
    const work = runHypermap(engine, plan, task, { signal: abort.signal, onProgress });
    this.busy = work;
    try {
      const cells = await work;
      const { x, y, res, perCell, outcome } = parsed.settings;
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
      return Comlink.transfer({ status: 'done', result }, buffers);
    } catch (e) {
      if (e instanceof CancelledError) return { status: 'cancelled' };
      throw e;
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }
  }

  cancel(): void {
    this.abort?.abort();
  }

  /** Resolves once the engine is free of map work (without cancelling it). */
  async idle(): Promise<void> {
    await this.busy.catch(() => undefined);
  }

  /** Cancels a map in progress and waits until the engine is free of it. */
  async stop(): Promise<void> {
    this.cancel();
    await this.idle();
  }
}
