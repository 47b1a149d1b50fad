import * as Comlink from 'comlink';
import {
  barrierAnalysis,
  MAX_BARRIER_PARTICLES,
  resolveBarrierSettings,
  type BarrierSettings,
} from '../core/instruments/barriers/barrierAnalysis';
import { alignTo } from '../core/instruments/barriers/weightMatching';
import { interpolationPoints } from '../core/instruments/barriers/barrier';
import type { Engine } from '../core/engine';
import { UserError } from '../core/errors';
import { paramCount } from '../core/layout';
import { metricSets, MetricsView } from '../core/metricsView';
import type { EnsembleResult, Run } from '../core/runs';
import { EngineJob } from './engineJob';
import { trainedEnsemble, type InstrumentJob, type JobContext } from './jobContext';
import type { BarrierLine, BarrierRequest, BarrierResult, JobOutcome, JobProgress } from './protocol';

/** Points along a line the UI draws: finer than the matrix's, so the ridge shows its shape. */
export const LINE_POINTS = 41;

/** The first `m` particles of an ensemble, copied (the run may go on and replace its arrays). */
export function firstParticles(ensemble: EnsembleResult, m: number, p: number, sets: number): EnsembleResult {
  const w = MetricsView.rowWidth(sets);
  return {
    classes: ensemble.classes,
    outcomes: ensemble.outcomes.slice(0, m),
    metrics: ensemble.metrics.slice(0, m * w),
    diverged: ensemble.diverged.slice(0, m),
    params: ensemble.params.slice(0, m * p),
  };
}

/**
 * "Measure barriers" in the worker: core's barrierAnalysis on the first M particles of the run on
 * screen, cancellable, one at a time. Keeps those particles so that a line the user clicks later
 * is drawn between the very networks the matrix measured, even after another run has begun.
 */
export class BarrierJob extends EngineJob implements InstrumentJob<'barriers'> {
  readonly action = 'measure barriers';
  private subjects: { run: Run; params: Float32Array; settings: BarrierSettings; set: string } | undefined;

  async measure(
    context: JobContext,
    request: BarrierRequest,
    onProgress: (progress: JobProgress) => void,
  ): Promise<JobOutcome<BarrierResult>> {
    const { engine } = context;
    const { results, ensemble } = trainedEnsemble(context);
    const n = ensemble.outcomes.length;
    const m = request.particles;
    if (!Number.isInteger(m) || m < 2 || m > Math.min(n, MAX_BARRIER_PARTICLES)) {
      throw new UserError(`particles to measure must be an integer from 2 to ${Math.min(n, MAX_BARRIER_PARTICLES)}, got ${m}`);
    }
    // the UI checked these as the user typed; checked again here, where they are used, by the
    // barriers command's own path from its flags (the set among this run's task's probe sets)
    const settings = resolveBarrierSettings(
      {
        points: String(request.points),
        minBarrier: String(request.minBarrier),
        clusters: request.clusters === undefined ? undefined : String(request.clusters),
        align: request.align,
        set: request.set,
      },
      m,
      results.run.task.probes.map((probe) => probe.name),
      'label',
    );
    return this.run(async (signal) => {
      const { run } = results;
      const subset = firstParticles(ensemble, m, paramCount(run.layout), metricSets(run.task));
      const step = results.history.steps.at(-1) ?? 0;
      const t0 = performance.now();
      const a = await barrierAnalysis(engine, run, subset, settings, {
        signal,
        onProgress: (fraction) => onProgress({ fraction }),
      });
      this.subjects = { run, params: subset.params, settings, set: a.set };
      const result = {
        particles: m,
        step,
        points: a.points,
        aligned: a.aligned !== false,
        set: a.set,
        barrier: a.barrier,
        clusters: a.clusters,
        outcomes: subset.outcomes,
        classes: subset.classes,
        clustering: a.clustering,
        ari: a.ari,
        ariInterval: { lo: a.ariInterval.lo, hi: a.ariInterval.hi },
        summary: a.summary,
        seconds: (performance.now() - t0) / 1000,
      };
      return Comlink.transfer({ status: 'done' as const, result }, [a.barrier.buffer, a.clusters.buffer, subset.outcomes.buffer]);
    });
  }

  /**
   * The loss along the line between two of the measured particles, as the matrix measured it (its
   * set; j's hidden units matched to i's when it was aligned): after any measurement, which it does not cancel.
   */
  async line(engine: Engine, i: number, j: number): Promise<BarrierLine> {
    const s = this.subjects;
    if (!s) throw new UserError('measure the barriers first');
    const m = s.params.length / paramCount(s.run.layout);
    for (const k of [i, j]) {
      if (!Number.isInteger(k) || k < 0 || k >= m) throw new UserError(`a line's particles must be from 0 to ${m - 1}, got ${k}`);
    }
    return this.after(async () => {
      const ts = interpolationPoints(LINE_POINTS);
      const { layout, task } = s.run;
      const p = paramCount(layout);
      const [a, b] = [s.params.subarray(i * p, (i + 1) * p), s.params.subarray(j * p, (j + 1) * p)];
      const vectors = new Float32Array(2 * p);
      vectors.set(a);
      vectors.set(s.settings.align ? alignTo(layout, a, b) : b, p);
      const metrics = await engine.evaluateLines({ layout, task, vectors, pairs: Uint32Array.of(0, 1), ts });
      const view = new MetricsView(metrics, metricSets(task));
      const set = s.settings.set ?? 0;
      const loss = Float32Array.from(ts, (_, k) => view.loss(k, set));
      return Comlink.transfer({ i, j, aligned: s.settings.align === true, set: s.set, ts, loss }, [ts.buffer, loss.buffer]);
    });
  }
}
