import { describeValue } from './describe';
import { UserError } from './errors';
import { particleProblem, probeNames, recordSettingsProblem } from './mergeParticles';
import { mergeRecord, recordSettings } from './mergeRecord';
import { mergeTrainExtras, TRAIN_EXTRAS } from './instruments/trainExtras';
import { RESULT_VERSION, summariseOutcomes } from './results';
import { coverage, rangeText, shardRange, type Piece, type ShardRecord } from './shards';
import { INSTRUMENT_KINDS, INSTRUMENT_MERGERS } from './instruments/registry';
import type { Doc, KindMerge, Merger, Shard } from './mergeKind';
import { shardWork } from './mergeWork';

/**
 * Shards of one run, made on different machines, combined into exactly the result one run would
 * have written. Pure: the command line reads and validates the files' text; this checks that they
 * are results, of one kind, of one configuration, and that their slices tile the run, then hands
 * them to the merger of their kind. An instrument's kind is supported by giving its registry entry a
 * merger (instruments/registry.ts).
 */
export interface ResultFile {
  /** how messages name it: the path as given */
  readonly name: string;
  /** the parsed JSON */
  readonly doc: unknown;
}

/** Every kind a basin-atlas result can have, mergeable or not. */
export const RESULT_KINDS: readonly string[] = ['train', 'grid', 'basin', ...INSTRUMENT_KINDS];

export type { Doc, KindMerge, Merger, Shard } from './mergeKind';

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
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

/** The first place two values differ, as a path (`config.lr`, `task.knobs.salience`), or undefined. */
function difference(a: unknown, b: unknown, path: string): string | undefined {
  if (canonical(a) === canonical(b)) return undefined;
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = difference(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return path;
}

const at = (v: unknown, path: string): unknown =>
  path
    .split('.')
    .slice(1)
    .reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), v);

/** A path as written, normalised: ./a/../b.json is b.json. */
function samePath(p: string): string {
  const out: string[] = [];
  for (const part of p.replace(/\\/g, '/').split('/')) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(part);
  }
  return out.join('/') || '.';
}

/** Fields that describe one shard's work rather than the run, whatever its kind: merged, not compared. */
const PER_SHARD_FIELDS = ['shard', 'engine', 'device', 'seconds'];

function checkResult(file: ResultFile): Doc {
  const { name, doc } = file;
  if (!isObject(doc) || typeof doc.kind !== 'string' || !('version' in doc))
    fail(`${name} is not a basin-atlas result (a JSON object with "kind" and "version")`);
  const d = doc as Doc;
  if (!RESULT_KINDS.includes(d.kind as string))
    fail(`${name} is not a basin-atlas result: its kind is ${describeValue(d.kind)}, expected one of ${RESULT_KINDS.join(', ')}`);
  if (d.version !== RESULT_VERSION)
    fail(`${name} is a result of version ${describeValue(d.version)}; this basin-atlas reads version ${RESULT_VERSION}`);
  return d;
}

function checkShard(name: string, doc: Doc, what: string, command: string): ShardRecord {
  const s = doc.shard;
  if (s === undefined) fail(`${name} is not a shard: it has no "shard" record (make shards with ${command} --shard i/n)`);
  if (!isObject(s) || !['index', 'count', 'first', 'size', 'total'].every((k) => isCount(s[k])))
    fail(`${name}: "shard" must hold the integers index, count, first, size and total, got ${describeValue(s)}`);
  const r = s as unknown as ShardRecord;
  if (r.count < 1 || r.index >= r.count || r.count > r.total)
    fail(`${name}: "shard" says shard ${r.index}/${r.count} of ${r.total} ${what}; it needs 0 ≤ index < count ≤ total`);
  const expected = shardRange(r.total, r.index, r.count);
  if (expected.first !== r.first || expected.size !== r.size)
    fail(
      `${name}: shard ${r.index}/${r.count} of ${r.total} ${what} is ${what} ${rangeText(expected.first, expected.first + expected.size)}, but its "shard" says ${rangeText(r.first, r.first + r.size)}`,
    );
  return r;
}

const shardName = (s: Shard, unit: string) =>
  `${s.name} (shard ${s.shard.index}/${s.shard.count}, ${unit} ${rangeText(s.shard.first, s.shard.first + s.shard.size)})`;

