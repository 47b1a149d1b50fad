import { csvTable, MAX_CLASSES, MAX_INPUTS, MAX_OUTPUTS, MAX_ROWS, type CsvTable } from './csvTable';
import { DIVERGED, MIXED, UNCONVERGED } from './classify';
import { clip, describeValue, float32Problem, quote } from './describe';
import { UserError } from './errors';
import { FLOAT32_MAX } from './float32';
import { DEFAULT_TOLERANCE, type Dataset, type Task } from './task';

/** Limits on user task files: enough for any toy task, small enough to stay interactive. */
export { MAX_CLASSES, MAX_CSV_LINE_CHARS, MAX_INPUTS, MAX_OUTPUTS, MAX_ROWS } from './csvTable';
/**
 * Most probe sets (hypotheses) a task may have: a particle's outcome is stored in a byte, and the
 * hypotheses share its 256 values with the fit-only class, mixed, unconverged and diverged.
 */
export const MAX_PROBES = 252;
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
  const names = checkCsvProbes(source, Object.keys(probes));
  const table = (text: string, from: string) => {
    const size = fileSizeProblem(text.length);
    if (size) fail(from, size);
    return csvTable(text, from);
  };
  const train = table(trainCsv, source);
  return taskFromCsvTables(train, new Map(names.map((n) => [n, table(probes[n], csvProbeSource(n, probeSources))])), source, probeSources);
}

/** How a probe's CSV file is named in messages: by its path and name where the path is known. */
export const csvProbeSource = (name: string, probeSources: Record<string, string>): string =>
  Object.hasOwn(probeSources, name) ? `${probeSources[name]} (probe ${name})` : name;

/** The probe sets' names, checked (their number and each name) before any of their files is read. */
export function checkCsvProbes(source: string, names: string[]): string[] {
  if (names.length === 0) throw new UserError('--probe: give at least one probe set, as --probe NAME=FILE.csv');
  checkProbeCount(source, names.length);
  names.forEach((n) => checkProbeName(source, n));
  return names;
}

/**
 * The task of a training table and one table per probe set (CsvTableReader's, in the order of
 * the --probe flags): the tables must agree on their columns.
 */
export function taskFromCsvTables(
  train: CsvTable,
  probes: ReadonlyMap<string, CsvTable>,
  source: string,
  probeSources: Record<string, string> = {},
): Task {
  const names = checkCsvProbes(source, [...probes.keys()]);
  const inputs = train.inputs;
  const what = (c: CsvTable) => (c.targets > 0 ? `${c.targets} target column${c.targets === 1 ? '' : 's'} (t0,...)` : 'a label column y');
  const tables = names.map((n) => {
    const t = probes.get(n)!;
    const from = csvProbeSource(n, probeSources);
    if (t.targets !== train.targets) fail(from, `has ${what(t)} but the training set has ${what(train)}`);
    if (t.header.length !== train.header.length) fail(from, `has ${t.inputs} inputs but the training set has ${inputs}`);
    return t;
  });
  const name =
    source
      .replace(/\.csv$/i, '')
      .split('/')
      .pop() || 'csv task';
  if (train.targets > 0) {
    const toRegression = (t: CsvTable): Dataset => ({ x: t.x, y: new Int32Array(0), rows: t.rows, targets: t.targetValues });
    return {
      name,
      description: `regression task loaded from ${source}`,
      inputs,
      classes: 0,
      train: toRegression(train),
      probes: names.map((n, i) => ({ name: n, data: toRegression(tables[i]) })),
      params: {},
      loss: 'mse',
      outputs: train.targets,
      tolerance: DEFAULT_TOLERANCE,
    };
  }
  let maxLabel = 1;
  for (const t of [train, ...tables]) for (const y of t.labels) maxLabel = Math.max(maxLabel, y);
  const toDataset = (t: CsvTable): Dataset => ({ x: t.x, y: t.labels, rows: t.rows });
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
