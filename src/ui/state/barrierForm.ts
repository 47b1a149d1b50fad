import {
  BARRIER_FIELDS,
  DEFAULT_BARRIER_SETTINGS,
  MAX_BARRIER_PARTICLES,
  parseBarrierSet,
  TRAIN_SET,
} from '../../core/instruments/barriers/barrierAnalysis';
import { parseNumber, type NumberSpec } from '../../core/config';
import { isUserError } from '../../core/errors';
import type { BarrierRequest } from '../../worker/protocol';

/** Particles a barrier matrix takes unless the user asks for more: 8128 lines, seconds on a laptop. */
export const DEFAULT_BARRIER_PARTICLES = 128;

/** The "Measure barriers" fields, as typed; an absent one takes its default. */
export interface BarrierFormValues {
  particles?: string;
  points?: string;
  /** empty: the data chooses */
  clusters?: string;
  minBarrier?: string;
}
export type BarrierKey = keyof BarrierFormValues;

export interface BarrierField {
  readonly label: string;
  readonly hint: string;
  /** the text shown when the user has typed nothing, for an ensemble of `particles` */
  readonly initial: (particles: number) => string;
}

/** Labels and defaults, in the order the form shows them. */
export const BARRIER_FORM: Record<BarrierKey, BarrierField> = {
  particles: {
    label: 'particles to measure',
    hint: `the first M particles of the ensemble (M(M−1)/2 lines), at most ${MAX_BARRIER_PARTICLES}`,
    initial: (n) => String(Math.max(2, Math.min(DEFAULT_BARRIER_PARTICLES, n))),
  },
  points: {
    label: BARRIER_FIELDS.points.label,
    hint: 'evaluations along each line, both ends included',
    initial: () => String(DEFAULT_BARRIER_SETTINGS.points),
  },
  clusters: { label: BARRIER_FIELDS.clusters.label, hint: 'empty: chosen by the largest gap in the dendrogram', initial: () => '' },
  minBarrier: {
    label: `${BARRIER_FIELDS.minBarrier.label} (nats)`,
    hint: 'a gap below this barrier never splits clusters',
    initial: () => String(DEFAULT_BARRIER_SETTINGS.minBarrier),
  },
};

/** The barrier view's two choices beside its number fields: `barriers --align` and `--set`. */
export interface LineChoice {
  /** match each pair's hidden units before drawing its line */
  readonly align: boolean;
  /** "train" or a probe set's name */
  readonly set: string;
}

export const DEFAULT_LINE_CHOICE: LineChoice = { align: false, set: TRAIN_SET };

export interface ParsedBarrierForm {
  readonly request?: BarrierRequest;
  readonly errors: Partial<Record<BarrierKey | 'set', string>>;
}

/**
 * Checks the fields with core's parsers and ranges (the barriers command's), for an ensemble of
 * `ensemble` particles: M from 2 to the smaller of that and MAX_BARRIER_PARTICLES, clusters up to M;
 * the set among `probes`, the names of the probe sets of the run's task (unchecked while no run has named them).
 */
export function parseBarrierForm(
  values: BarrierFormValues,
  ensemble: number,
  line: LineChoice = DEFAULT_LINE_CHOICE,
  probes?: readonly string[],
): ParsedBarrierForm {
  const errors: ParsedBarrierForm['errors'] = {};
  const text = (k: BarrierKey) => values[k] ?? BARRIER_FORM[k].initial(ensemble);
  const read = (k: BarrierKey, spec: NumberSpec): number | undefined => {
    try {
      return parseNumber({ ...spec, label: BARRIER_FORM[k].label }, text(k), 'label');
    } catch (e) {
      if (!isUserError(e)) throw e;
      errors[k] = e.message;
      return undefined;
    }
  };
  const top = Math.max(2, Math.min(ensemble, MAX_BARRIER_PARTICLES));
  const particles = read('particles', { flag: '--particles', label: '', integer: true, min: 2, max: top });
  const points = read('points', BARRIER_FIELDS.points);
  const minBarrier = read('minBarrier', BARRIER_FIELDS.minBarrier);
  const clusters = text('clusters').trim() === '' ? undefined : read('clusters', { ...BARRIER_FIELDS.clusters, max: particles ?? top });
  if (probes) {
    try {
      parseBarrierSet(line.set, probes, 'label');
    } catch (e) {
      if (!isUserError(e)) throw e;
      errors.set = e.message;
    }
  }
  if (particles === undefined || points === undefined || minBarrier === undefined || Object.keys(errors).length > 0) return { errors };
  const request = { particles, points, minBarrier, ...(clusters === undefined ? {} : { clusters }), align: line.align, set: line.set };
  return { request, errors };
}
