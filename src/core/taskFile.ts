import Papa from 'papaparse';
import { DIVERGED, MIXED, UNCONVERGED } from './classify';
import { MAX_WIDTH, parseDecimal } from './config';
import { clip, describeValue, float32Problem, quote } from './describe';
import { UserError } from './errors';
import { FLOAT32_MAX } from './float32';
import { DEFAULT_TOLERANCE, type Dataset, type Task } from './task';

/** Limits on user task files: enough for any toy task, small enough to stay interactive. */
export const MAX_ROWS = 65_536;
/** as wide as a layer may be (config's MAX_WIDTH): a 28×28 image with its extras fits */
export const MAX_INPUTS = MAX_WIDTH;
export const MAX_CLASSES = 64;
/**
 * Most probe sets (hypotheses) a task may have: a particle's outcome is stored in a byte, and the
 * hypotheses share its 256 values with the fit-only class, mixed, unconverged and diverged.
 */
export const MAX_PROBES = 252;
/** Most real targets per row of a regression task. */
export const MAX_OUTPUTS = 64;
/** Characters a number may take in a file, "-0.123456789012," included: enough for float32's 9 significant digits. */
const CHARS_PER_NUMBER = 16;
/** Inputs a row may have in a file of MAX_ROWS rows: the file size limit is set by it. */
const FULL_FILE_INPUTS = 256;
/**
 * The most an input file may hold: 65,536 rows of 256 inputs and a label at 16 characters a number,
 * 257 MiB (so 16,384 rows of 1,024 inputs). Files are refused above it before they are read, so a
 * huge or endless file (/dev/zero) gives this one line instead of exhausting memory; it stayed put
 * when MAX_INPUTS rose to 1,024, since parsing is synchronous (a 256 MiB file took 222 s and 1.2 GB).
 */
export const MAX_FILE_BYTES = MAX_ROWS * (FULL_FILE_INPUTS + 1) * CHARS_PER_NUMBER;

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;

/** The limit on input files in words, for a message that says which limit was hit. */
export function fileSizeProblem(bytes: number): string | undefined {
  if (bytes <= MAX_FILE_BYTES) return undefined;
  return `holds ${mib(bytes)}; input files may hold up to ${mib(MAX_FILE_BYTES)} (${MAX_ROWS} rows of ${FULL_FILE_INPUTS} inputs)`;
}

/**
 * Refuses a file by its size before it is read: the sandbox calls this with a dropped File's
 * `size`, the command line checks the same limit on the file system.
 */
export function checkFileSize(source: string, bytes: number): void {
  const problem = fileSizeProblem(bytes);
  if (problem) fail(source, problem);
}

/** A file's text without the byte-order mark some editors put first (JSON.parse refuses it). */
export const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
const NAME = /^[A-Za-z0-9_.-]{1,40}$/;
const RESERVED = [MIXED, UNCONVERGED, DIVERGED];

const fail = (source: string, what: string): never => {
  throw new UserError(`task file ${source}: ${what}`);
};

function checkProbeCount(source: string, probes: number): void {
  if (probes > MAX_PROBES)
    fail(source, `has ${probes} probe sets, at most ${MAX_PROBES} are supported (a particle's outcome is one of 256 classes)`);
}

function checkProbeName(source: string, name: string): void {
  if (!NAME.test(name)) fail(source, `probe name ${quote(name)} must be 1-40 letters, digits, "_", "." or "-"`);
  if (RESERVED.includes(name)) fail(source, `probe name "${name}" is reserved for an outcome class`);
}

