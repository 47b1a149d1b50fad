import type { Doc } from '../../mergeKind';
import type { Instrument } from '../instrument';
import { HYPERMAP_MERGE } from './mergeHypermap';

/** A merged hyper map in words: its size, its shards, the classes' totals. */
function mergedMapSummary(map: Doc): string {
  const totals = map.totals as Record<string, number>;
  const shards = map.shards as unknown[];
  return [
    `hypermap ${String(map.res)} × ${String(map.res)} cells × ${String(map.perCell)} merged from ${shards.length} shard${shards.length === 1 ? '' : 's'} · ${Number(map.seconds).toFixed(1)} s (the shards' seconds, summed)`,
    ...Object.entries(totals).map(([c, n]) => `  ${c.padEnd(12)} ${String(n).padStart(8)}`),
  ].join('\n');
}

/** hypermap, as merge and the registry see it: its blocks of cells merge into one map. */
export const HYPERMAP: Instrument = {
  name: 'hypermap',
  kind: 'hypermap',
  merge: HYPERMAP_MERGE,
  mergedSummary: { whole: mergedMapSummary },
};
