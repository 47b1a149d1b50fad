import { decompose, type Interval, type OutcomeMatrix } from './decompose';

/**
 * The decomposition's JSON: one definition for `decompose`, for `merge` of its shards and for the
 * sandbox, so a merged file is byte for byte the file one run writes.
 */

export const DECOMPOSE_RERUN =
  'cell (i, j) is exactly: basin-atlas train <these run flags> --init-index i --first-particle j --particles 1';

const num = (x: number) => (Number.isFinite(x) ? x : null);
const interval = (i: Interval) => ({ value: num(i.value), low: num(i.low), high: num(i.high) });

/** The rows of a matrix as lists of class indices. */
export const outcomeRows = (outcomes: Uint8Array, rows: number, noises: number): number[][] =>
  Array.from({ length: rows }, (_, i) => Array.from(outcomes.subarray(i * noises, (i + 1) * noises)));

/**
 * Everything that follows from the whole matrix: the shares with their crossed-bootstrap intervals
 * (seeded by the run's init seed, so the same matrix always gives the same intervals), purity, and
 * the re-run recipe. These fields end every decompose result.
 */
export function decompositionFields(m: OutcomeMatrix, resamples: number, seed: number) {
  const d = decompose(m, resamples, seed);
  return {
    inits: m.inits,
    noises: m.noises,
    outcomes: outcomeRows(m.outcomes, m.inits, m.noises),
    H: d.h,
    HGivenInit: d.hGivenInit,
    HGivenNoise: d.hGivenNoise,
    initShare: interval(d.initShareInterval),
    noiseShare: interval(d.noiseShareInterval),
    shuffledShare: d.shuffledShare,
    purity: Array.from(d.purity),
    bootstrap: d.bootstrap,
    entropyUnit: 'bits',
    ...(d.h > 0 ? {} : { problem: 'every cell has the same outcome: there is nothing for init or noise to explain' }),
    rerun: DECOMPOSE_RERUN,
  };
}

export type DecompositionFields = ReturnType<typeof decompositionFields>;

/**
 * What a shard of rows writes in place of those fields: its rows of the matrix and what `merge`
 * needs to finish the job (the shares need every row, so a shard computes none of them).
 */
export function decompositionShardFields(rows: OutcomeMatrix, totalInits: number, resamples: number) {
  return {
    inits: totalInits,
    noises: rows.noises,
    outcomes: outcomeRows(rows.outcomes, rows.inits, rows.noises),
    resamples,
    rerun: DECOMPOSE_RERUN,
  };
}

/** The fields a shard adds to the run's head, which `merge` replaces with decompositionFields. */
export const DECOMPOSE_SHARD_FIELDS = ['inits', 'noises', 'outcomes', 'resamples', 'rerun'] as const;
