import { quote } from './describe';
import { UserError } from './errors';

/**
 * Splitting a sweep into shards that compose exactly. Shard i of n (counted from 0) of `total`
 * items is the half-open range [⌊i·total/n⌋, ⌊(i+1)·total/n⌋): the n ranges tile 0 … total − 1
 * with no gap and no overlap, and their sizes differ by at most one (⌊total/n⌋ or ⌈total/n⌉,
 * the larger ones spread evenly rather than bunched at one end). Items are whatever a command
 * splits: `train`'s particles today; a decomposition's cells or a hyper map's blocks later.
 */
export interface ShardSpec {
  /** i, counted from 0 */
  readonly index: number;
  /** n */
  readonly count: number;
}

export interface ShardRange {
  /** global index of the shard's first item */
  readonly first: number;
  /** how many items the shard holds */
  readonly size: number;
}

/** What a shard's results record, so that `merge` can check that the shards compose. */
export interface ShardRecord extends ShardSpec, ShardRange {
  /** items in the whole sweep */
  readonly total: number;
}

/**
 * Shard `index` of `count` of `total` items (see the rule above). Plain floating point is exact
 * here: k·total is an integer below 2^53, and a quotient of such integers is never within
 * rounding of the next integer up. Hence the bound total·count ≤ 2^53 (particles: 2^20 · 2^20).
 */
export function shardRange(total: number, index: number, count: number): ShardRange {
  if (
    !Number.isInteger(total) ||
    total < 0 ||
    !Number.isInteger(count) ||
    count < 1 ||
    !Number.isInteger(index) ||
    index < 0 ||
    index >= count ||
    total * count > 2 ** 53
  )
    throw new RangeError(`no shard ${index} of ${count} of ${total} items`);
  const at = (k: number) => Math.floor((k * total) / count);
  const first = at(index);
  return { first, size: at(index + 1) - first };
}

/** The record a shard's results carry. */
export function shardRecord(total: number, spec: ShardSpec): ShardRecord {
  return { index: spec.index, count: spec.count, ...shardRange(total, spec.index, spec.count), total };
}

const SHARD = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;

/**
 * "i/n" as typed after `flag`, checked against the `total` items it splits (`what` names them,
 * e.g. "the run's 30 particles (--particles)"): integers, 0 ≤ i < n ≤ total, so no shard is empty.
 */
export function parseShard(flag: string, text: string, total: number, what: string): ShardSpec {
  const m = SHARD.exec(text);
  if (!m) throw new UserError(`${flag} must be i/n, shard i of n counted from 0 (e.g. 0/4 … 3/4), got ${quote(text)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new UserError(`${flag} ${text.trim()}: n must be at least 1`);
  if (index >= count)
    throw new UserError(
      `${flag} ${text.trim()}: i must be below n; shards are counted from 0 (${count === 1 ? '0/1' : `0/${count} … ${count - 1}/${count}`})`,
    );
  if (count > total) throw new UserError(`${flag} ${text.trim()}: n must be at most ${what}, or some shards would be empty`);
  return { index, count };
}

/** "5–9", or "5" for a single item */
export const rangeText = (first: number, end: number): string => (end - first === 1 ? `${first}` : `${first}–${end - 1}`);

export interface Piece extends ShardRange {
  /** how to name it in a message, e.g. its file */
  readonly name: string;
}

/**
 * Whether `pieces` cover 0 … total − 1 exactly once. The first overlap (two pieces and the items
 * both hold), else every gap (as half-open ranges), else nothing.
 */
export function coverage(
  pieces: readonly Piece[],
  total: number,
): { overlap?: { a: Piece; b: Piece; first: number; end: number }; missing: [number, number][] } {
  const sorted = [...pieces].sort((x, y) => x.first - y.first || x.size - y.size);
  const missing: [number, number][] = [];
  let reached = 0;
  let last: Piece | undefined;
  for (const p of sorted) {
    if (last && p.first < reached)
      return { overlap: { a: last, b: p, first: p.first, end: Math.min(reached, p.first + p.size) }, missing: [] };
    if (p.first > reached) missing.push([reached, p.first]);
    reached = p.first + p.size;
    last = p;
  }
  if (reached < total) missing.push([reached, total]);
  return { missing };
}
