import { clip } from './describe';
import { UserError } from './errors';
import { isJsonSpace, JsonStrings } from './jsonScan';
import { checkParamsHeader, type ParamsModel } from './paramsFile';
import { VectorListReader } from './vectorList';

/** Characters a header field may take (a run's config is a few kilobytes). */
const MAX_FIELD_CHARS = 1 << 20;

/**
 * Reads a parameters file (core/paramsFile.ts) as its text arrives, `push` then `end`, as
 * VectorListReader reads a list: a bare list or flat vector goes to a VectorListReader whole; an
 * object is split into its top-level fields by a scan that follows brackets and strings. Each
 * header field is parsed on its own and checked against the run's model as soon as it is complete,
 * so a file for another model is refused by its header, naming the field, before its vectors are
 * read; `particles` (or a one-network file's `params`) streams into a VectorListReader. Only one
 * header field's text and the vectors' float32 values are held. Problems are UserErrors saying
 * where, to be prefixed with the flag and path.
 */
export class ParamsFileReader {
  private shape?: 'list' | 'object';
  /** the bare list, or the vectors field being read */
  private list?: VectorListReader;
  private depth = 0;
  private readonly strings = new JsonStrings();
  private ended = false;
  /** reading a field's key (up to its colon) or its value (up to the comma or brace after it) */
  private part: 'key' | 'value' = 'key';
  private key = '';
  private piece: string[] = [];
  private pieceChars = 0;
  private vectors?: Float32Array[];

  constructor(
    private readonly model: ParamsModel,
    private readonly maxVectors: number,
    /** one flat vector only (--center, --d1, --d2) */
    private readonly single = false,
  ) {}

  push(text: string): void {
    if (this.shape === 'list') return this.list!.push(text);
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.strings.consumed(c)) continue;
      if (this.shape === undefined) {
        if (isJsonSpace(c)) continue;
        if (c === 0x5b) {
          this.shape = 'list';
          this.list = new VectorListReader(this.model.parameters, this.maxVectors, this.single);
          this.list.push(text.slice(i));
          return;
        }
        if (c !== 0x7b)
          throw new UserError(
            'must hold a parameters file (an object with "particles"), one vector (a list of numbers) or a list of vectors',
          );
        this.shape = 'object';
        this.depth = 1;
        from = i + 1;
        continue;
      }
      if (this.depth === 0) {
        if (isJsonSpace(c)) continue;
        throw new UserError('not valid JSON (more text after the object ends)');
      }
      if (this.depth === 1 && this.part === 'key' && c === 0x3a) {
        this.add(text, from, i);
        this.startValue();
        from = i + 1;
        continue;
      }
      if (this.depth === 1 && (c === 0x2c || c === 0x7d)) {
        this.add(text, from, i);
        this.endField(c === 0x7d);
        from = i + 1;
        if (c === 0x7d) {
          this.depth = 0;
          this.ended = true;
        }
        continue;
      }
      if (c === 0x22) this.strings.open();
      else if (c === 0x5b || c === 0x7b) this.depth++;
      else if (c === 0x5d || c === 0x7d) this.depth--;
    }
    if (this.shape === 'object' && this.depth > 0) this.add(text, from, text.length);
  }

  /** The vectors: of `particles` (or `params`), or of the bare list. */
  end(): Float32Array[] {
    if (this.shape === 'list') return this.list!.end();
    if (this.shape === undefined) throw new UserError('is empty');
    if (!this.ended) throw new UserError('not valid JSON (the object is not closed)');
    if (!this.vectors) throw new UserError('holds no "particles" (a list of {"index", "params"}): not a parameters file');
    if (this.vectors.length === 0) throw new UserError('"particles" is empty: the file holds no network');
    return this.vectors;
  }

  private add(chunk: string, from: number, to: number): void {
    if (this.part === 'value' && this.list) {
      this.named(() => this.list!.push(chunk.slice(from, to)));
      return;
    }
    const text = chunk.slice(from, to);
    this.pieceChars += text.length;
    if (this.pieceChars > MAX_FIELD_CHARS)
      throw new UserError(`${this.part === 'key' ? 'a key' : `"${this.key}"`} holds more than ${MAX_FIELD_CHARS} characters`);
    this.piece.push(text);
  }

  private take(): string {
    const text = this.piece.join('');
    this.piece = [];
    this.pieceChars = 0;
    return text;
  }

  /** The key is complete: the vectors' field streams into a list reader, any other is collected. */
  private startValue(): void {
    const text = this.take().trim();
    let key: unknown;
    try {
      key = JSON.parse(text);
    } catch {
      key = undefined;
    }
    if (typeof key !== 'string') throw new UserError(`not valid JSON (a field name ${clip(text)} is not a string)`);
    this.key = key;
    this.part = 'value';
    if (key === 'particles' || key === 'params') {
      if (this.vectors) throw new UserError(`holds both "particles" and "params": give one`);
      // a one-network export's `params` is one flat vector
      this.list =
        key === 'params'
          ? new VectorListReader(this.model.parameters, 1, true)
          : new VectorListReader(this.model.parameters, this.maxVectors, false, true);
    }
  }

  private endField(last: boolean): void {
    if (this.part === 'key') {
      // "{}" is an object without fields; an empty field anywhere else is a stray comma
      if (this.take().trim() === '' && last) return;
      throw new UserError('not valid JSON (a field without a value)');
    }
    this.part = 'key';
    if (this.list) {
      const list = this.list;
      this.list = undefined;
      this.vectors = this.named(() => list.end());
      if (this.single && this.vectors.length !== 1) throw new UserError(`holds ${this.vectors.length} vectors; this flag takes one`);
      return;
    }
    const text = this.take();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new UserError(`not valid JSON (${clip((e as Error).message)} in "${this.key}")`);
    }
    checkParamsHeader(this.key, value, this.model);
  }

  /** A problem of the vectors' field, named by it: `particles: …`. */
  private named<T>(step: () => T): T {
    try {
      return step();
    } catch (e) {
      if (e instanceof UserError && !e.message.startsWith('particles[')) throw new UserError(`${this.key}: ${e.message}`);
      throw e;
    }
  }
}
