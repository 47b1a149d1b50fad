import { hypermapDataProblem } from '../core/instruments/hypermap/hypermapData';
import { insetProblem, type HypermapData } from '../core/instruments/hypermap/hypermapPicture';
import { MAX_PARTICLES } from '../core/config';
import { clip } from '../core/describe';
import { isUserError, UserError } from '../core/errors';
import { fileSizeProblem, MAX_FILE_BYTES, mib, withoutBom } from '../core/taskFile';
import { readBoundedText, UnreadableFile } from '../node/boundedRead';
import { readTextChunks } from '../node/chunkedRead';
import { CsvTableReader, type CsvTable } from '../core/csvTable';
import type { ParamsModel } from '../core/paramsFile';
import { ParamsFileReader } from '../core/paramsFileReader';
import { CHARS_PER_PARAMETER } from '../core/vectorList';

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

/** A size limit below MAX_FILE_BYTES and why, said when a file is refused by it. */
interface Limit {
  bytes: number;
  why: string;
}

/**
 * A file's text in chunks of about a megabyte, read as readText reads (a regular file within
 * the limit), asynchronously: `signal` is checked between chunks, and a stop ends the read with
 * CancelledError (see readTextChunks).
 */
async function* fileChunks(flag: string, path: string, signal?: AbortSignal, limit?: Limit): AsyncGenerator<string> {
  const max = Math.min(MAX_FILE_BYTES, limit?.bytes ?? Infinity);
  const tooBig = (bytes: number) => (limit && limit.bytes < MAX_FILE_BYTES ? `holds ${mib(bytes)}; ${limit.why}` : fileSizeProblem(bytes)!);
  try {
    yield* readTextChunks(path, max, tooBig, signal);
  } catch (e) {
    if (e instanceof UnreadableFile) throw new UserError(`${flag} ${path}: ${e.message}`);
    throw e;
  }
}

/** readText, read asynchronously in chunks and stoppable between them (fileChunks). */
export async function readTextAsync(flag: string, path: string, signal?: AbortSignal, limit?: Limit): Promise<string> {
  const pieces: string[] = [];
  for await (const piece of fileChunks(flag, path, signal, limit)) pieces.push(piece);
  return pieces.join('');
}

/**
 * A task's CSV file, parsed as it is read (CsvTableReader): a file at the size limit is held a
 * chunk at a time, its values in typed arrays, and a stop is honoured between chunks.
 * `source` names the file in messages.
 */
export async function readCsvTable(flag: string, path: string, source: string, signal?: AbortSignal): Promise<CsvTable> {
  const reader = new CsvTableReader(source);
  for await (const piece of fileChunks(flag, path, signal)) reader.push(piece);
  return reader.end();
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

/** A JSON file holding one flat parameter vector (or a parameters file of one network), read as readVectors reads. */
export async function readVector(flag: string, path: string, model: ParamsModel, signal?: AbortSignal): Promise<Float32Array> {
  return (await readVectors(flag, path, model, 1, signal, true))[0];
}

/** Characters a parameters file's header (a run's config and task) and a particle's index and outcome may add. */
const HEADER_CHARS = 1 << 16;
const CHARS_PER_PARTICLE = 128;

/**
 * A parameters file (core/paramsFile.ts: a header naming the model, then its particles' vectors),
 * or a bare flat vector or list of them (at most `maxVectors`, the command's limit), for the run's
 * `model`. A file larger than that many vectors can take is refused by its size before it is read;
 * the rest is parsed as it is read (ParamsFileReader), a vector at a time into float32, a header
 * for another model is refused naming the field, and a stop is honoured between chunks of the file.
 */
export async function readVectors(
  flag: string,
  path: string,
  model: ParamsModel,
  maxVectors = MAX_PARTICLES,
  signal?: AbortSignal,
  single = false,
): Promise<Float32Array[]> {
  const length = model.parameters;
  const bytes = maxVectors * (length * CHARS_PER_PARAMETER + CHARS_PER_PARTICLE) + HEADER_CHARS;
  const why = `${maxVectors} vector${maxVectors === 1 ? '' : 's'} of ${length} parameters (the most this command takes) fit in ${mib(bytes)}`;
  const reader = new ParamsFileReader(model, maxVectors, single);
  // the reader's problems say where in the file; the flag and path go first
  const named = <T>(step: () => T): T => {
    try {
      return step();
    } catch (e) {
      throw isUserError(e) ? new UserError(`${flag} ${path}: ${e.message}`) : e;
    }
  };
  for await (const piece of fileChunks(flag, path, signal, { bytes, why })) named(() => reader.push(piece));
  return named(() => reader.end());
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
