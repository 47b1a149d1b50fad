import { hypermapDataProblem } from '../core/instruments/hypermap/hypermapData';
import { insetProblem, type HypermapData } from '../core/instruments/hypermap/hypermapPicture';
import { MAX_PARTICLES } from '../core/config';
import { clip, float32Problem } from '../core/describe';
import { UserError } from '../core/errors';
import { fileSizeProblem, MAX_FILE_BYTES, mib, withoutBom } from '../core/taskFile';
import { readBoundedText, UnreadableFile } from '../node/boundedRead';

/**
 * Every input file the command line reads (task files, CSVs, vectors) comes through here: a regular
 * file, at most MAX_FILE_BYTES, read as UTF-8 without a byte-order mark. Anything else is one line
 * naming the flag, the path and the limit.
 */
export function readText(flag: string, path: string, limit?: { bytes: number; why: string }): string {
  const max = Math.min(MAX_FILE_BYTES, limit?.bytes ?? Infinity);
  const tooBig = (bytes: number) => (limit && limit.bytes < MAX_FILE_BYTES ? `holds ${mib(bytes)}; ${limit.why}` : fileSizeProblem(bytes)!);
  try {
    return withoutBom(readBoundedText(path, max, tooBig));
  } catch (e) {
    if (e instanceof UnreadableFile) throw new UserError(`${flag} ${path}: ${e.message}`);
    throw e;
  }
}

interface JsonFile {
  doc: unknown;
  /** the text it was parsed from, to say a bad number as written */
  text: string;
}

function parseJson(flag: string, path: string, limit?: { bytes: number; why: string }): JsonFile {
  const text = readText(flag, path, limit);
  try {
    return { doc: JSON.parse(text), text };
  } catch (e) {
    throw new UserError(`${flag} ${path}: not valid JSON (${clip((e as Error).message)})`);
  }
}

/** A JSON file of any shape, read as every input is (readText); the caller validates what it holds. */
export function readJson(flag: string, path: string): unknown {
  return parseJson(flag, path).doc;
}

function toVector(flag: string, path: string, where: string, v: unknown, length: number, text: string): Float32Array {
  if (!Array.isArray(v)) throw new UserError(`${flag} ${path}: ${where} must be a list of numbers`);
  if (v.length !== length)
    throw new UserError(`${flag} ${path}: ${where} has ${v.length} values, expected ${length} (the model's parameter count)`);
  const out = new Float32Array(length);
  v.forEach((x, i) => {
    // the same rule as task files: a number, finite in float32
    const problem = float32Problem(x, text);
    if (problem) throw new UserError(`${flag} ${path}: ${where}[${i}] ${problem}`);
    out[i] = x;
  });
  return out;
}

/** A JSON file holding one flat parameter vector. */
export function readVector(flag: string, path: string, length: number): Float32Array {
  const { doc, text } = parseJson(flag, path);
  return toVector(flag, path, 'the vector', doc, length, text);
}

/**
 * Characters a parameter may take in a vector file, "-1.23456789e-38, " and an indent of a pretty
 * printer included: the bound that refuses a file far too big for its vectors before it is parsed.
 */
const CHARS_PER_PARAMETER = 48;

/**
 * A JSON file holding one flat vector or a list of them (at most `maxVectors`, the command's
 * limit). A file larger than that many vectors can take is refused by its size before it is read.
 */
export function readVectors(flag: string, path: string, length: number, maxVectors = MAX_PARTICLES): Float32Array[] {
  const bytes = maxVectors * (length * CHARS_PER_PARAMETER + 64) + 64;
  const why = `${maxVectors} vector${maxVectors === 1 ? '' : 's'} of ${length} parameters (the most this command takes) fit in ${mib(bytes)}`;
  const { doc, text } = parseJson(flag, path, { bytes, why });
  if (Array.isArray(doc) && doc.length > 0 && Array.isArray(doc[0])) {
    if (doc.length > maxVectors) throw new UserError(`${flag} ${path}: holds ${doc.length} vectors; at most ${maxVectors} are supported`);
    return doc.map((v, i) => toVector(flag, path, `vector ${i}`, v, length, text));
  }
  return [toVector(flag, path, 'the vector', doc, length, text)];
}

/**
 * The zoom `--inset` names, for a picture of a map on `axes` (hypermap and merge --png): a whole
 * hyper map's JSON (hypermap --out, or merge of its shards) whose box lies inside those axes.
 * Undefined without --inset; refused without --png.
 */
export function readInset(flags: { inset?: string; png?: string }, axes: Pick<HypermapData, 'x' | 'y'>): HypermapData | undefined {
  const path = flags.inset;
  if (path === undefined) return undefined;
  if (flags.png === undefined) throw new UserError('--inset applies to the picture: give --png FILE.png too');
  const doc = readJson('--inset', path) as Partial<HypermapData> & { kind?: unknown; shard?: unknown };
  const whole = doc?.kind === 'hypermap' && doc.shard === undefined;
  if (!whole) throw new UserError(`--inset ${path}: not a whole hyper map (the JSON of hypermap --out, or merge of its shards)`);
  // every field the picture reads, before any work: a bad inset found after training loses the map
  const problem = hypermapDataProblem(doc) ?? insetProblem(axes, doc as HypermapData);
  if (problem) throw new UserError(`--inset ${path}: ${problem}`);
  return doc as HypermapData;
}
