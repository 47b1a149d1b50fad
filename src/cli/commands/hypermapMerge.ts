import type { Command } from 'commander';
import { parseChoice } from '../../core/config';
import { describeValue } from '../../core/describe';
import { UserError } from '../../core/errors';
import { colouringProblem } from '../../core/instruments/hypermap/hypermapData';
import {
  HYPERMAP_COLOURINGS,
  hypermapPicture,
  type HypermapColouring,
  type HypermapData,
} from '../../core/instruments/hypermap/hypermapPicture';
import { readInset } from '../files';
import { emitWithPicture } from '../outputs';
import type { FlagValues } from '../resolve';
import type { HypermapFlags } from './hypermap';
import type { InstrumentMergeFlags } from './instrumentMergeFlags';

type PictureFlags = FlagValues & Pick<HypermapFlags, 'png' | 'colour' | 'inset'>;

const HELP = `
Hyper maps: hypermap --shard i/n trains block i of n of the map's res² cells (the same rule);
merge writes the whole map (per-cell lists in cell order, totals and intervals recomputed;
everything but the shards' own fields must match) and --png draws it (--colour outcome, loss
or score; --inset ZOOM.json draws a zoomed map inside it, as hypermap's --inset).
`;

/** `merge --png/--colour/--inset`: the merged hyper map drawn as hypermap draws a whole one. */
export const HYPERMAP_MERGE_FLAGS: InstrumentMergeFlags = {
  help: HELP,
  options: (cmd: Command) =>
    cmd
      .option('--png <file.png>', 'hypermap shards: draw the merged map')
      .option('--colour <by>', `hypermap shards: what the PNG shows, ${HYPERMAP_COLOURINGS.join(', ')} (default outcome)`)
      .option('--inset <zoom.json>', 'hypermap shards: draw a zoomed map (a hypermap --out of a box inside this one) as an inset'),
  outputs: (raw: PictureFlags) => (raw.png !== undefined ? [{ flag: '--png', path: raw.png }] : []),
  inputs: (raw: PictureFlags) => (raw.inset !== undefined ? [{ flag: '--inset', path: raw.inset }] : []),
  prepare(raw: PictureFlags, shards) {
    const colouring: HypermapColouring = raw.colour === undefined ? 'outcome' : parseChoice('--colour', HYPERMAP_COLOURINGS, raw.colour);
    return (merged, emit) => {
      if (merged.kind !== 'hypermap' && (raw.png !== undefined || raw.colour !== undefined))
        throw new UserError('--png and --colour apply to hypermap shards');
      const map = merged as unknown as HypermapData;
      const colourProblem = merged.kind === 'hypermap' && raw.png !== undefined ? colouringProblem(colouring, merged.outcome) : undefined;
      if (colourProblem) throw new UserError(`${colourProblem}: ${shards[0]} is a map of ${describeValue(merged.outcome)}`);
      // (a result of another kind with --inset alone is refused here: the inset needs --png)
      const inset = readInset(raw, map);
      emitWithPicture(emit, raw, () => hypermapPicture(map, colouring, undefined, inset));
    };
  },
};