/** `text`: the JSON the values came from, to say an out-of-range number as written. */
function dataset(source: string, where: string, x: unknown, y: unknown, inputs: number, classes: number, text?: string): Dataset {
  if (!Array.isArray(x)) fail(source, `${where}.x must be a list of rows`);
  if (!Array.isArray(y)) fail(source, `${where}.y must be a list of labels`);
  const rowsX = x as unknown[];
  const labels = y as unknown[];
  if (rowsX.length === 0) fail(source, `${where}.x is empty`);
  if (rowsX.length > MAX_ROWS) fail(source, `${where}.x has ${rowsX.length} rows, at most ${MAX_ROWS} are supported`);
  if (labels.length !== rowsX.length) fail(source, `${where}.y has ${labels.length} labels but ${where}.x has ${rowsX.length} rows`);
  const out = new Float32Array(rowsX.length * inputs);
  const ys = new Int32Array(rowsX.length);
  rowsX.forEach((row, r) => {
    if (!Array.isArray(row)) fail(source, `${where}.x[${r}] must be a list of numbers`);
    const values = row as unknown[];
    if (values.length !== inputs) fail(source, `${where}.x[${r}] has ${values.length} values, expected ${inputs}`);
    values.forEach((v, i) => {
      const problem = float32Problem(v, text);
      if (problem) fail(source, `${where}.x[${r}][${i}] ${problem}`);
      out[r * inputs + i] = v as number;
    });
    const label = labels[r];
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= classes) {
      fail(source, `${where}.y[${r}] must be an integer class from 0 to ${classes - 1}, got ${describeValue(label)}`);
    }
    ys[r] = label as number;
  });
  return { x: out, y: ys, rows: rowsX.length };
}

/**
 * A regression set: x as for classification, y one real target per row (`outputs` = 1) or a list
 * of `outputs` of them. `text`: the JSON the values came from.
 */
function regressionDataset(source: string, where: string, x: unknown, y: unknown, inputs: number, outputs: number, text: string): Dataset {
  if (Array.isArray(x) && Array.isArray(y) && x.length > 0 && y.length !== x.length)
    fail(source, `${where}.y has ${y.length} rows of targets but ${where}.x has ${x.length} rows`);
  // the inputs are checked as for classification (labels of 0 stand in)
  const labels = Array.isArray(y) ? y.map(() => 0) : y;
  const { x: xs, rows } = dataset(source, where, x, labels, inputs, 2, text);
  const targets = new Float32Array(rows * outputs);
  (y as unknown[]).forEach((row, r) => {
    const values = outputs === 1 && !Array.isArray(row) ? [row] : row;
    if (!Array.isArray(values))
      fail(source, `${where}.y[${r}] must be a list of ${outputs} target${outputs === 1 ? '' : 's'}, got ${describeValue(row)}`);
    const list = values as unknown[];
    if (list.length !== outputs) fail(source, `${where}.y[${r}] has ${list.length} targets, expected ${outputs} (the task's "outputs")`);
    list.forEach((v, k) => {
      const problem = float32Problem(v, text);
      if (problem) fail(source, `${where}.y[${r}]${outputs === 1 && !Array.isArray(row) ? '' : `[${k}]`} ${problem}`);
      targets[r * outputs + k] = v as number;
    });
  });
  return { x: xs, y: new Int32Array(0), rows, targets };
}

/**
 * A task from one JSON file:
 * {"name", "inputs", "classes", "train": {"x": [[...]], "y": [...]}, "probes": {NAME: {"x", "y"}}}
 * with an optional "description". A regression task says `"loss": "mse"` and gives "outputs"
 * (default 1) instead of "classes", real targets as y (a number per row, or a list of `outputs`
 * numbers), and optionally "tolerance" (a row counts as correct when every output is within it of
 * its target; default DEFAULT_TOLERANCE). Every problem is one line naming the field.
 */
