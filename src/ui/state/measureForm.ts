import { LLC_FIELDS, parseLlcSettings } from '../../core/instruments/llc/llcAnalysis';
import { parseWidthSettings, WIDTH_FIELDS } from '../../core/instruments/width/width';
import { parseNumber } from '../../core/config';
import { isUserError } from '../../core/errors';
import type { GeometryRequest } from '../../worker/protocol';

/**
 * The sandbox's settings for "Measure sharpness, width, LLC": lighter than the command line's
 * (16 directions; 4 chains × (500 + 2000) steps), so that the first particles of a default
 * ensemble are measured in a minute or less on a software GPU. The LLC's chains are the slow part.
 */
export const SANDBOX_MEASURES = { particles: 128, directions: 8, chains: 2, burnin: 100, draws: 400 } as const;

/** The fields as typed; an absent one takes its default. */
export interface MeasureFormValues {
  particles?: string;
  directions?: string;
  chains?: string;
  draws?: string;
  skipLlc?: boolean;
}
export type MeasureKey = 'particles' | 'directions' | 'chains' | 'draws';

export interface MeasureField {
  readonly label: string;
  readonly hint: string;
  /** the text shown when the user has typed nothing, for an ensemble of `particles` */
  readonly initial: (particles: number) => string;
  /** an LLC setting: not read when the LLC is skipped */
  readonly llc?: boolean;
}

/** Labels (core's, so errors name the field as the form does) and defaults, in the order the form shows them. */
export const MEASURE_FORM: Record<MeasureKey, MeasureField> = {
  particles: {
    label: 'particles to measure',
    hint: 'the first M particles of the ensemble',
    initial: (n) => String(Math.max(1, Math.min(SANDBOX_MEASURES.particles, n))),
  },
  directions: {
    label: WIDTH_FIELDS.directions.label,
    hint: 'random directions per particle for r50 (the command line takes 16)',
    initial: () => String(SANDBOX_MEASURES.directions),
  },
  chains: {
    label: LLC_FIELDS.chains.label,
    hint: 'SGLD chains per particle for the LLC (the command line takes 4)',
    initial: () => String(SANDBOX_MEASURES.chains),
    llc: true,
  },
  draws: {
    label: LLC_FIELDS.draws.label,
    hint: `SGLD draws per chain, after ${SANDBOX_MEASURES.burnin} burn-in steps (the command line takes 2000 after 500)`,
    initial: () => String(SANDBOX_MEASURES.draws),
    llc: true,
  },
};

export interface ParsedMeasureForm {
  readonly request?: GeometryRequest;
  readonly errors: Partial<Record<MeasureKey, string>>;
}

/** Checks each field with core's parser for it (the geometry command's ranges), for an ensemble of `ensemble` particles. */
export function parseMeasureForm(values: MeasureFormValues, ensemble: number): ParsedMeasureForm {
  const errors: ParsedMeasureForm['errors'] = {};
  const skipLlc = values.skipLlc === true;
  const text = (k: MeasureKey) => values[k] ?? MEASURE_FORM[k].initial(ensemble);
  const read = (k: MeasureKey, parse: (t: string) => number): number | undefined => {
    if (skipLlc && MEASURE_FORM[k].llc) return undefined;
    try {
      return parse(text(k));
    } catch (e) {
      if (!isUserError(e)) throw e;
      errors[k] = e.message;
      return undefined;
    }
  };
  const top = Math.max(1, ensemble);
  const particles = read('particles', (t) =>
    parseNumber({ flag: '--particles', label: MEASURE_FORM.particles.label, integer: true, min: 1, max: top }, t, 'label'),
  );
  const directions = read('directions', (t) => parseWidthSettings({ directions: t }, 'label').directions);
  // the training set's size matters only for the SGLD batch, which the form does not offer
  const chains = read('chains', (t) => parseLlcSettings({ chains: t }, 1, 'label').chains);
  const draws = read('draws', (t) => parseLlcSettings({ draws: t }, 1, 'label').draws);
  if (Object.keys(errors).length > 0 || particles === undefined || directions === undefined) return { errors };
  const { burnin } = SANDBOX_MEASURES;
  return {
    request: { particles, directions, chains: chains ?? SANDBOX_MEASURES.chains, burnin, draws: draws ?? SANDBOX_MEASURES.draws, skipLlc },
    errors,
  };
}
