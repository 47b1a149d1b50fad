import type { Doc } from '../../mergeKind';
import type { Instrument } from '../instrument';
import type { DecompositionFields } from './decomposeJson';
import { decompositionLines } from './decomposeSummary';
import { DECOMPOSE_MERGE } from './mergeDecompose';

const fields = (merged: Doc) => merged as unknown as DecompositionFields & { config: { particles: number } };

/** decompose, as merge and the registry see it: its rows of inits merge, and the shares are told. */
export const DECOMPOSE: Instrument = {
  name: 'decompose',
  kind: 'decompose',
  merge: DECOMPOSE_MERGE,
  mergedSummary: {
    trained: (merged) => {
      const d = fields(merged);
      return `${d.inits} inits × ${d.noises} noise streams = ${d.config.particles} particles`;
    },
    lines: (merged) => decompositionLines(fields(merged)),
  },
};