export function parseTaskJson(file: string, source: string): Task {
  const text = withoutBom(file);
  const size = fileSizeProblem(text.length);
  if (size) fail(source, size);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    fail(source, `not valid JSON (${clip((e as Error).message)})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(source, 'must hold one JSON object');
  const d = doc as Record<string, unknown>;
  const name = d.name ?? source;
  if (typeof name !== 'string' || name.length === 0 || name.length > 80) fail(source, 'name must be a string of 1 to 80 characters');
  const inputs = d.inputs;
  if (typeof inputs !== 'number' || !Number.isInteger(inputs) || inputs < 1 || inputs > MAX_INPUTS)
    fail(source, `inputs must be an integer from 1 to ${MAX_INPUTS}, got ${describeValue(inputs)}`);
  const loss = d.loss ?? 'cross-entropy';
  if (loss !== 'cross-entropy' && loss !== 'mse') fail(source, `loss must be "cross-entropy" or "mse", got ${describeValue(loss)}`);
  const regression = loss === 'mse';
  const classes = regression ? 0 : d.classes;
  if (regression) {
    if (d.classes !== undefined) fail(source, 'classes applies to classification; a regression task ("loss": "mse") gives "outputs"');
    const outputs = d.outputs ?? 1;
    if (typeof outputs !== 'number' || !Number.isInteger(outputs) || outputs < 1 || outputs > MAX_OUTPUTS)
      fail(source, `outputs must be an integer from 1 to ${MAX_OUTPUTS}, got ${describeValue(outputs)}`);
    const tolerance = d.tolerance ?? DEFAULT_TOLERANCE;
    if (typeof tolerance !== 'number' || !(tolerance > 0) || tolerance > FLOAT32_MAX)
      fail(source, `tolerance must be a positive number, got ${describeValue(tolerance)}`);
  } else {
    if (d.outputs !== undefined || d.tolerance !== undefined)
      fail(source, `${d.outputs !== undefined ? 'outputs' : 'tolerance'} applies to regression tasks ("loss": "mse") only`);
    if (typeof classes !== 'number' || !Number.isInteger(classes) || classes < 2 || classes > MAX_CLASSES)
      fail(source, `classes must be an integer from 2 to ${MAX_CLASSES}, got ${describeValue(classes)}`);
  }
  const train = d.train as Record<string, unknown> | undefined;
  if (typeof train !== 'object' || train === null) fail(source, 'train must be an object {"x": [[...]], "y": [...]}');
  const probes = d.probes as Record<string, Record<string, unknown>> | undefined;
  if (typeof probes !== 'object' || probes === null || Array.isArray(probes) || Object.keys(probes).length === 0) {
    fail(source, 'probes must be an object with at least one probe set {NAME: {"x": [[...]], "y": [...]}}');
  }
  checkProbeCount(source, Object.keys(probes!).length);
  const description = typeof d.description === 'string' ? d.description : `task loaded from ${source}`;
  const outputs = regression ? ((d.outputs as number | undefined) ?? 1) : 0;
  const read = (where: string, x: unknown, y: unknown) =>
    regression
      ? regressionDataset(source, where, x, y, inputs as number, outputs, text)
      : dataset(source, where, x, y, inputs as number, classes as number, text);
  return {
    name: name as string,
    description,
    inputs: inputs as number,
    classes: classes as number,
    train: read('train', train!.x, train!.y),
    probes: Object.entries(probes!).map(([probe, set]) => {
      checkProbeName(source, probe);
      if (typeof set !== 'object' || set === null) fail(source, `probes.${probe} must be an object {"x", "y"}`);
      return { name: probe, data: read(`probes.${probe}`, set.x, set.y) };
    }),
    params: {},
    ...(regression ? { loss: 'mse' as const, outputs, tolerance: (d.tolerance as number | undefined) ?? DEFAULT_TOLERANCE } : {}),
  };
}

interface CsvTable {
  header: string[];
  rows: number[][];
  /** regression: the number of target columns t0,…; 0 for a label column y */
  targets: number;
}

/** Longest line a CSV row may be: every column of the widest table at 64 characters, far past any number. */
export const MAX_CSV_LINE_CHARS = (MAX_INPUTS + MAX_OUTPUTS) * 64;
/** Rows handed to the CSV parser at a time: its strings for one batch, not the file, are in memory at once. */
const CSV_BATCH_ROWS = 4096;

/**
 * The file's non-blank lines as [start, end) offsets, found by a scan that stops as soon as the
 * file has more rows than MAX_ROWS or a line longer than MAX_CSV_LINE_CHARS: a file of millions of
 * short rows is refused at once, before any parsing, in bounded memory.
 */
function csvLines(text: string, source: string): [number, number][] {
  const lines: [number, number][] = [];
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > MAX_CSV_LINE_CHARS)
      fail(
        source,
        `line ${lines.length + 1} holds more than ${MAX_CSV_LINE_CHARS} characters; a row may hold up to ${MAX_INPUTS + MAX_OUTPUTS} numbers`,
      );
    if (text.slice(start, end).trim() !== '') {
      if (lines.length > MAX_ROWS) fail(source, `has more than ${MAX_ROWS} rows, at most ${MAX_ROWS} are supported`);
      lines.push([start, end]);
    }
    start = end + 1;
  }
  return lines;
}

function parseCsv(text: string, source: string): CsvTable {
  const size = fileSizeProblem(text.length);
  if (size) fail(source, size);
  // without this, Papa's answer to an empty file is that it cannot guess the delimiter
  if (text.trim() === '') fail(source, 'is empty; expected a header x0,x1,...,y and one row per example');
  const lines = csvLines(text, source);
  const parse = (from: number, to: number, delimiter?: string) => {
    const parsed = Papa.parse<string[]>(text.slice(lines[from][0], lines[to - 1][1]).trim(), { skipEmptyLines: true, delimiter });
    if (parsed.errors.length > 0) {
      const e = parsed.errors[0];
      fail(source, `${clip(e.message)}${e.row !== undefined ? ` (row ${from + e.row + 1})` : ''}`);
    }
    return parsed;
  };
  const firstLine = text.slice(lines[0][0], lines[0][1]).trim();
  // one column, or none of the delimiters: no header of inputs and a label
  if (!/[,;\t|]/.test(firstLine)) fail(source, `the first line must be a header x0,x1,...,y, got ${quote(firstLine)}`);
  const head = parse(0, 1);
  const header = head.data[0];
  const delimiter = head.meta.delimiter;
  if (!header || header.length < 2) fail(source, 'the first line must be a header x0,x1,...,y');
  const cols = header.map((h) => h.trim());
  // a regression file ends in target columns t0,t1,… instead of the label column y
  const firstTarget = cols.indexOf('t0');
  const targets = firstTarget > 0 ? cols.length - firstTarget : 0;
  if (targets > 0) {
    if (targets > MAX_OUTPUTS) fail(source, `has ${targets} target columns, at most ${MAX_OUTPUTS} are supported`);
    cols.forEach((h, i) => {
      const want = i < firstTarget ? `x${i}` : `t${i - firstTarget}`;
      if (h !== want)
        fail(
          source,
          `header column ${i + 1} must be "${want}", got ${quote(h)} (expected x0,...,x${firstTarget - 1},t0,...,t${targets - 1})`,
        );
    });
  } else {
    const d = cols.length - 1;
    const expected = d === 1 ? 'x0,y' : d === 2 ? 'x0,x1,y' : `x0,...,x${d - 1},y`;
    // x0,x1,x2 and no label: the last column is an input's
    if (cols[d] === `x${d}`)
      fail(source, `the last column must be the label y (or targets t0,...), got ${quote(cols[d])}: the header has no label column`);
    cols.forEach((h, i) => {
      const want = i === d ? 'y' : `x${i}`;
      if (h !== want) fail(source, `header column ${i + 1} must be "${want}", got ${quote(h)} (expected ${expected})`);
    });
  }
  if (lines.length === 1) fail(source, 'has a header but no rows');
  const rows: number[][] = [];
  for (let from = 1; from < lines.length; from += CSV_BATCH_ROWS) {
    const body = parse(from, Math.min(lines.length, from + CSV_BATCH_ROWS), delimiter).data;
    body.forEach((cells, k) => {
      const r = from - 1 + k;
      if (cells.length !== cols.length) fail(source, `line ${r + 2} has ${cells.length} values, expected ${cols.length}`);
      rows.push(
        cells.map((c, i) => {
          const v = parseDecimal(c);
          if (Number.isNaN(v)) fail(source, `line ${r + 2}, column ${cols[i]}: ${quote(c)} is not a decimal number`);
          if (Math.abs(v) > FLOAT32_MAX) fail(source, `line ${r + 2}, column ${cols[i]}: ${quote(c)} is beyond float32's range (±3.4e38)`);
          return v;
        }),
      );
    });
  }
  return { header: cols, rows, targets };
}

