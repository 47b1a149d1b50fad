import type { EnsembleResult, Run } from '../runs';
import { TRAIN_EXTRAS } from './registry';

/** Train's extras (./trainExtra.ts), from the instruments' registry, in the order their keys are written. */
export { TRAIN_EXTRAS };

/** Every extra that applies, by key, in the list's order. */
export function measureTrainExtras(run: Run, result: EnsembleResult): Record<string, object> {
  const out: Record<string, object> = {};
  for (const x of TRAIN_EXTRAS) {
    const value = x.measure(run, result);
    if (value !== undefined) out[x.key] = value;
  }
  return out;
}

/** The merged extras: those the first shard carries, each from every shard's value. */
export function mergeTrainExtras(docs: readonly Record<string, unknown>[]): Record<string, object> {
  return Object.fromEntries(TRAIN_EXTRAS.filter((x) => x.key in docs[0]).map((x) => [x.key, x.merge(docs.map((d) => d[x.key]))]));
}

/** The summary lines of every extra a result carries. */
export function trainExtraLines(doc: Record<string, unknown>): string[] {
  return TRAIN_EXTRAS.flatMap((x) => (x.key in doc ? x.lines(doc[x.key]) : []));
}