/** Same run: every field but the per-shard ones equal, `config` equal but for the shard's slice. */
function checkSameRun(a: Shard, b: Shard, kind: KindMerge): void {
  const runs = `${kind.run ?? 'run'}s`;
  if (a.shard.total !== b.shard.total)
    fail(
      `${a.name} and ${b.name} are shards of different ${runs}: ${a.name} splits ${a.shard.total} ${kind.unit}, ${b.name} ${b.shard.total}`,
    );
  const perShard = new Set([...PER_SHARD_FIELDS, ...kind.perShard]);
  const strip = (d: Doc) => {
    const config = isObject(d.config) ? { ...d.config } : d.config;
    if (isObject(config)) for (const k of kind.sliceConfig) delete config[k];
    // jt.json and ./jt.json are one file: paths compared as spelt once normalised (the shards may have
    // run on other machines, so the file system is not asked)
    let task = d.task;
    if (isObject(config) && typeof config.task === 'string') {
      const path = config.task;
      config.task = samePath(path);
      // a task file without a description is described by its path, as spelt
      if (isObject(task) && typeof task.description === 'string' && task.description.endsWith(` from ${path}`))
        task = { ...task, description: `${task.description.slice(0, -path.length)}${samePath(path)}` };
    }
    const files = Object.fromEntries(
      ['initFile', 'paramsFile'].filter((k) => typeof d[k] === 'string').map((k) => [k, samePath(d[k] as string)]),
    );
    const probeFiles = isObject(d.probeFiles)
      ? { probeFiles: Object.fromEntries(Object.entries(d.probeFiles).map(([k, v]) => [k, typeof v === 'string' ? samePath(v) : v])) }
      : {};
    // a record's quantiles are the shard's own; its steps and threshold are the run's
    const record = 'record' in d ? [['record', recordSettings(d.record)]] : [];
    const rest = Object.entries(d).filter(([k]) => !perShard.has(k) && k !== 'record');
    return { ...Object.fromEntries([...rest, ['config', config], ...record]), ...files, ...probeFiles, ...('task' in d ? { task } : {}) };
  };
  const path = difference(strip(a.doc), strip(b.doc), '');
  if (path === undefined) return;
  const field = path.slice(1);
  const value = (doc: Doc) => {
    const v = at(doc, path);
    return v === undefined ? 'absent' : describeValue(v);
  };
  fail(
    `${a.name} and ${b.name} are shards of different ${runs}: ${field} is ${value(a.doc)} in ${a.name} but ${value(b.doc)} in ${b.name}`,
  );
}

function checkTiling(shards: readonly Shard[], total: number, kind: KindMerge): void {
  const { unit } = kind;
  const pieces: (Piece & { s: Shard })[] = shards.map((s) => ({ name: s.name, first: s.shard.first, size: s.shard.size, s }));
  const { overlap, missing } = coverage(pieces, total);
  if (overlap) {
    const a = (overlap.a as (typeof pieces)[number]).s;
    const b = (overlap.b as (typeof pieces)[number]).s;
    fail(
      `${shardName(a, unit)} and ${shardName(b, unit)} overlap in ${unit} ${rangeText(overlap.first, overlap.end)}: each ${kind.item} must come from one shard`,
    );
  }
  if (missing.length === 0) return;
  const counts = new Set(shards.map((s) => s.shard.count));
  const ranges = missing.map(([f, e]) => rangeText(f, e)).join(', ');
  let which = '';
  if (counts.size === 1) {
    const n = shards[0].shard.count;
    const have = new Set(shards.map((s) => s.shard.index));
    const absent = Array.from({ length: n }, (_, i) => i).filter((i) => !have.has(i));
    which = ` (shard${absent.length > 1 ? 's' : ''} ${absent.map((i) => `${i}/${n}`).join(', ')})`;
  }
  fail(
    `${unit} ${ranges} of the ${kind.run ?? 'run'}'s ${total} are missing${which}: given ${shards.map((s) => shardName(s, unit)).join(', ')}`,
  );
}

/** Each particle's record, in order from the shard's first: its global index and a class of the run. */
function checkParticles(s: Shard, classes: readonly string[]): { outcomes: number[]; particles: unknown[] } {
  const { name, doc, shard } = s;
  const list = doc.particles;
  if (!Array.isArray(list) || list.length !== shard.size)
    fail(
      `${name}: "particles" must list the shard's ${shard.size} particles, got ${describeValue(Array.isArray(list) ? `${list.length} entries` : list)}`,
    );
  const probes = probeNames(doc);
  if (typeof probes === 'string') fail(`${name}: ${probes}`);
  const recorded = 'record' in doc ? (doc.record as Doc) : undefined;
  if ('record' in doc) {
    const problem = recordSettingsProblem(recorded);
    if (problem) fail(`${name}: ${problem}`);
  }
  const outcomes = (list as unknown[]).map((p, k) => {
    const expected = shard.first + k;
    if (!isObject(p) || p.index !== expected)
      fail(
        `${name}: particles[${k}] must have index ${expected} (shard ${shard.index}/${shard.count} starts at ${shard.first}), got ${describeValue(isObject(p) ? p.index : p)}`,
      );
    const c = classes.indexOf((p as Doc).outcome as string);
    if (c < 0) fail(`${name}: particle ${expected} has outcome ${describeValue((p as Doc).outcome)}, not one of ${classes.join(', ')}`);
    const problem = particleProblem(p as Doc, probes as string[], recorded, shard.size);
    if (problem) fail(`${name}: ${problem}`);
    return c;
  });
  // the file's own counts must be those of its particles: a hand-edited file is refused, not averaged in
  const counts = isObject(doc.counts) ? doc.counts : {};
  classes.forEach((c, i) => {
    const n = outcomes.filter((o) => o === i).length;
    if (counts[c] !== n) fail(`${name}: counts.${c} is ${describeValue(counts[c])} but ${n} of its particles are ${c}`);
  });
  return { outcomes, particles: list as unknown[] };
}

