import type { Metrics, RunOptions, TrainingSession } from './engine';
import { ACCURACY_SLACK } from './classify';
import { MetricsView } from './metricsView';
import { quantiles } from './stats';

/**
 * Metrics recorded along training, every `every` steps: curves as data. Step 0 (the inits) and
 * the last step are always recorded, so a run of any length has both ends.
 */
export interface TrainingRecord {
  readonly every: number;
  /** the step after which each entry of `metrics` was taken, ascending */
  readonly steps: number[];
  /** every particle's metrics at each recorded step ([particles][sets][loss, acc] each) */
  readonly metrics: Metrics[];
}

/** Trains `session` `steps` more steps, reading every particle's metrics every `every` steps. */
export async function advanceRecording(
  session: TrainingSession,
  steps: number,
  every: number,
  options: RunOptions = {},
): Promise<TrainingRecord> {
  const record: TrainingRecord = { every, steps: [session.stepsDone], metrics: [await session.metrics({ signal: options.signal })] };
  const start = session.stepsDone;
  for (let done = 0; done < steps;) {
    const chunk = Math.min(every, steps - done);
    const before = done;
    await session.advance(chunk, { ...options, onProgress: (f) => options.onProgress?.((before + f * chunk) / steps) });
    done += chunk;
    record.steps.push(start + done);
    record.metrics.push(await session.metrics({ signal: options.signal }));
  }
  return record;
}

/**
 * The first recorded step at which particle i's accuracy on set s reached `threshold`, per
 * particle; null where it never did. The true step lies within `every` steps before it.
 */
export function firstReached(record: TrainingRecord, sets: number, s: number, threshold: number): (number | null)[] {
  const views = record.metrics.map((m) => new MetricsView(m, sets));
  const count = views[0]?.count ?? 0;
  return Array.from({ length: count }, (_, i) => {
    // within the slack classify allows: float32 k/n may read just below a threshold it meets
    const at = views.findIndex((v) => v.acc(i, s) >= threshold - ACCURACY_SLACK);
    return at < 0 ? null : record.steps[at];
  });
}

/** The quantiles of the record's curves across particles. */
export const RECORD_QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9] as const;

/** Set s's loss (j = 0) or accuracy (j = 1) at every recorded step: [steps][RECORD_QUANTILES] across particles. */
export function curveQuantiles(record: TrainingRecord, sets: number, s: number, j: 0 | 1): number[][] {
  return record.metrics.map((m) => quantiles(new MetricsView(m, sets).column(s, j), RECORD_QUANTILES));
}

/** Particle i's curve on set s: loss (j = 0) or accuracy (j = 1) at every recorded step. */
export function particleCurve(record: TrainingRecord, sets: number, i: number, s: number, j: 0 | 1): number[] {
  return record.metrics.map((m) => {
    const v = new MetricsView(m, sets);
    return j === 0 ? v.loss(i, s) : v.acc(i, s);
  });
}
