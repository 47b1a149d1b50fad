import { clip, float32Problem } from './describe';
import { MAX_PARAMS } from './config';
import { UserError } from './errors';
import { isJsonSpace, JsonStrings } from './jsonScan';

/**
 * Characters a parameter may take in a vector file, "-1.23456789e-38, " and a pretty printer's
 * indent included: one element of the list below, and the CLI's bound on a file's size before it
 * is read (src/cli/files.ts), allow this many per parameter, so both read a pretty-printed file of
 * the biggest model.
 */
export const CHARS_PER_PARAMETER = 48;

/**
 * Characters one element of the list may take: a vector of the biggest model (MAX_PARAMS numbers
 * of up to ~25 characters and their separators as --params-out writes them, a 794-128-10 net's
 * vector ~1.3 M characters; CHARS_PER_PARAMETER each, for a pretty printer's indents), or a deeply
 * nested mistake to be named.
 */
const MAX_ELEMENT_CHARS = MAX_PARAMS * CHARS_PER_PARAMETER;

/**
 * Reads a JSON list of parameter vectors as its text arrives (`push`, in pieces of any size, then
 * `end`): one flat vector `[w0, w1, …]` (a list of `length` numbers) or a list of them
 * `[[…], […]]` (at most `maxVectors`), or the `particles` of a parameters file (core/paramsFile.ts:
 * `[{"index": 0, "params": […]}, …]`). The top-level list is split into its elements by a scan
 * that follows brackets and strings; each element (a number, or one vector) is parsed by
 * JSON.parse on its own and stored in float32 at once, so only one element's text and the
 * vectors' float32 values are held, never the file's text or its numbers as JavaScript values.
 * Every problem is thrown as a UserError saying where, to be prefixed with the flag and path:
 * "vector 3 has 5 values, expected 21", "the vector[7] must be a finite number, got null".
 */
export class VectorListReader {
  /** bracket depth: 0 before and after the list, 1 between its elements */
  private depth = 0;
  private readonly strings = new JsonStrings();
  private ended = false;
  /** the current element's text, in the pieces it arrived in */
  private piece: string[] = [];
  private pieceChars = 0;
  /** something other than white space since the last comma: an element that is not empty */
  private filled = false;
  /** elements seen */
  private count = 0;
  /** a list of vectors, decided by the first element being a list */
  private lists?: boolean;
  private readonly vectors: Float32Array[] = [];
  private readonly flat: Float32Array;
  /** flat vector: the first bad value, said once its length is known to be right */
  private flatProblem?: string;

  constructor(
    private readonly length: number,
    private readonly maxVectors: number,
    /** one flat vector only (--center, --d1, --d2): a list in it is a bad value, not a vector */
    single = false,
    /** a list of vectors only (a parameters file's `particles`): `[]` holds none */
    many = false,
  ) {
    this.flat = new Float32Array(length);
    if (single) this.lists = false;
    if (many) this.lists = true;
  }

  push(text: string): void {
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.strings.consumed(c)) continue;
      const space = isJsonSpace(c);
      if (this.depth === 0) {
        if (space) continue;
        if (this.ended) throw new UserError('not valid JSON (more text after the list ends)');
        if (c !== 0x5b) throw new UserError('must hold a list of numbers (one vector) or a list of such lists');
        this.depth = 1;
        from = i + 1;
        continue;
      }
      if (this.depth === 1 && (c === 0x2c || c === 0x5d)) {
        this.add(text, from, i);
        this.element(c === 0x5d);
        this.filled = false;
        from = i + 1;
        if (c === 0x5d) {
          this.depth = 0;
          this.ended = true;
        }
        continue;
      }
      if (this.depth === 1 && c === 0x7d) throw new UserError('not valid JSON (a "}" closes the list)');
      if (!space) this.filled = true;
      if (c === 0x22) this.strings.open();
      else if (c === 0x5b || c === 0x7b) this.depth++;
      else if (c === 0x5d || c === 0x7d) this.depth--;
    }
    if (this.depth > 0) this.add(text, from, text.length);
  }

  /** The vectors: one, or one per element of a list of lists. */
  end(): Float32Array[] {
    if (!this.ended) throw new UserError(this.depth === 0 ? 'is empty' : 'not valid JSON (the list is not closed)');
    if (this.lists) {
      if (this.count > this.maxVectors) throw new UserError(`holds ${this.count} vectors; at most ${this.maxVectors} are supported`);
      return this.vectors;
    }
    if (this.count !== this.length)
      throw new UserError(`the vector has ${this.count} values, expected ${this.length} (the model's parameter count)`);
    if (this.flatProblem) throw new UserError(this.flatProblem);
    return [this.flat];
  }

  /** Elements past a limit are counted, not kept: the file is refused for its length, not for what they hold. */
  private get skipping(): boolean {
    return this.lists === undefined ? false : this.count >= (this.lists ? this.maxVectors : this.length);
  }

  private add(chunk: string, from: number, to: number): void {
    if (this.skipping) return;
    const text = chunk.slice(from, to);
    this.pieceChars += text.length;
    if (this.pieceChars > MAX_ELEMENT_CHARS)
      throw new UserError(
        `${this.lists ? `vector ${this.count}` : `the vector[${this.count}]`} holds more than ${MAX_ELEMENT_CHARS} characters`,
      );
    this.piece.push(text);
  }

  /** One element's text is complete (`last`: the list's closing bracket followed it). */
  private element(last: boolean): void {
    if (this.skipping) {
      if (!this.filled) throw new UserError(`not valid JSON (an empty element at position ${this.count} of the list)`);
      this.count++;
      return;
    }
    const text = this.piece.join('');
    this.piece = [];
    this.pieceChars = 0;
    if (text.trim() === '') {
      // "[]" is an empty list; an empty element anywhere else is a stray comma
      if (last && this.count === 0) return;
      throw new UserError(`not valid JSON (an empty element at position ${this.count} of the list)`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new UserError(`not valid JSON (${clip((e as Error).message)} in element ${this.count} of the list)`);
    }
    const index = this.count++;
    // a particle of a parameters file ({"index", "outcome", "params"}) is a vector in a list
    const particle = typeof value === 'object' && value !== null && !Array.isArray(value);
    this.lists ??= Array.isArray(value) || particle;
    if (this.lists) {
      if (particle) this.vectors.push(toVector(`particles[${index}].params`, (value as { params?: unknown }).params, this.length, text));
      else this.vectors.push(toVector(`vector ${index}`, value, this.length, text));
      return;
    }
    if (this.flatProblem) return;
    const problem = float32Problem(value, text);
    if (problem) this.flatProblem = `the vector[${index}] ${problem}`;
    else this.flat[index] = value as number;
  }
}

function toVector(where: string, v: unknown, length: number, text: string): Float32Array {
  if (!Array.isArray(v)) throw new UserError(`${where} must be a list of numbers${v === undefined ? ', and is missing' : ''}`);
  if (v.length !== length) throw new UserError(`${where} has ${v.length} values, expected ${length} (the model's parameter count)`);
  const out = new Float32Array(length);
  v.forEach((x, i) => {
    // the same rule as task files: a number, finite in float32
    const problem = float32Problem(x, text);
    if (problem) throw new UserError(`${where}[${i}] ${problem}`);
    out[i] = x;
  });
  return out;
}
