import type { Metrics } from './engine';
import { metricSets, MetricsView } from './metricsView';
import type { Task } from './task';

export interface Thresholds {
  /** training accuracy below this is `unconverged` */
  readonly train: number;
  /** a hypothesis wins when its probe accuracy reaches this and no other hypothesis's does */
  readonly probe: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { train: 0.95, probe: 0.9 };

/**
 * Accuracies arrive as float32 fractions k/n (on the GPU divided with up to 2.5 ulp of error), so 19
 * of 20 correct reads 0.94999999 < 0.95: a threshold counts as reached within this slack (4 float32
 * ulps just below 1). A k/n truly below a two-decimal threshold is at least 1/(100·n) below it, more
 * than the slack for any set of fewer than 40,000 rows.
 */
export const ACCURACY_SLACK = 2 ** -22;

export const MIXED = 'mixed';
export const UNCONVERGED = 'unconverged';
export const DIVERGED = 'diverged';

/** Outcome classes of a task: its hypotheses in probe order, its fit-only outcome if it has one, then mixed, unconverged, diverged. */
export function outcomeClasses(task: Task): string[] {
  return [...task.probes.map((p) => p.name), ...(task.fitOnly ? [task.fitOnly.name] : []), MIXED, UNCONVERGED, DIVERGED];
}

/**
 * The outcome class (index into outcomeClasses) of each particle, from its metrics
 * ([count][sets][loss, acc]) and its diverged flag.
 */
export function classify(task: Task, metrics: Metrics, diverged: Uint8Array | undefined, thresholds: Thresholds): Uint8Array {
  // h: the first class after the hypotheses (the fit-only one, if the task has it, then mixed)
  const h = task.probes.length + (task.fitOnly ? 1 : 0);
  const probes = task.probes.length;
  const m = new MetricsView(metrics, metricSets(task));
  const out = new Uint8Array(m.count);
  for (let i = 0; i < m.count; i++) {
    if (diverged?.[i] || !m.finite(i)) {
      out[i] = h + 2;
      continue;
    }
    if (m.acc(i, 0) < thresholds.train - ACCURACY_SLACK) {
      out[i] = h + 1;
      continue;
    }
    let winner = -1;
    let passing = 0;
    let below = true;
    for (let p = 0; p < probes; p++) {
      if (m.acc(i, p + 1) >= thresholds.probe - ACCURACY_SLACK) {
        winner = p;
        passing++;
      }
      if (task.fitOnly && !(m.acc(i, p + 1) < task.fitOnly.below)) below = false;
    }
    out[i] = passing === 1 ? winner : task.fitOnly && below ? probes : h;
  }
  return out;
}
