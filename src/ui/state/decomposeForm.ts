import { DECOMPOSE_FIELDS, tooManyCells } from '../../core/instruments/decompose/decomposeRun';
import { parseNumber } from '../../core/config';
import { isUserError } from '../../core/errors';
import type { DecomposeRequest } from '../../worker/protocol';

/**
 * The "Decompose" fields, as typed; an absent one takes its default. 32 × 32 = 1024 particles: the
 * thneeb preset at its default 1000 steps took 3.8 s on a CPU's WebGPU (SwiftShader, a shared
 * 2-core machine), and gives the init share's interval a width of about 0.17.
 */
export interface DecomposeFormValues {
  inits?: string;
  noises?: string;
}
export type DecomposeKey = keyof DecomposeFormValues;

export const DECOMPOSE_FORM: Record<DecomposeKey, { label: string; hint: string; initial: string }> = {
  inits: { label: 'init seeds (rows)', hint: 'rows: the inits of particles 0 … I−1 of the init seed', initial: '32' },
  noises: { label: 'noise seeds (columns)', hint: 'columns: minibatch streams 0 … J−1 of the noise seed', initial: '32' },
};

export interface ParsedDecomposeForm {
  readonly request?: DecomposeRequest;
  readonly errors: Partial<Record<DecomposeKey, string>>;
}

/** Checks the fields with core's parsers and the decompose command's ranges; the error of a matrix too big goes beside the columns. */
export function parseDecomposeForm(values: DecomposeFormValues): ParsedDecomposeForm {
  const errors: ParsedDecomposeForm['errors'] = {};
  const read = (k: DecomposeKey): number | undefined => {
    try {
      return parseNumber({ ...DECOMPOSE_FIELDS[k], label: DECOMPOSE_FORM[k].label }, values[k] ?? DECOMPOSE_FORM[k].initial, 'label');
    } catch (e) {
      if (!isUserError(e)) throw e;
      errors[k] = e.message;
      return undefined;
    }
  };
  const inits = read('inits');
  const noises = read('noises');
  if (inits === undefined || noises === undefined) return { errors };
  const tooMany = tooManyCells(inits, noises, 'label');
  if (tooMany) return { errors: { noises: tooMany } };
  return { request: { inits, noises }, errors };
}
