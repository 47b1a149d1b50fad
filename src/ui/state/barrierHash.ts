import { parseBarrierSet, TRAIN_SET } from '../../core/instruments/barriers/barrierAnalysis';
import { isUserError } from '../../core/errors';
import type { LineChoice } from './barrierForm';

/** The link's keys for the barrier view's "Align hidden units" and "Loss on" (the CLI's --align and --set). */
export const ALIGN_KEY = 'barriers.align';
export const SET_KEY = 'barriers.set';

/** Writes the choice into a link's parameters, each left out at its default so older links read the same. */
export function writeLineChoice(params: URLSearchParams, line: LineChoice): void {
  if (line.align) params.set(ALIGN_KEY, '1');
  if (line.set !== TRAIN_SET) params.set(SET_KEY, line.set);
}

/**
 * Reads the choice from a link: `barriers.align` is 1 or 0, `barriers.set` a set's name (checked
 * against the task's sets once they are known: checkLineSet). A bad value is named in `problems`
 * and its default used. `keys` are the parameters read, so the link's reader does not call them unknown.
 */
export function readLineChoice(params: URLSearchParams, problems: string[]): { choice?: LineChoice; keys: ReadonlySet<string> } {
  const keys = new Set([ALIGN_KEY, SET_KEY]);
  const alignText = params.get(ALIGN_KEY);
  const setText = params.get(SET_KEY);
  if (alignText === null && setText === null) return { keys };
  const align = alignText === '1';
  if (alignText !== null && alignText !== '1' && alignText !== '0') {
    problems.push(`ignored ${ALIGN_KEY}="${alignText.slice(0, 40)}" (1 aligns the barrier view's hidden units, 0 does not): not aligned`);
  }
  const set = setText?.trim() || TRAIN_SET;
  if (setText !== null && setText.trim() === '')
    problems.push(`ignored an empty ${SET_KEY} (train or a probe set's name): measuring on train`);
  return { choice: { align, set }, keys };
}

/**
 * The link's set checked against the probe sets of the task it opens, with core's parser (the
 * CLI's --set): an unknown name is named in one line and the training set used instead. Unchecked
 * while the task's sets are not known (a task whose images have not arrived).
 */
export function checkLineSet(line: LineChoice, probes: readonly string[] | undefined): { line: LineChoice; problem?: string } {
  if (!probes) return { line };
  try {
    parseBarrierSet(line.set, probes, 'label');
    return { line };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { line: { ...line, set: TRAIN_SET }, problem: `ignored ${SET_KEY}: ${e.message}; measuring on train` };
  }
}
