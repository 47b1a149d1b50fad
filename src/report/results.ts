import type { BarrierFields } from '../core/instruments/barriers/barrierJson';
import type { DecompositionFields } from '../core/instruments/decompose/decomposeJson';
import type { HypermapJson } from '../core/instruments/hypermap/hypermapJson';
import type { PriorFields } from '../core/instruments/prior/priorJson';
import type { TrainResult } from '../core/results';

/**
 * The results the report reads, typed by the definitions that write them (core's JSON builders),
 * each read through one checked door: a
 * kept result of another kind or shape (an old cache, a hand-edited file) stops the report naming
 * the command's kind and the field, instead of a TypeError deep inside a section.
 */

type Json = Record<string, unknown>;

/** The result as `T` once its kind and the fields the report reads are there. */
function checked<T>(json: Json, kind: string, fields: readonly string[]): T {
  if (json.kind !== kind) throw new Error(`expected a ${kind} result, got kind ${JSON.stringify(json.kind)}; run the report with --fresh`);
  const missing = fields.filter((f) => json[f] === undefined);
  if (missing.length > 0) throw new Error(`the ${kind} result has no ${missing.join(', ')}; run the report with --fresh`);
  return json as T;
}

/** `train`, with the extras a task adds (grokking's Fourier key frequencies). */
export type TrainJson = TrainResult & { fourier?: { distinctSets: number | null } };
export const readTrain = (json: Json): TrainJson => checked(json, 'train', ['classes', 'counts', 'fractions']);

/** An interval whose ends are numbers: a decomposition's shares are, unless every cell had one outcome. */
export interface Share {
  value: number;
  low: number;
  high: number;
}
export type DecomposeJson = DecompositionFields & { initShare: Share; noiseShare: Share };
export function readDecompose(json: Json): DecomposeJson {
  const d = checked<DecompositionFields>(json, 'decompose', ['initShare', 'noiseShare']);
  for (const name of ['initShare', 'noiseShare'] as const)
    if (d[name].value === null || d[name].low === null || d[name].high === null)
      throw new Error(`the decompose result's ${name} is not a number (${d.problem ?? 'no outcome entropy'})`);
  return d as DecomposeJson;
}

export const readHypermap = (json: Json): HypermapJson =>
  checked(json, 'hypermap', ['res', 'xs', 'ys', 'classes', 'counts', 'fractions', 'config']);

/** What `geometry` writes of each particle that the report reads (core/instruments/geometry/geometry.ts, geometryFields). */
export interface GeometryParticle {
  outcome: string;
  topEigenvalue: number | null;
  r50: number | null;
  llc?: number | null;
  llcProblem?: string;
}
export type GeometryJson = Omit<TrainResult, 'particles'> & { particles: GeometryParticle[] };
export const readGeometry = (json: Json): GeometryJson => checked(json, 'geometry', ['counts', 'particles']);

/** `barriers`' fields and, kept for up to 64 particles, train's per-particle list */
export type BarrierJson = BarrierFields & { particles?: { outcome: string }[] };
export const readBarriers = (json: Json): BarrierJson => checked(json, 'barriers', ['set', 'summary', 'ari', 'ariInterval']);

export type PriorJson = PriorFields & { priorSeconds: number; seconds: number; engine: 'gpu' | 'cpu'; device: string };
export const readPrior = (json: Json): PriorJson =>
  checked(json, 'prior', ['samples', 'accepted', 'acceptance', 'sgd', 'functionCounts', 'correlation', 'meanGeneralisationError']);
