import Papa from 'papaparse';
import { MAX_WIDTH, parseDecimal } from './config';
import { clip, quote } from './describe';
import { UserError } from './errors';
import { FLOAT32_MAX } from './float32';

/** Limits a CSV task file is read within (see taskFile.ts, which re-exports them). */
export const MAX_ROWS = 65_536;
/** as wide as a layer may be (config's MAX_WIDTH): a 28×28 image with its extras fits */
export const MAX_INPUTS = MAX_WIDTH;
export const MAX_CLASSES = 64;
/** Most real targets per row of a regression task. */
export const MAX_OUTPUTS = 64;
/** Longest line a CSV row may be: every column of the widest table at 64 characters, far past any number. */
export const MAX_CSV_LINE_CHARS = (MAX_INPUTS + MAX_OUTPUTS) * 64;
/** Rows handed to the CSV parser at a time: its strings for one batch, not the file, are in memory at once. */
const CSV_BATCH_ROWS = 4096;

/** One CSV file of a task, parsed: its values already in typed arrays. */
export interface CsvTable {
  header: string[];
  /** regression: the number of target columns t0,…; 0 for a label column y */
  targets: number;
  /** inputs per row: the header's columns less the label or targets */
  inputs: number;
  rows: number;
  /** rows × inputs, row-major */
  x: Float32Array;
  /** classification: each row's label, checked to be a class from 0 to MAX_CLASSES − 1 */
  labels: Int32Array;
  /** regression: rows × targets */
  targetValues: Float32Array;
}

/** A typed array that grows by doubling as rows arrive (at most MAX_ROWS rows' worth). */
class Column<T extends Float32Array | Int32Array> {
  private length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(1024, 2 * this.data.length));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  /** the values, in an array of exactly their length */
  done(): T {
    return this.data.length === this.length ? this.data : (this.data.slice(0, this.length) as T);
  }
}

const fail = (source: string, what: string): never => {
  throw new UserError(`task file ${source}: ${what}`);
};

/**
 * Reads one CSV file of a task as its text arrives, in pieces of any size (`push`), then `end`:
 * only the piece at hand and the rows' numbers (in typed arrays) are held, never the file's text
 * or a string per value, so a file at the size limit is read in bounded memory, and the caller can
 * stop between pieces. Lines are parsed by Papa Parse a batch at a time (the delimiter found in the
 * header), each value checked to be a decimal number in float32's range and each label a class.
 * Every problem is one line naming the file, the line and the column. Blank lines are skipped;
 * "line N" counts the lines that are not blank, the header as line 1.
 */
export class CsvTableReader {
  /** the end of the text so far after its last newline: a line not yet complete */
  private pending = '';
  private header?: string[];
  private delimiter = ',';
  private targets = 0;
  private inputs = 0;
  private rows = 0;
  private readonly x = new Column(new Float32Array(0), (n) => new Float32Array(n));
  private readonly labels = new Column(new Int32Array(0), (n) => new Int32Array(n));
  private readonly targetValues = new Column(new Float32Array(0), (n) => new Float32Array(n));

  constructor(private readonly source: string) {}

  /** The next piece of the file's text. */
  push(text: string): void {
    const all = this.pending + text;
    const end = all.lastIndexOf('\n');
    this.pending = end < 0 ? all : all.slice(end + 1);
    if (this.pending.length > MAX_CSV_LINE_CHARS) this.lineTooLong();
    if (end >= 0) this.lines(all.slice(0, end).split('\n'));
  }

  /** The whole table, once the file's text has all been pushed. */
  end(): CsvTable {
    if (this.pending !== '') this.lines([this.pending]);
    this.pending = '';
    // without this, Papa's answer to an empty file is that it cannot guess the delimiter
    if (!this.header) fail(this.source, 'is empty; expected a header x0,x1,...,y and one row per example');
    if (this.rows === 0) fail(this.source, 'has a header but no rows');
    return {
      header: this.header!,
      targets: this.targets,
      inputs: this.inputs,
      rows: this.rows,
      x: this.x.done(),
      labels: this.targets === 0 ? this.labels.done() : new Int32Array(0),
      targetValues: this.targetValues.done(),
    };
  }

