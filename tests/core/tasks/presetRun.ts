import { DEFAULT_CONFIG, type RunConfig } from '../../../src/core/config';
import { CpuEngine } from '../../../src/core/cpuEngine';
import { metricSets, MetricsView } from '../../../src/core/metricsView';
import { makeRun, trainEnsemble } from '../../../src/core/runs';
import { countClasses } from '../../../src/core/stats';
import { defaultKnobs, findPreset } from '../../../src/core/tasks';

export interface PresetOutcome {
  /** share of particles per outcome class */
  shares: Record<string, number>;
  /** accuracy per particle on each probe set, by probe name */
  probeAcc: Record<string, number[]>;
}

/**
 * Trains a preset at its own training defaults (with `config` on top) on the CPU reference
 * engine: a headline effect at a test's size, with no GPU and no shader compile.
 */
export async function trainPreset(name: string, knobs: Record<string, number>, config: Partial<RunConfig>): Promise<PresetOutcome> {
  const preset = findPreset(name)!;
  const task = preset.build({ ...defaultKnobs(preset), ...knobs });
  const run = makeRun({ ...DEFAULT_CONFIG, ...preset.defaults, knobs: { ...task.params }, task: name, ...config }, task);
  const result = await trainEnsemble(new CpuEngine(), run);
  const counts = countClasses(result.outcomes, result.classes.length);
  const n = result.outcomes.length;
  const m = new MetricsView(result.metrics, metricSets(task));
  return {
    shares: Object.fromEntries(result.classes.map((c, i) => [c, counts[i] / n])),
    probeAcc: Object.fromEntries(task.probes.map((p, s) => [p.name, Array.from({ length: n }, (_, i) => m.acc(i, s + 1))])),
  };
}
