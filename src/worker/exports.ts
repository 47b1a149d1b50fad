import { paramCount } from '../core/layout';
import { metricSets, MetricsView } from '../core/metricsView';
import { paramsFileText, paramsHeader } from '../core/paramsFile';
import { basinResult, gridResult, trainResult, type PlaneDescription } from '../core/results';
import type { ExportFile, Target } from './protocol';
import type { RunResults } from './sandboxRun';

/**
 * Files the UI offers for download, built in the worker so that big JSON never blocks the page.
 * JSON results use the CLI's schema (core/results.ts), so one set of tools reads both.
 */

const stamp = (r: RunResults) => `${r.run.task.name}-seed${r.run.config.seed}-noise${r.run.config.noiseSeed}`;

/** The run as it stands: a cancelled run reports the steps it actually took. */
const runSoFar = (r: RunResults) => ({ ...r.run, config: { ...r.run.config, steps: r.stepsDone } });

function planeDescription(r: RunResults): PlaneDescription {
  const s = r.plane!;
  return { source: s.source, origin: s.landmarks[0].label, ...(s.seed !== undefined ? { seed: s.seed } : {}) };
}

/** Sharpness, width and LLC of this very ensemble's first particles, when they were measured (GeometryJob.jsonFor). */
export interface GeometryJson {
  readonly blocks: Record<string, unknown>;
  readonly perParticle: readonly Record<string, unknown>[];
}

export function ensembleJson(r: RunResults, geometry?: GeometryJson): ExportFile {
  if (!r.ensemble) throw new Error('nothing has been trained yet');
  const base = trainResult(runSoFar(r), r.engine.kind, r.engine.device, r.seconds, r.ensemble);
  // the geometry command's blocks and per-particle field names, so one set of tools reads both
  const doc = geometry
    ? { ...base, ...geometry.blocks, particles: base.particles.map((p, i) => ({ ...p, ...(geometry.perParticle[i] ?? {}) })) }
    : base;
  return { name: `${stamp(r)}-ensemble.json`, mime: 'application/json', parts: [JSON.stringify(doc)] };
}

/** The basin map when one was trained, else the loss map. */
export function mapJson(r: RunResults, view: 'loss' | 'basin'): ExportFile {
  if (!r.plane || !r.grid || !r.lossMetrics) throw new Error('the map has not been computed yet');
  const run = runSoFar(r);
  if (view === 'basin' && r.basin) {
    const gridRun = { ...run, config: { ...run.config, particles: r.grid.alphas.length * r.grid.betas.length } };
    const doc = basinResult(gridRun, r.engine.kind, r.engine.device, r.seconds, r.plane.plane, r.grid, planeDescription(r), r.basin);
    return { name: `${stamp(r)}-basin.json`, mime: 'application/json', parts: [JSON.stringify(doc)] };
  }
  const doc = gridResult(run, r.engine.kind, r.engine.device, r.seconds, r.plane.plane, r.grid, planeDescription(r), r.lossMetrics);
  return { name: `${stamp(r)}-lossmap.json`, mime: 'application/json', parts: [JSON.stringify(doc)] };
}

const cell = (x: number) => (Number.isFinite(x) ? String(x) : '');

/** One row per particle: index, outcome, and loss and accuracy on every set. */
export function outcomesCsv(r: RunResults): ExportFile {
  if (!r.ensemble) throw new Error('nothing has been trained yet');
  const { task, config } = r.run;
  const m = new MetricsView(r.ensemble.metrics, metricSets(task));
  const header = ['particle', 'outcome', 'train_loss', 'train_acc', ...task.probes.flatMap((p) => [`${p.name}_loss`, `${p.name}_acc`])];
  const lines = [header.join(',')];
  r.ensemble.outcomes.forEach((o, i) => {
    const values = Array.from(m.row(i), cell);
    lines.push([config.firstParticle + i, r.ensemble!.classes[o], ...values].join(','));
  });
  return { name: `${stamp(r)}-outcomes.csv`, mime: 'text/csv', parts: [lines.join('\n') + '\n'] };
}

/**
 * Parameter vectors in PyTorch nn.Linear order (per layer: weight [out][in] row-major, then
 * bias), of the whole ensemble or of one particle or grid point, as a parameters file
 * (core/paramsFile.ts): the file `--params` and `--init` read and `--params-out` writes.
 */
export function paramsJson(r: RunResults, target?: Target): ExportFile {
  const { layout, config } = r.run;
  const p = paramCount(layout);
  if (!target) {
    if (!r.ensemble) throw new Error('nothing has been trained yet');
    const e = r.ensemble;
    const text = paramsFileText(
      paramsHeader(r.run, r.stepsDone),
      e.params,
      e.outcomes.length,
      (i) => config.firstParticle + i,
      (i) => e.classes[e.outcomes[i]],
    );
    return { name: `${stamp(r)}-params.json`, mime: 'application/json', parts: [...text] };
  }
  const source = target.kind === 'particle' ? r.ensemble : r.basin;
  if (!source || source.params.length < (target.index + 1) * p)
    throw new Error(`the parameters of this ${target.kind === 'particle' ? 'particle' : 'grid point'} are not available yet`);
  const what = target.kind === 'particle' ? `particle-${target.index}` : `grid-${target.index}`;
  const text = paramsFileText(
    paramsHeader(r.run, r.stepsDone, what),
    source.params.subarray(target.index * p, (target.index + 1) * p),
    1,
    () => (target.kind === 'particle' ? config.firstParticle + target.index : target.index),
    () => source.classes[source.outcomes[target.index]],
  );
  return { name: `${stamp(r)}-${what}-params.json`, mime: 'application/json', parts: [...text] };
}
