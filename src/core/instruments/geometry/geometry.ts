import type { Engine } from '../../engine';
import { CancelledError, throwIfAborted } from '../../errors';
import type { EnsembleResult, Run } from '../../runs';
import { spreadByClass, spreadJson, type Spread } from '../../maths/classSpread';
import { llcAnalysis, type LlcAnalysis, type LlcSettings } from '../llc/llcAnalysis';
import { measureSharpness, type SharpnessResult } from '../sharpness/sharpness';
import type { SharpnessSettings } from '../sharpness/sharpnessSettings';
import { sharpnessByClass } from '../sharpness/sharpnessSummary';
import { widthAnalysis, type WidthAnalysis, type WidthSettings } from '../width/width';
import { crossingValue, llcFields, sharpnessFields, widthFields } from './geometryJson';

/**
 * "Geometry" is the three measurements of a trained network's surroundings taken together:
 * sharpness (top Hessian eigenvalue), width (r50 along random directions) and the local learning
 * coefficient. This is their one chain, run by the `geometry` command and the sandbox's Geometry
 * panel alike; the barriers between networks are their own instrument (../barriers/).
 */
export type GeometryStage = 'sharpness' | 'width' | 'llc';

export interface GeometrySettings {
  readonly sharpness: SharpnessSettings;
  readonly width: WidthSettings;
  /** seed of width's random directions (the CLI's --direction-seed; the init seed by default) */
  readonly directionSeed: number;
  /** undefined: the LLC is left out (--skip-llc) */
  readonly llc?: LlcSettings;
}

/** What one chain measured, on the ensemble it measured. */
export interface GeometryMeasurement {
  readonly run: Run;
  readonly ensemble: EnsembleResult;
  readonly settings: GeometrySettings;
  readonly sharp: SharpnessResult;
  readonly width: WidthAnalysis;
  readonly llc?: LlcAnalysis;
  /** each finished stage's wall time */
  readonly seconds: Readonly<Partial<Record<GeometryStage, number>>>;
  /** set when a stop came during the LLC: sharpness and width are finished and kept (issue 25) */
  readonly cancelledStage?: GeometryStage;
}

export interface GeometryRunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (stage: GeometryStage, fraction: number) => void;
}

/**
 * Sharpness, then width, then the LLC of every particle of `ensemble`, cancellable between engine
 * chunks. A stop during sharpness or width throws CancelledError; a stop during the LLC returns
 * what was finished, with `cancelledStage` set, and the caller decides whether that is a result
 * (the sandbox shows it) or a cancellation (the command line writes nothing).
 */
export async function measureGeometry(
  engine: Engine,
  run: Run,
  ensemble: EnsembleResult,
  settings: GeometrySettings,
  { signal, onProgress }: GeometryRunOptions = {},
): Promise<GeometryMeasurement> {
  const seconds: Partial<Record<GeometryStage, number>> = {};
  const timed = async <T>(stage: GeometryStage, f: (onProgress: (x: number) => void) => Promise<T>): Promise<T> => {
    // a stage that ends within one slice of work never looks at the signal: look before the next
    throwIfAborted(signal);
    const t0 = performance.now();
    onProgress?.(stage, 0);
    const out = await f((x) => onProgress?.(stage, x));
    seconds[stage] = (performance.now() - t0) / 1000;
    return out;
  };
  const problem = { layout: run.layout, task: run.task, params: ensemble.params, firstParticle: run.config.firstParticle };
  const sharp = await timed('sharpness', (progress) =>
    measureSharpness(engine, problem, settings.sharpness, { signal, onProgress: progress }),
  );
  const width = await timed('width', (progress) =>
    widthAnalysis(engine, run, ensemble, settings.width, settings.directionSeed, { signal, onProgress: progress }),
  );
  const llcSettings = settings.llc;
  let llc: LlcAnalysis | undefined;
  let cancelledStage: GeometryStage | undefined;
  try {
    // ε 'auto' reads the top eigenvalue just measured instead of measuring it again
    if (llcSettings)
      llc = await timed('llc', (progress) => llcAnalysis(engine, run, ensemble, llcSettings, { signal, onProgress: progress }, sharp));
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    cancelledStage = 'llc';
  }
  return { run, ensemble, settings, sharp, width, llc, seconds, ...(cancelledStage ? { cancelledStage } : {}) };
}

/** Each measurement's per-class spread: the numbers the geometry table and its JSON summarise. */
export function geometryByClass(
  m: GeometryMeasurement,
): Record<'topEigenvalue' | 'r50', Record<string, Spread>> & { llc?: Record<string, Spread> } {
  const { classes, outcomes } = m.ensemble;
  const llc = m.llc;
  return {
    topEigenvalue: spreadByClass(m.sharp.topEigenvalue, outcomes, classes),
    r50: spreadByClass(
      m.width.particles.map((p) => crossingValue(p?.r50)),
      outcomes,
      classes,
    ),
    // estimates with a problem (llcProblem) are left out, as the llc command's summary leaves them out
    ...(llc
      ? {
          llc: spreadByClass(
            Array.from(llc.estimate.llc, (x, i) => (llc.estimate.problems[i] === undefined ? x : NaN)),
            outcomes,
            classes,
          ),
        }
      : {}),
  };
}

/**
 * The measurements' JSON, one definition for the `geometry` command's file and the sandbox's
 * export: a block per measurement, and the fields each particle gets.
 */
export function geometryFields(m: GeometryMeasurement) {
  const { classes, outcomes } = m.ensemble;
  const relu = m.run.layout.activation === 'relu';
  const sharp = sharpnessFields(m.sharp, m.settings.sharpness, sharpnessByClass(m.sharp, classes, outcomes), relu);
  const width = widthFields(m.width);
  const llc = m.llc && m.settings.llc && llcFields(m.llc, m.settings.llc, m.run.task.train.rows);
  return {
    blocks: { sharpness: sharp.sharpness, width: width.width, ...(llc ? { llc: llc.llc } : {}) },
    perParticle: sharp.perParticle.map((s, i) => ({ ...s, ...width.particles[i], ...llc?.perParticle[i] })),
  };
}

/**
 * The geometry block of the command's JSON: per class with particles, its count and share and the
 * median and quartiles of each measurement (null where no particle of the class has a value).
 */
export function geometrySummaryJson(
  m: GeometryMeasurement,
  counts: Readonly<Record<string, number>>,
  fractions: Readonly<Record<string, unknown>>,
) {
  const byClass = geometryByClass(m);
  const w = m.settings.width;
  const spreads = {
    topEigenvalue: spreadJson(byClass.topEigenvalue),
    r50: spreadJson(byClass.r50, { below: `< ${w.rMin}`, beyond: `> ${w.rMax}` }),
    llc: byClass.llc && spreadJson(byClass.llc),
  };
  return {
    byClass: Object.fromEntries(
      m.ensemble.classes
        .filter((c) => counts[c] > 0)
        .map((c) => [
          c,
          {
            count: counts[c],
            share: fractions[c],
            topEigenvalue: spreads.topEigenvalue[c] ?? null,
            r50: spreads.r50[c] ?? null,
            ...(spreads.llc ? { llc: spreads.llc[c] ?? null } : {}),
          },
        ]),
    ),
  };
}
