import { TRAIN_SET } from '../../../core/instruments/barriers/barrierAnalysis';

/** What a barrier matrix or line measured: on which set, and whether each pair was aligned first. */
export interface LineBasis {
  readonly set: string;
  readonly aligned: boolean;
}

/** The loss measured along the lines, for axes and legends: "train loss" or "colour loss". */
export const lossName = (set: string): string => `${set} loss`;

/** The set in words: "the training set" or "the probe set colour". */
export const setWords = (set: string): string => (set === TRAIN_SET ? 'the training set' : `the probe set ${set}`);

/**
 * The basis of a result in one phrase, for its header, so a picture cannot be read as another:
 * "loss on the probe set colour, hidden units aligned (weight matching)".
 */
export const basisWords = (b: LineBasis): string =>
  `loss on ${setWords(b.set)}, ${b.aligned ? 'hidden units aligned (weight matching)' : 'hidden units not aligned'}`;