const mergeTrain: Merger = (shards) => {
  const first = shards[0].doc;
  const classes = first.classes;
  if (!Array.isArray(classes) || !classes.every((c) => typeof c === 'string'))
    fail(`${shards[0].name}: "classes" must be a list of class names, got ${describeValue(classes)}`);
  const names = classes as string[];
  const outcomes: number[] = [];
  const particles: unknown[] = [];
  for (const s of shards) {
    const part = checkParticles(s, names);
    // push one at a time: a spread of a million arguments overflows the stack
    for (const o of part.outcomes) outcomes.push(o);
    for (const p of part.particles) particles.push(p);
  }
  const total = shards[0].shard.total;
  const { shards: work, ...where } = shardWork(shards);
  const rest = { ...first };
  delete rest.shard;
  const recorded = isObject(first.record) ? mergeRecord(first.record, particles as Doc[]) : undefined;
  return {
    ...rest,
    ...(recorded ? { record: recorded.record } : {}),
    ...mergeTrainExtras(shards.map((s) => s.doc)),
    config: { ...(first.config as Doc), particles: total, firstParticle: 0 },
    ...where,
    ...summariseOutcomes(names, Uint8Array.from(outcomes)),
    particles: recorded ? recorded.particles : particles,
    shards: work,
  };
};

/** train's shards record their slice in config too (particles and firstParticle). */
function checkTrainSlice(s: Shard): void {
  const config = s.doc.config;
  if (!isObject(config) || config.particles !== s.shard.size || config.firstParticle !== s.shard.first)
    fail(
      `${s.name}: config.particles and config.firstParticle must be the shard's size and first particle (${s.shard.size}, ${s.shard.first}), got ${describeValue(isObject(config) ? config.particles : config)} and ${describeValue(isObject(config) ? config.firstParticle : undefined)}`,
    );
}

const TRAIN: KindMerge = {
  unit: 'particles',
  item: 'particle',
  command: 'train',
  perShard: ['counts', 'fractions', 'particles', ...TRAIN_EXTRAS.map((x) => x.key)],
  sliceConfig: ['particles', 'firstParticle'],
  checkSlice: checkTrainSlice,
  merge: mergeTrain,
};

/** Kinds that can be merged: train's and those of the instruments that give a merger (instruments/registry.ts). */
const MERGERS: Readonly<Record<string, KindMerge>> = { train: TRAIN, ...INSTRUMENT_MERGERS };

export const MERGEABLE_KINDS = Object.keys(MERGERS);
const MAKERS = [...new Set(Object.values(MERGERS).map((k) => `${k.command} --shard i/n`))].join(' or ');

/**
 * The result one run would have written, from its shards: counts, fractions and Wilson intervals
 * recomputed from the merged particles, particles in global index order, `seconds` the shards'
 * sum, and `shards` listing each shard's file, slice, engine, device and seconds. Throws one
 * UserError naming the files when they are not shards of one run that tile it exactly.
 */
export function mergeResults(files: readonly ResultFile[]): Doc {
  if (files.length === 0) fail('give the shards to merge');
  const docs = files.map(checkResult);
  const kind = docs[0].kind as string;
  docs.forEach((d, i) => {
    if (d.kind !== kind)
      fail(`${files[0].name} is a ${kind} result but ${files[i].name} is a ${String(d.kind)} result: merge combines results of one kind`);
  });
  const merger = MERGERS[kind] as KindMerge | undefined;
  if (!merger)
    fail(`${files[0].name} is a ${kind} result; merge combines ${MERGEABLE_KINDS.join(', ')} results (made with ${MAKERS}), not ${kind}`);
  const { unit, command } = merger!;
  // the fields of config the merged run's summary reads, whatever else a hand-edited file says
  docs.forEach((d, i) => {
    const c = d.config;
    const bad = !isObject(c)
      ? 'config must be an object'
      : typeof c.optimizer !== 'string' || typeof c.activation !== 'string'
        ? 'config.optimizer and config.activation must be names'
        : c.lrScale !== undefined && !(Array.isArray(c.lrScale) && c.lrScale.every((v) => typeof v === 'number'))
          ? 'config.lrScale must be a list of numbers'
          : undefined;
    if (bad) fail(`${files[i].name}: ${bad}, got ${describeValue(isObject(c) ? (c.optimizer ?? c.lrScale) : c)}`);
  });
  const shards = docs
    .map((doc, i) => {
      const s: Shard = { name: files[i].name, doc, shard: checkShard(files[i].name, doc, unit, command) };
      merger!.checkSlice?.(s);
      return s;
    })
    .sort((a, b) => a.shard.first - b.shard.first);
  for (const s of shards.slice(1)) checkSameRun(shards[0], s, merger!);
  checkTiling(shards, shards[0].shard.total, merger!);
  return merger!.merge(shards);
}
