import { CancelledError, throwIfAborted } from '../core/errors';
import * as Comlink from 'comlink';
import { crossingValue, llcFields, sharpnessFields, widthFields } from '../core/analysis/geometryJson';
import { llcAnalysis, parseLlcSettings, type LlcAnalysis, type LlcSettings } from '../core/analysis/llcAnalysis';
import { measureSharpness, type SharpnessResult } from '../core/analysis/sharpness';
import { parseSharpnessSettings, type SharpnessSettings } from '../core/analysis/sharpnessSettings';
import { sharpnessByClass } from '../core/analysis/sharpnessSummary';
import { parseWidthSettings, widthAnalysis, type WidthAnalysis } from '../core/analysis/width';
import type { Engine } from '../core/engine';
import { UserError } from '../core/errors';
import { paramCount } from '../core/layout';
import { metricSets } from '../core/metricsView';
import type { EnsembleResult, Run } from '../core/runs';
import { firstParticles } from './barrierJob';
import { EngineJob } from './engineJob';
import type { GeometryOutcome, GeometryRequest, GeometryResult, GeometryStage } from './protocol';
import type { RunResults } from './sandboxRun';

/** The settings the request does not carry, checked with core's parsers as the form checked them. */
export function parseGeometryRequest(request: GeometryRequest, run: Run) {
  const text = (x: number) => String(x);
  return {
    sharpness: parseSharpnessSettings({}, run.config.seed, 'label'),
    width: parseWidthSettings({ directions: text(request.directions) }, 'label'),
    llc: request.skipLlc
      ? undefined
      : parseLlcSettings(
          { chains: text(request.chains), burnin: text(request.burnin), draws: text(request.draws) },
          run.task.train.rows,
          'label',
        ),
  };
}

/** What was measured, kept for the export: the very networks, and core's results on them. */
interface Measured {
  readonly run: Run;
  readonly ensemble: EnsembleResult;
  readonly sharp: SharpnessResult;
  readonly sharpSettings: SharpnessSettings;
  readonly width: WidthAnalysis;
  readonly llc?: { readonly analysis: LlcAnalysis; readonly settings: LlcSettings };
}

const sameVector = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/**
 * "Measure sharpness, width, LLC" in the worker: the geometry command's three measurements on the
 * first M particles of the ensemble on screen (all of them by default in the CLI; the sandbox offers
 * fewer, since the LLC's chains are slow on a laptop), one stage after another, cancellable between
 * engine chunks.
 * The worker keeps what it measured so that the ensemble export can carry it.
 */
export class GeometryJob extends EngineJob {
  private measured: Measured | undefined;

  async measure(
    engine: Engine,
    results: RunResults,
    request: GeometryRequest,
    onProgress: (stage: GeometryStage, fraction: number) => void,
  ): Promise<GeometryOutcome> {
    const full = results.ensemble;
    if (!full) throw new UserError('nothing has been trained yet');
    const { run } = results;
    const n = full.outcomes.length;
    const m = request.particles;
    if (!Number.isInteger(m) || m < 1 || m > n) {
      throw new UserError(`particles to measure must be an integer from 1 to ${n}, got ${m}`);
    }
    // the UI checked these as the user typed; checked again here, where they are used
    const settings = parseGeometryRequest(request, run);
    return this.run(async (signal) => {
      const p = paramCount(run.layout);
      // a copy of the first M: the results object may be replaced by a later run while this one measures
      const ensemble = firstParticles(full, m, p, metricSets(run.task));
      const step = results.history.steps.at(-1) ?? 0;
      const { measured, seconds, cancelledStage } = await this.stages(engine, run, ensemble, settings, signal, onProgress);
      this.measured = measured;
      const result = { ...toResult(measured, step, p, seconds), ...(cancelledStage ? { cancelledStage } : {}) };
      const buffers = [result.sharpness.topEigenvalue, result.width.r50, ...(result.llc ? [result.llc.llc, result.llc.llcStd] : [])];
      return Comlink.transfer(
        { status: 'done' as const, result },
        buffers.map((a) => a.buffer as ArrayBuffer),
      );
    });
  }

