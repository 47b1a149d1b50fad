import * as Comlink from 'comlink';
import { crossingValue } from '../core/instruments/geometry/geometryJson';
import { geometryFields, measureGeometry, type GeometryMeasurement } from '../core/instruments/geometry/geometry';
import { parseLlcSettings } from '../core/instruments/llc/llcAnalysis';
import { parseSharpnessSettings } from '../core/instruments/sharpness/sharpnessSettings';
import { parseWidthSettings } from '../core/instruments/width/width';
import { UserError } from '../core/errors';
import { paramCount } from '../core/layout';
import { metricSets } from '../core/metricsView';
import type { Run } from '../core/runs';
import { firstParticles } from './barrierJob';
import { EngineJob } from './engineJob';
import { trainedEnsemble, type InstrumentJob, type JobContext } from './jobContext';
import type { GeometryRequest, GeometryResult, GeometryStage, JobOutcome, JobProgress } from './protocol';
import type { RunResults } from './sandboxRun';

/** The settings the request does not carry, checked with core's parsers as the form checked them. */
export function parseGeometryRequest(request: GeometryRequest, run: Run) {
  const text = (x: number) => String(x);
  return {
    sharpness: parseSharpnessSettings({}, run.config.seed, 'label'),
    width: parseWidthSettings({ directions: text(request.directions) }, 'label'),
    // directions from the init seed's width stream, as the command line's default --direction-seed
    directionSeed: run.config.seed,
    llc: request.skipLlc
      ? undefined
      : parseLlcSettings(
          { chains: text(request.chains), burnin: text(request.burnin), draws: text(request.draws) },
          run.task.train.rows,
          'label',
        ),
  };
}

const sameVector = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/**
 * "Measure sharpness, width, LLC" in the worker: the geometry command's three measurements on the
 * first M particles of the ensemble on screen (all of them by default in the CLI; the sandbox offers
 * fewer, since the LLC's chains are slow on a laptop), one stage after another, cancellable between
 * engine chunks.
 * The worker keeps what it measured so that the ensemble export can carry it.
 */
export class GeometryJob extends EngineJob implements InstrumentJob<'geometry'> {
  readonly action = 'measure';
  private measured: GeometryMeasurement | undefined;

  async measure(
    context: JobContext,
    request: GeometryRequest,
    onProgress: (progress: JobProgress<GeometryStage>) => void,
  ): Promise<JobOutcome<GeometryResult>> {
    const { engine } = context;
    const { results, ensemble: full } = trainedEnsemble(context);
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
      const measured = await measureGeometry(engine, run, ensemble, settings, {
        signal,
        onProgress: (stage, fraction) => onProgress({ fraction, stage }),
      });
      this.measured = measured;
      const result = toResult(measured, step, p);
      const buffers = [result.sharpness.topEigenvalue, result.width.r50, ...(result.llc ? [result.llc.llc, result.llc.llcStd] : [])];
      return Comlink.transfer(
        { status: 'done' as const, result },
        buffers.map((a) => a.buffer as ArrayBuffer),
      );
    });
  }

  /**
   * The measurements' JSON (blocks and per-particle fields of the first M, as the geometry command
   * writes them), when the ensemble of `results` is the one measured; undefined otherwise.
   */
  jsonFor(results: RunResults) {
    const m = this.measured;
    const ensemble = results.ensemble;
    if (!m || !ensemble || !sameVector(m.ensemble.params, ensemble.params.subarray(0, m.ensemble.params.length))) return undefined;
    return geometryFields(m);
  }
}

/** Core's results as the UI needs them: plain typed arrays, one value per particle. */
function toResult(m: GeometryMeasurement, step: number, parameters: number): GeometryResult {
  const { sharp, width, llc, ensemble, seconds, cancelledStage } = m;
  const sharpSettings = m.settings.sharpness;
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
      maxIter: sharpSettings.maxIter,
      tol: sharpSettings.tol,
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
            llc: llc.estimate.llc.slice(),
            llcStd: llc.estimate.llcStd.slice(),
            problems: llc.estimate.problems,
            chains: llc.sgld.chains,
            burnin: llc.sgld.burnin,
            draws: llc.sgld.draws,
            // one number for the summary: under ε 'auto' the median of the particles' own
            eps: [...llc.epsByParticle].sort((a, b) => a - b)[llc.epsByParticle.length >> 1],
            nbeta: llc.sgld.nbeta,
          },
        }
      : {}),
    seconds,
    ...(cancelledStage ? { cancelledStage } : {}),
  };
}
