import { describeValue } from '../describe';
import { UserError } from '../errors';
import type { ResultFile } from '../merge';
import { RESULT_VERSION } from '../results';
import { coverage, rangeText, shardRange, type ShardRecord } from '../shards';
import { wilson } from '../stats';

/**
 * Shards of one hyper map (`hypermap --shard i/n`: block i of n of the res² cells) combined into
 * the map one run would have written: the per-cell lists concatenated in cell order, the totals
 * and their Wilson intervals recomputed. Apart from train's merger (core/merge.ts) because its
 * slices are cells, not particles, and its config is the whole run's in every shard.
 */

type Doc = Record<string, unknown>;
interface Block {
  readonly name: string;
  readonly doc: Doc;
  readonly shard: ShardRecord;
}

/** A shard's own fields: merged, not compared. */
const PER_SHARD = new Set([
  'shard',
  'engine',
  'device',
  'seconds',
  'counts',
  'totals',
  'fractions',
  'cells',
  'meanLoss',
  'meanScore',
  'sessions',
]);

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (message: string): never => {
  throw new UserError(`merge: ${message}`);
};

/** JSON with object keys sorted: equal values, whatever order their keys were written in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

/** The first field (a dotted path) where two documents differ, the per-shard fields aside, or undefined. */
function difference(a: unknown, b: unknown, path: string): string | undefined {
  if (canonical(a) === canonical(b)) return undefined;
  if (!isObject(a) || !isObject(b)) return path;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (path === '' && PER_SHARD.has(k)) continue;
    const d = difference(a[k], b[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}

function checkBlock(file: ResultFile): Block {
  const { name, doc } = file;
  if (!isObject(doc) || doc.kind !== 'hypermap')
    fail(
      `${name} is ${isObject(doc) && typeof doc.kind === 'string' ? `a ${doc.kind} result` : 'not a hypermap result'}, among hypermap shards: merge combines results of one kind`,
    );
  const d = doc as Doc;
  if (d.version !== RESULT_VERSION)
    fail(`${name} is a result of version ${describeValue(d.version)}; this basin-atlas reads version ${RESULT_VERSION}`);
  const s = d.shard;
  if (!isObject(s) || !['index', 'count', 'first', 'size', 'total'].every((k) => Number.isInteger(s[k])))
    fail(`${name} is not a shard: it has no "shard" record (make shards with hypermap --shard i/n)`);
  const r = s as unknown as ShardRecord;
  const res = d.res as number;
  const expected = r.total === res * res && r.index < r.count && r.count <= r.total ? shardRange(r.total, r.index, r.count) : undefined;
  if (!expected || expected.first !== r.first || expected.size !== r.size)
    fail(`${name}: its "shard" record ${describeValue(s)} is not block ${r.index}/${r.count} of the map's ${res}² cells`);
  const cells = d.cells;
  const lists = ['counts', 'meanLoss', ...('meanScore' in d ? ['meanScore'] : [])];
  if (
    !isObject(cells) ||
    cells.first !== r.first ||
    cells.count !== r.size ||
    lists.some((k) => !Array.isArray(d[k]) || (d[k] as unknown[]).length !== r.size)
  )
    fail(`${name}: its cells and per-cell lists must hold its block's ${r.size} cells from cell ${r.first}`);
  return { name, doc: d, shard: r };
}

const blockName = (b: Block) =>
  `${b.name} (shard ${b.shard.index}/${b.shard.count}, cells ${rangeText(b.shard.first, b.shard.first + b.shard.size)})`;

/** The whole map from its shards, or one UserError naming the files. */
export function mergeHypermaps(files: readonly ResultFile[]): Doc {
  const blocks = files.map(checkBlock).sort((a, b) => a.shard.first - b.shard.first);
  const [first] = blocks;
  for (const b of blocks.slice(1)) {
    const path = difference(first.doc, b.doc, '');
    if (path) fail(`${first.name} and ${b.name} are shards of different maps: ${path} differs`);
  }
  const total = first.shard.total;
  const { overlap, missing } = coverage(
    blocks.map((b) => ({ name: blockName(b), first: b.shard.first, size: b.shard.size })),
    total,
  );
  if (overlap) fail(`${overlap.a.name} and ${overlap.b.name} overlap in cells ${rangeText(overlap.first, overlap.end)}`);
  if (missing.length)
    fail(
      `cells ${missing.map(([f, e]) => rangeText(f, e)).join(', ')} of the map's ${total} are missing: given ${blocks.map(blockName).join(', ')}`,
    );
  const classes = first.doc.classes as string[];
  const counts = blocks.flatMap((b) => b.doc.counts as number[][]);
  const totals = classes.map((_, c) => counts.reduce((sum, cell) => sum + cell[c], 0));
  const particles = total * (first.doc.perCell as number);
  const engines = new Set(blocks.map((b) => String(b.doc.engine)));
  const rest = { ...first.doc };
  delete rest.shard;
  return {
    ...rest,
    engine: engines.size === 1 ? [...engines][0] : 'mixed',
    device: [...new Set(blocks.map((b) => String(b.doc.device)))].join(' + '),
    // compute time: the shards' sum, not a wall-clock time
    seconds: blocks.reduce((sum, b) => sum + Number(b.doc.seconds), 0),
    totals: Object.fromEntries(classes.map((c, i) => [c, totals[i]])),
    fractions: Object.fromEntries(classes.map((c, i) => [c, wilson(totals[i], particles)])),
    cells: { first: 0, count: total },
    counts,
    meanLoss: blocks.flatMap((b) => b.doc.meanLoss as unknown[]),
    ...('meanScore' in first.doc ? { meanScore: blocks.flatMap((b) => b.doc.meanScore as unknown[]) } : {}),
    sessions: blocks.reduce((sum, b) => sum + Number(b.doc.sessions), 0),
    shards: blocks.map((b) => ({ file: b.name, ...b.shard, engine: b.doc.engine, device: b.doc.device, seconds: b.doc.seconds })),
  };
}
