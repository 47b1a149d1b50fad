import { classify, outcomeClasses } from '../../classify';
import type { Engine, RunOptions, TrainingSession } from '../../engine';
import { throwIfAborted } from '../../errors';
import { MetricsView, metricSets } from '../../metricsView';
import type { Task } from '../../task';
import type { Run } from '../../runs';
import { sessionSpec, type HypermapPlan, type HypermapSession } from './hypermapPlan';
import { trainForTrainability, TRAINABILITY_CLASSES } from '../trainability/trainability';

export { TRAINABILITY_WINDOW } from '../trainability/trainability';

/** Per-cell results of the planned block of cells, cell n of the block at index n. */
export interface HypermapCells {
  readonly classes: readonly string[];
  /** [cells][classes] */
  readonly counts: Uint32Array;
  /** mean final training loss of the cell's particles with a finite loss; NaN where none has */
  readonly meanLoss: Float64Array;
  /** trainability only: mean over the cell's finite particles of the loss ratio over the last window; NaN where none */
  readonly meanScore?: Float64Array;
}

export function hypermapClasses(plan: HypermapPlan, task: Task): string[] {
  return plan.settings.outcome === 'trainability' ? [...TRAINABILITY_CLASSES] : outcomeClasses(task);
}

/**
 * Trains every session of the plan on `engine` and counts each cell's outcomes. Progress runs
 * over all sessions, weighted by particle-steps; the signal cancels between chunks.
 */
export async function runHypermap(engine: Engine, plan: HypermapPlan, task: Task, options: RunOptions = {}): Promise<HypermapCells> {
  const classes = hypermapClasses(plan, task);
  const { perCell } = plan.settings;
  const counts = new Uint32Array(plan.count * classes.length);
  const meanLoss = new Float64Array(plan.count);
  const meanScore = plan.settings.outcome === 'trainability' ? new Float64Array(plan.count) : undefined;
  const work = (s: HypermapSession) => s.size * s.steps;
  const total = plan.sessions.reduce((sum, s) => sum + work(s), 0);
  let done = 0;
  for (const session of plan.sessions) {
    throwIfAborted(options.signal);
    const onProgress = (f: number) => options.onProgress?.((done + f * work(session)) / total);
    // the session's run (its task) built now, and let go once it is trained
    const run = session.run;
    const trained = await engine.startTraining(sessionSpec(session, run));
    try {
      const { outcomes, losses, scores } =
        plan.settings.outcome === 'trainability'
          ? await trainForTrainability(trained, run, { signal: options.signal, onProgress })
          : await trainClassified(trained, run, { signal: options.signal, onProgress });
      session.cells.forEach((cell, c) => {
        const n = cell.index - plan.first;
        let sum = 0;
        let finite = 0;
        let scoreSum = 0;
        let scored = 0;
        for (let k = c * perCell; k < (c + 1) * perCell; k++) {
          counts[n * classes.length + outcomes[k]]++;
          if (Number.isFinite(losses[k])) {
            sum += losses[k];
            finite++;
          }
          if (scores && Number.isFinite(scores[k])) {
            scoreSum += scores[k];
            scored++;
          }
        }
        meanLoss[n] = finite ? sum / finite : NaN;
        if (meanScore) meanScore[n] = scored ? scoreSum / scored : NaN;
      });
    } finally {
      trained.dispose();
    }
    done += work(session);
  }
  options.onProgress?.(1);
  return { classes, counts, meanLoss, ...(meanScore ? { meanScore } : {}) };
}

interface Trained {
  readonly outcomes: Uint8Array;
  /** final training loss per particle */
  readonly losses: Float64Array;
  readonly scores?: Float64Array;
}

const trainLosses = (m: MetricsView): Float64Array => Float64Array.from({ length: m.count }, (_, i) => m.loss(i, 0));

/** `train`'s own classification of every particle after config.steps steps. */
async function trainClassified(trained: TrainingSession, run: Run, options: RunOptions): Promise<Trained> {
  const { task, config } = run;
  await trained.advance(config.steps, options);
  const [metrics, diverged] = await Promise.all([trained.metrics({ signal: options.signal }), trained.diverged()]);
  return {
    outcomes: classify(task, metrics, diverged, config.thresholds),
    losses: trainLosses(new MetricsView(metrics, metricSets(task))),
  };
}