  private async stages(
    engine: Engine,
    run: Run,
    ensemble: EnsembleResult,
    settings: ReturnType<typeof parseGeometryRequest>,
    signal: AbortSignal,
    onProgress: (stage: GeometryStage, fraction: number) => void,
  ): Promise<{ measured: Measured; seconds: Partial<Record<GeometryStage, number>>; cancelledStage?: GeometryStage }> {
    const seconds: Partial<Record<GeometryStage, number>> = {};
    const timed = async <T>(stage: GeometryStage, f: (onProgress: (x: number) => void) => Promise<T>): Promise<T> => {
      // a stage that ends within one slice of work never looks at the signal: look before the next
      throwIfAborted(signal);
      const t0 = performance.now();
      onProgress(stage, 0);
      const out = await f((x) => onProgress(stage, x));
      seconds[stage] = (performance.now() - t0) / 1000;
      return out;
    };
    const problem = { layout: run.layout, task: run.task, params: ensemble.params, firstParticle: run.config.firstParticle };
    const sharp = await timed('sharpness', (progress) =>
      measureSharpness(engine, problem, settings.sharpness, { signal, onProgress: progress }),
    );
    // directions from the init seed's width stream, as the command line's default --direction-seed
    const width = await timed('width', (progress) =>
      widthAnalysis(engine, run, ensemble, settings.width, run.config.seed, { signal, onProgress: progress }),
    );
    const llcSettings = settings.llc;
    let llc: Measured['llc'];
    let cancelledStage: GeometryStage | undefined;
    try {
      if (llcSettings) {
        const analysis = await timed('llc', (progress) =>
          llcAnalysis(engine, run, ensemble, llcSettings, { signal, onProgress: progress }, sharp),
        );
        llc = { analysis, settings: llcSettings };
      }
    } catch (e) {
      // sharpness and width are finished: a cancelled LLC keeps them (issue 25)
      if (!(e instanceof CancelledError)) throw e;
      cancelledStage = 'llc';
    }
    return { measured: { run, ensemble, sharp, sharpSettings: settings.sharpness, width, llc }, seconds, cancelledStage };
  }

  /**
   * The measurements' JSON (blocks and per-particle fields of the first M, as the geometry command
   * writes them), when the ensemble of `results` is the one measured; undefined otherwise.
   */
  jsonFor(results: RunResults) {
    const m = this.measured;
    const ensemble = results.ensemble;
    if (!m || !ensemble || !sameVector(m.ensemble.params, ensemble.params.subarray(0, m.ensemble.params.length))) return undefined;
    const { classes, outcomes } = m.ensemble;
    const relu = m.run.layout.activation === 'relu';
    const sharp = sharpnessFields(m.sharp, m.sharpSettings, sharpnessByClass(m.sharp, classes, outcomes), relu);
    const width = widthFields(m.width);
    const llc = m.llc && llcFields(m.llc.analysis, m.llc.settings, m.run.task.train.rows);
    return {
      blocks: { sharpness: sharp.sharpness, width: width.width, ...(llc ? { llc: llc.llc } : {}) },
      perParticle: sharp.perParticle.map((s, i) => ({ ...s, ...width.particles[i], ...llc?.perParticle[i] })),
    };
  }
}

/** Core's results as the UI needs them: plain typed arrays, one value per particle. */
function toResult(m: Measured, step: number, parameters: number, seconds: GeometryResult['seconds']): GeometryResult {
  const { sharp, width, llc, ensemble } = m;
  const w = width.settings;
  return {
    particles: ensemble.outcomes.length,
    step,
    classes: ensemble.classes,
    outcomes: ensemble.outcomes.slice(),
    parameters,
    sharpness: {
      topEigenvalue: sharp.topEigenvalue.slice(),
      converged: sharp.converged.slice(),
      iterations: sharp.iterations.slice(),
      maxIter: m.sharpSettings.maxIter,
      tol: m.sharpSettings.tol,
    },
    width: {
      r50: Float64Array.from(width.particles, (x) => crossingValue(x?.r50)),
      directions: w.directions,
      radii: w.radii,
      rMin: w.rMin,
      rMax: w.rMax,
    },
    ...(llc
      ? {
          llc: {
            llc: llc.analysis.estimate.llc.slice(),
            llcStd: llc.analysis.estimate.llcStd.slice(),
            problems: llc.analysis.estimate.problems,
            chains: llc.analysis.sgld.chains,
            burnin: llc.analysis.sgld.burnin,
            draws: llc.analysis.sgld.draws,
            // one number for the summary: under ε 'auto' the median of the particles' own
            eps: [...llc.analysis.epsByParticle].sort((a, b) => a - b)[llc.analysis.epsByParticle.length >> 1],
            nbeta: llc.analysis.sgld.nbeta,
          },
        }
      : {}),
    seconds,
  };
}
