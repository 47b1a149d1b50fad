import { list, RECORD_CURVES_MAX } from './results';
import { quantiles } from './stats';
import { RECORD_QUANTILES } from './trainingRecord';

/**
 * The parts of a train result that summarise its particles beyond the outcome counts — the
 * recorded curves' quantiles (`record`; train's extras, such as `fourier`, merge themselves: instruments/trainExtras.ts) — rebuilt for merged
 * shards from the particles themselves, as one run would have written them.
 */
type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What of `record` describes the run, not the shard's particles: shards of one run agree on it. */
export function recordSettings(record: unknown): unknown {
  if (!isObject(record)) return record;
  const { every, steps, reachedAt } = record;
  return { every, steps, reachedAt };
}

type Curves = { loss: (number | null)[]; acc: (number | null)[] };
interface RecordedParticle {
  record?: { train: Curves; probes: Record<string, Curves> };
  [k: string]: unknown;
}

/**
 * The merged `record` and the particles as one run writes them: the quantiles recomputed from
 * every particle's curves, which a run of more than RECORD_CURVES_MAX particles then leaves out.
 * Where a shard wrote no curves (it had more particles than that) the quantiles cannot be
 * recomputed, and the record says so instead.
 */
export function mergeRecord(first: Doc, particles: RecordedParticle[]): { record: Doc; particles: unknown[] } {
  const settings = recordSettings(first) as Doc;
  if (!particles.every((p) => isObject(p.record)))
    return {
      record: {
        ...settings,
        curves: 'none',
        note: `the quantiles cannot be merged: a shard of more than ${RECORD_CURVES_MAX} particles wrote only its own; record with shards of up to ${RECORD_CURVES_MAX}`,
      },
      particles,
    };
  const steps = (settings.steps as number[]).length;
  const of = (pick: (p: RecordedParticle) => Curves | undefined) => {
    const column = (metric: 'loss' | 'acc') =>
      Array.from({ length: steps }, (_, t) =>
        list(
          quantiles(
            particles.map((p) => pick(p)?.[metric][t] ?? NaN),
            RECORD_QUANTILES,
          ),
        ),
      );
    return { loss: column('loss'), acc: column('acc') };
  };
  const probes = Object.keys(particles[0]?.record?.probes ?? {});
  const curves = particles.length <= RECORD_CURVES_MAX;
  return {
    record: {
      ...settings,
      curves: curves ? 'per particle' : 'quantiles only',
      quantiles: {
        q: [...RECORD_QUANTILES],
        train: of((p) => p.record?.train),
        probes: Object.fromEntries(probes.map((n) => [n, of((p) => p.record?.probes[n])])),
      },
    },
    particles: curves ? particles : particles.map(({ record: _, ...rest }) => rest),
  };
}