  private lineTooLong(): never {
    return fail(
      this.source,
      `line ${this.rows + (this.header ? 2 : 1)} holds more than ${MAX_CSV_LINE_CHARS} characters; a row may hold up to ${MAX_INPUTS + MAX_OUTPUTS} numbers`,
    );
  }

  /** Complete lines: the header if it has not come yet, then batches of rows. */
  private lines(lines: string[]): void {
    let batch: string[] = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.length > MAX_CSV_LINE_CHARS) {
        this.rowBatch(batch);
        batch = [];
        this.lineTooLong();
      }
      if (line.trim() === '') continue;
      if (!this.header) {
        this.readHeader(line.trim());
        continue;
      }
      // more rows than the limit are refused before they are parsed
      if (this.rows + batch.length >= MAX_ROWS) fail(this.source, `has more than ${MAX_ROWS} rows, at most ${MAX_ROWS} are supported`);
      batch.push(line);
      if (batch.length === CSV_BATCH_ROWS) {
        this.rowBatch(batch);
        batch = [];
      }
    }
    this.rowBatch(batch);
  }

  private parse(text: string, firstLine: number, delimiter?: string) {
    const parsed = Papa.parse<string[]>(text, { delimiter, newline: '\n' });
    if (parsed.errors.length > 0) {
      const e = parsed.errors[0];
      fail(this.source, `${clip(e.message)}${e.row !== undefined ? ` (row ${firstLine + e.row})` : ''}`);
    }
    return parsed;
  }

  private readHeader(firstLine: string): void {
    const source = this.source;
    // one column, or none of the delimiters: no header of inputs and a label
    if (!/[,;\t|]/.test(firstLine)) fail(source, `the first line must be a header x0,x1,...,y, got ${quote(firstLine)}`);
    const head = this.parse(firstLine, 1);
    const header = head.data[0];
    if (!header || header.length < 2) fail(source, 'the first line must be a header x0,x1,...,y');
    this.delimiter = head.meta.delimiter;
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
    const inputs = cols.length - Math.max(1, targets);
    if (inputs > MAX_INPUTS) fail(source, `has ${inputs} inputs, at most ${MAX_INPUTS} are supported`);
    this.header = cols;
    this.targets = targets;
    this.inputs = inputs;
  }

  private rowBatch(lines: string[]): void {
    if (lines.length === 0) return;
    const cols = this.header!;
    const body = this.parse(lines.join('\n'), this.rows + 2, this.delimiter).data;
    for (const cells of body) {
      const line = this.rows + 2;
      if (cells.length !== cols.length) fail(this.source, `line ${line} has ${cells.length} values, expected ${cols.length}`);
      cells.forEach((c, i) => {
        const v = parseDecimal(c);
        if (Number.isNaN(v)) fail(this.source, `line ${line}, column ${cols[i]}: ${quote(c)} is not a decimal number`);
        if (Math.abs(v) > FLOAT32_MAX)
          fail(this.source, `line ${line}, column ${cols[i]}: ${quote(c)} is beyond float32's range (±3.4e38)`);
        if (i < this.inputs) this.x.push(v);
        else if (this.targets > 0) this.targetValues.push(v);
        else {
          if (!Number.isInteger(v) || v < 0 || v >= MAX_CLASSES)
            fail(this.source, `line ${line}: y must be an integer class from 0 to ${MAX_CLASSES - 1}, got ${v}`);
          this.labels.push(v);
        }
      });
      this.rows++;
    }
  }
}

/** A whole CSV file's text as a table (the sandbox, which has the dropped file's text). */
export function csvTable(text: string, source: string): CsvTable {
  const reader = new CsvTableReader(source);
  reader.push(text);
  return reader.end();
}
