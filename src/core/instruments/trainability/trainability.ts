import { DIVERGED } from '../../classify';
import type { RunOptions, TrainingSession } from '../../engine';
import { MetricsView, metricSets } from '../../metricsView';
import type { OutcomeRule } from '../../outcomeRule';
import type { Run } from '../../run';

/**
 * Sohl-Dickstein's (2024) outcome of a training run: converged or diverged, from the training
 * loss along the last steps. Used by `hypermap --outcome trainability` and `train --outcome
 * trainability` alike, so a map's cell and its train run count the same.
 */

/** A run converged when its loss ratio, averaged over the last 20 steps, is below 1. */
export const TRAINABILITY_WINDOW = 20;
export const CONVERGED = 'converged';
export const TRAINABILITY_CLASSES = [CONVERGED, DIVERGED];

export interface Trainability {
  /** 0 converged, 1 diverged, per particle */
  readonly outcomes: Uint8Array;
  /** the final training loss per particle */
  readonly losses: Float64Array;
  /** the score per particle: mean over the window of loss / initial loss; NaN where diverged */
  readonly scores: Float64Array;
}

const trainLosses = (m: MetricsView): Float64Array => Float64Array.from({ length: m.count }, (_, i) => m.loss(i, 0));

/**
 * Trains `session` (fresh, at step 0) for run.config.steps steps and scores every particle: the
 * training loss after each of the last WINDOW steps over the loss at the start, averaged;
 * converged below 1, diverged otherwise or when non-finite. The cheapest honest way with the
 * engine as it is: steps − WINDOW steps in one go, then one step at a time with a
 * full-training-set evaluation after each, so WINDOW + 1 evaluations on top of the training
 * (full batch: the loss the next step's gradient sees).
 */
export async function trainForTrainability(session: TrainingSession, run: Run, options: RunOptions = {}): Promise<Trainability> {
  const { task, config } = run;
  if (config.steps <= TRAINABILITY_WINDOW) throw new Error(`the trainability score needs more than ${TRAINABILITY_WINDOW} steps`);
  const sets = metricSets(task);
  const initial = trainLosses(new MetricsView(await session.metrics({ signal: options.signal }), sets));
  const ratioSum = new Float64Array(initial.length);
  const head = config.steps - TRAINABILITY_WINDOW;
  const progress = (f: number) => options.onProgress?.(f);
  await session.advance(head, { signal: options.signal, onProgress: (f) => progress((f * head) / config.steps) });
  let last = initial;
  for (let t = 0; t < TRAINABILITY_WINDOW; t++) {
    await session.advance(1, { signal: options.signal });
    last = trainLosses(new MetricsView(await session.metrics({ signal: options.signal }), sets));
    for (let i = 0; i < last.length; i++) ratioSum[i] += last[i] / initial[i];
    progress((head + t + 1) / config.steps);
  }
  const diverged = await session.diverged();
  const scores = Float64Array.from(ratioSum, (s, i) => (diverged[i] ? NaN : s / TRAINABILITY_WINDOW));
  const outcomes = Uint8Array.from(scores, (s) => (Number.isFinite(s) && s < 1 ? 0 : 1));
  return { outcomes, losses: last, scores };
}

/** The trainability score as an outcome rule: `train --outcome trainability` hands it to trainEnsemble. */
export const TRAINABILITY: OutcomeRule = { name: 'trainability', classes: TRAINABILITY_CLASSES, train: trainForTrainability };
