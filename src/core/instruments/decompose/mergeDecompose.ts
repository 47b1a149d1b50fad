import { DECOMPOSE_SHARD_FIELDS, decompositionFields } from './decomposeJson';
import { describeValue } from '../../describe';
import { UserError } from '../../errors';
import type { Doc, KindMerge, Shard } from '../../mergeKind';
import { shardWork } from '../../mergeWork';
import { summariseOutcomes } from '../../results';

/**
 * `decompose --shard i/n` shards are blocks of rows (inits) of the I × J matrix. Merged, the rows
 * make the whole matrix, and everything that needs all of it (the shares, their bootstrap
 * intervals seeded by the run's init seed, purity, counts) is computed from it by the function one
 * run uses: the merged file is byte for byte the file one run writes, but for the shards' work.
 */

const fail = (message: string): never => {
  throw new UserError(`merge: ${message}`);
};
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** The shard's rows: as many as its slice, each a list of `noises` class indices; its counts theirs. */
function checkRows(s: Shard): void {
  const { name, doc, shard } = s;
  if (doc.inits !== shard.total)
    fail(`${name}: "inits" is ${describeValue(doc.inits)} but its "shard" splits ${shard.total} inits: they must be the same`);
  const classes = doc.classes;
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string'))
    fail(`${name}: "classes" must be a list of class names, got ${describeValue(classes)}`);
  const names = classes as string[];
  if (!isInt(doc.noises, 1, Number.MAX_SAFE_INTEGER))
    fail(`${name}: "noises" must be a positive integer, got ${describeValue(doc.noises)}`);
  const noises = doc.noises as number;
  const rows = doc.outcomes;
  if (!Array.isArray(rows) || rows.length !== shard.size)
    fail(`${name}: "outcomes" must hold the shard's ${shard.size} rows (inits), got ${describeValue(rows)}`);
  const counts = new Array<number>(names.length).fill(0);
  (rows as unknown[]).forEach((row, k) => {
    if (!Array.isArray(row) || row.length !== noises || !row.every((o) => isInt(o, 0, names.length - 1)))
      fail(
        `${name}: outcomes[${k}] (init ${shard.first + k}) must be ${noises} class indices from 0 to ${names.length - 1}, got ${describeValue(row)}`,
      );
    for (const o of row as number[]) counts[o]++;
  });
  // the file's own counts must be those of its cells: a hand-edited file is refused, not averaged in
  const said = isObject(doc.counts) ? doc.counts : {};
  names.forEach((c, i) => {
    if (said[c] !== counts[i]) fail(`${name}: counts.${c} is ${describeValue(said[c])} but ${counts[i]} of its cells are ${c}`);
  });
  if (!isInt(doc.resamples, 10, 100000))
    fail(`${name}: "resamples" must be an integer from 10 to 100000, got ${describeValue(doc.resamples)}`);
  const config = doc.config;
  if (!isObject(config) || !isInt(config.seed, 0, 2 ** 32 - 1))
    fail(`${name}: config.seed (the bootstrap's seed) must be an integer, got ${describeValue(isObject(config) ? config.seed : config)}`);
}

function mergeDecompose(shards: readonly Shard[]): Doc {
  const first = shards[0].doc;
  const names = first.classes as string[];
  const noises = first.noises as number;
  const inits = shards[0].shard.total;
  const outcomes = new Uint8Array(inits * noises);
  for (const s of shards) (s.doc.outcomes as number[][]).forEach((row, k) => outcomes.set(row, (s.shard.first + k) * noises));
  const head = Object.fromEntries(
    Object.entries(first).filter(([k]) => k !== 'shard' && !(DECOMPOSE_SHARD_FIELDS as readonly string[]).includes(k)),
  );
  const { shards: work, ...where } = shardWork(shards);
  const seed = (first.config as Doc).seed as number;
  return {
    ...head,
    ...where,
    ...summariseOutcomes(names, outcomes),
    ...decompositionFields({ outcomes, inits, noises, classes: names.length }, first.resamples as number, seed),
    shards: work,
  };
}

export const DECOMPOSE_MERGE: KindMerge = {
  unit: 'inits',
  item: 'init',
  command: 'decompose',
  // a shard's config is the whole run's: only its rows, and their counts, are its own
  perShard: ['counts', 'fractions', 'outcomes'],
  sliceConfig: [],
  checkSlice: checkRows,
  merge: mergeDecompose,
};
