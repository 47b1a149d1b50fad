import type { PriorComparison } from './prior';

const num = (x: number) => (Number.isFinite(x) ? x : null);

/** The comparison's JSON fields. */
export function priorFields(c: PriorComparison, rows: number, errorOn: string | undefined) {
  return {
    samples: c.samples,
    accepted: c.accepted,
    acceptance: c.acceptance,
    sgd: { particles: c.sgdParticles, fitted: c.sgdFitted, fit: c.sgdFit },
    functions: c.functions.map((f) => ({ ...f, generalisationError: num(f.generalisationError) })),
    sgdOnPriorFunctions: c.sgdOnPriorFunctions,
    functionCounts: c.functionCounts,
    correlation: c.correlation,
    meanGeneralisationError: c.meanError,
    bitsRows: rows,
    bitsOrder:
      'one bit per row, train rows then each probe in order, 1 where the logit is > 0; hex digit k holds rows 4k..4k+3, the lowest row in its highest bit',
    generalisationErrorOn: errorOn ?? null,
    ...(c.problems.length ? { problems: c.problems } : {}),
  };
}

/** What `prior` writes of the comparison (and the report reads). */
export type PriorFields = ReturnType<typeof priorFields>;
