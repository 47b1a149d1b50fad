import type { KindMerge } from '../mergeKind';
import type { OutcomeRule } from '../outcomeRule';
import { DECOMPOSE } from './decompose/instrument';
import { GROKKING_FOURIER } from './grokking-fourier/instrument';
import { HYPERMAP } from './hypermap/instrument';
import type { Instrument, MergedSummary } from './instrument';
import { TRAINABILITY } from './trainability/trainability';
import type { TrainExtra } from './trainExtra';

/**
 * Every instrument, as core's generic code sees it (./instrument.ts): merge, train's extras and
 * train's outcome rules read this list and name no instrument. One line an instrument, in the order
 * their result kinds are listed in messages; an instrument with more than a kind keeps its
 * descriptor in its folder (decompose/instrument.ts).
 */
export const INSTRUMENTS: readonly Instrument[] = [
  { name: 'barriers', kind: 'barriers' },
  { name: 'width', kind: 'width' },
  { name: 'sharpness', kind: 'sharpness' },
  { name: 'llc', kind: 'llc' },
  { name: 'geometry', kind: 'geometry' },
  DECOMPOSE,
  HYPERMAP,
  { name: 'prior', kind: 'prior' },
  { name: 'grokking-fourier', trainExtra: GROKKING_FOURIER },
  { name: 'trainability', outcomeRule: TRAINABILITY },
];

/** The result kinds the instruments' commands write. */
export const INSTRUMENT_KINDS: readonly string[] = INSTRUMENTS.flatMap((i) => (i.kind ? [i.kind] : []));

/** The instruments' mergers, by result kind. */
export const INSTRUMENT_MERGERS: Readonly<Record<string, KindMerge>> = Object.fromEntries(
  INSTRUMENTS.flatMap((i) => (i.kind && i.merge ? [[i.kind, i.merge]] : [])),
);

/** How merge tells a merged result of `kind`, where the instrument says; undefined for train's wording. */
export const mergedSummaryOf = (kind: unknown): MergedSummary | undefined => INSTRUMENTS.find((i) => i.kind === kind)?.mergedSummary;

/** Train's extras, in the order their keys are written. */
export const TRAIN_EXTRAS: readonly TrainExtra[] = INSTRUMENTS.flatMap((i) => (i.trainExtra ? [i.trainExtra] : []));

/** The outcome rules `train --outcome` can name, besides the task's classes. */
export const OUTCOME_RULES: readonly OutcomeRule[] = INSTRUMENTS.flatMap((i) => (i.outcomeRule ? [i.outcomeRule] : []));
