import type { EnsembleResult, Run } from '../../runs';
import type { TrainExtra } from '../trainExtra';
import { frequencySets, KEY_SHARE } from './fourier';
import { grokkingFourier } from './grokkingFourier';

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The Fourier measurement as train's JSON holds it. */
export interface FourierSummary {
  readonly of: string;
  readonly measured: number;
  readonly distinctSets: number | null;
  readonly sets: readonly { frequencies: number[]; count: number }[];
  readonly note?: string;
}

/** The Fourier measurement in words: the distinct key-frequency sets and how many particles found each. */
export function fourierLines(f: FourierSummary): string {
  if (f.distinctSets === null) return `  Fourier key frequencies: ${f.note}`;
  const sets = f.sets.map((s) => `{${s.frequencies.join(', ')}} × ${s.count}`).join(', ');
  return `  Fourier key frequencies of ${f.measured} ${f.of}: ${f.distinctSets} distinct set${f.distinctSets === 1 ? '' : 's'}: ${sets}`;
}

/** The merged `fourier`: every shard's measured particles, their distinct sets counted afresh. */
export function mergeFourier(fouriers: unknown[]): Doc {
  const measured = fouriers.flatMap((f) => (isObject(f) && Array.isArray(f.particles) ? (f.particles as Doc[]) : []));
  const sets = frequencySets(measured.map((p) => (Array.isArray(p.frequencies) ? (p.frequencies as number[]) : [])));
  const of = isObject(fouriers[0]) ? fouriers[0].of : undefined;
  return {
    of,
    keyShare: KEY_SHARE,
    measured: measured.length,
    distinctSets: measured.length > 0 ? sets.length : null,
    sets,
    particles: measured,
    ...(measured.length === 0 ? { note: 'no particle to measure: the frequency sets cannot be compared' } : {}),
  };
}

/** The grokking preset's Fourier key frequencies, measured on every `train` of that task. */
export const GROKKING_FOURIER: TrainExtra = {
  key: 'fourier',
  measure: (run: Run, result: EnsembleResult) => grokkingFourier(run, result),
  merge: mergeFourier,
  lines: (value) => (isObject(value) ? [fourierLines(value as unknown as FourierSummary)] : []),
};