/**
 * A task from CSV files, one per set, each with the header x0,...,x{d-1},y. Labels are class
 * indices; the number of classes is the largest label + 1 (at least 2). A header ending in
 * t0,...,t{k-1} instead of y makes a regression task (mean squared error on k real targets, the
 * default tolerance); every file of a task must have the same header. `probeSources` names each
 * probe's file for messages (by default the probe's name).
 */
export function parseTaskCsv(
  trainCsv: string,
  probes: Record<string, string>,
  source: string,
  probeSources: Record<string, string> = {},
): Task {
  const train = parseCsv(trainCsv, source);
  const inputs = train.header.length - Math.max(1, train.targets);
  if (inputs > MAX_INPUTS) fail(source, `has ${inputs} inputs, at most ${MAX_INPUTS} are supported`);
  const names = Object.keys(probes);
  if (names.length === 0) throw new UserError('--probe: give at least one probe set, as --probe NAME=FILE.csv');
  checkProbeCount(source, names.length);
  // each table's errors name its own file: the training file by its path, a probe by its path and name
  const probeSource = (n: string) => (Object.hasOwn(probeSources, n) ? `${probeSources[n]} (probe ${n})` : n);
  const tables = names.map((n) => {
    checkProbeName(source, n);
    const t = parseCsv(probes[n], probeSource(n));
    if (t.targets !== train.targets) {
      const what = (c: CsvTable) =>
        c.targets > 0 ? `${c.targets} target column${c.targets === 1 ? '' : 's'} (t0,...)` : 'a label column y';
      fail(probeSource(n), `has ${what(t)} but the training set has ${what(train)}`);
    }
    if (t.header.length !== train.header.length)
      fail(probeSource(n), `has ${t.header.length - Math.max(1, t.targets)} inputs but the training set has ${inputs}`);
    return t;
  });
  const name =
    source
      .replace(/\.csv$/i, '')
      .split('/')
      .pop() || 'csv task';
  if (train.targets > 0) {
    const k = train.targets;
    const toRegression = (t: CsvTable): Dataset => {
      const x = new Float32Array(t.rows.length * inputs);
      const targets = new Float32Array(t.rows.length * k);
      t.rows.forEach((row, r) => {
        x.set(row.slice(0, inputs), r * inputs);
        targets.set(row.slice(inputs), r * k);
      });
      return { x, y: new Int32Array(0), rows: t.rows.length, targets };
    };
    return {
      name,
      description: `regression task loaded from ${source}`,
      inputs,
      classes: 0,
      train: toRegression(train),
      probes: names.map((n, i) => ({ name: n, data: toRegression(tables[i]) })),
      params: {},
      loss: 'mse',
      outputs: k,
      tolerance: DEFAULT_TOLERANCE,
    };
  }
  let maxLabel = 1;
  const sources = [source, ...names.map(probeSource)];
  [train, ...tables].forEach((t, k) => {
    t.rows.forEach((row, r) => {
      const y = row[inputs];
      if (!Number.isInteger(y) || y < 0 || y >= MAX_CLASSES)
        fail(sources[k], `line ${r + 2}: y must be an integer class from 0 to ${MAX_CLASSES - 1}, got ${y}`);
      maxLabel = Math.max(maxLabel, y);
    });
  });
  const toDataset = (t: CsvTable): Dataset => {
    const x = new Float32Array(t.rows.length * inputs);
    t.rows.forEach((row, r) => x.set(row.slice(0, inputs), r * inputs));
    return { x, y: Int32Array.from(t.rows, (row) => row[inputs]), rows: t.rows.length };
  };
  return {
    name,
    description: `task loaded from ${source}`,
    inputs,
    classes: maxLabel + 1,
    train: toDataset(train),
    probes: names.map((n, i) => ({ name: n, data: toDataset(tables[i]) })),
    params: {},
  };
}
