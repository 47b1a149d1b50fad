import { hypermapDataProblem } from './hypermapData';
import { describeValue } from '../../describe';
import { UserError } from '../../errors';
import type { Doc, KindMerge, Shard } from '../../mergeKind';
import { shardWork } from '../../mergeWork';
import { wilson } from '../../stats';
import { hypermapSessionCount, type HypermapSettings } from './hypermapPlan';
import type { RunConfig } from '../../config';

/**
 * `hypermap --shard i/n` shards are blocks of the map's res² cells (row-major, x fastest), and a
 * shard's config is the whole run's. Merged: the per-cell lists concatenated in cell order, the
 * totals and their Wilson intervals recomputed, and the engine sessions one run of the whole map
 * trains in, as one run writes them.
 */

const fail = (message: string): never => {
  throw new UserError(`merge: ${message}`);
};
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The shard splits the map's res² cells, and its cells and per-cell lists hold its block. */
function checkBlock(s: Shard): void {
  const { name, doc, shard } = s;
  // every field merge and the picture read, per cell: counts that sum to the cell's particles
  if (!Number.isInteger(doc.perCell)) fail(`${name}: "perCell" must be a positive integer, got ${describeValue(doc.perCell)}`);
  const problem = hypermapDataProblem(doc, shard.size);
  if (problem) fail(`${name}: ${problem}`);
  if (!Number.isInteger(doc.sessions) || (doc.sessions as number) < 0)
    fail(`${name}: "sessions" must be an integer ≥ 0, got ${describeValue(doc.sessions)}`);
  const res = doc.res as number;
  if (shard.total !== res * res)
    fail(`${name}: its "shard" record ${describeValue(doc.shard)} is not block ${shard.index}/${shard.count} of the map's ${res}² cells`);
  const cells = doc.cells;
  const lists = ['counts', 'meanLoss', ...('meanScore' in doc ? ['meanScore'] : [])];
  if (
    !isObject(cells) ||
    cells.first !== shard.first ||
    cells.count !== shard.size ||
    lists.some((k) => !Array.isArray(doc[k]) || (doc[k] as unknown[]).length !== shard.size)
  )
    fail(`${name}: its cells and per-cell lists must hold its block's ${shard.size} cells from cell ${shard.first}`);
}

function mergeHypermap(shards: readonly Shard[]): Doc {
  const first = shards[0].doc;
  const total = shards[0].shard.total;
  const classes = first.classes as string[];
  const counts = shards.flatMap((s) => s.doc.counts as number[][]);
  const totals = classes.map((_, c) => counts.reduce((sum, cell) => sum + cell[c], 0));
  const particles = total * (first.perCell as number);
  const { shards: work, ...where } = shardWork(shards);
  const rest = { ...first };
  delete rest.shard;
  return {
    ...rest,
    ...where,
    totals: Object.fromEntries(classes.map((c, i) => [c, totals[i]])),
    fractions: Object.fromEntries(classes.map((c, i) => [c, wilson(totals[i], particles)])),
    cells: { first: 0, count: total },
    counts,
    meanLoss: shards.flatMap((s) => s.doc.meanLoss as unknown[]),
    ...('meanScore' in first ? { meanScore: shards.flatMap((s) => s.doc.meanScore as unknown[]) } : {}),
    // one run's count, not the shards' sum: a shard's block can split a session in two
    sessions: hypermapSessionCount(
      first.config as RunConfig,
      first as unknown as HypermapSettings,
      first.xs as number[],
      first.ys as number[],
    ),
    shards: work,
  };
}

export const HYPERMAP_MERGE: KindMerge = {
  unit: 'cells',
  item: 'cell',
  run: 'map',
  command: 'hypermap',
  // a shard's config is the whole map's: only its block's lists, and their totals, are its own
  perShard: ['counts', 'totals', 'fractions', 'cells', 'meanLoss', 'meanScore', 'sessions'],
  sliceConfig: [],
  checkSlice: checkBlock,
  merge: mergeHypermap,
};
