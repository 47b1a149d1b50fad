/** JSON's white space, by character code: space, tab, newline, carriage return. */
export const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Where a streaming scan of JSON text stands with respect to strings, in which brackets, commas
 * and colons are text: the readers that split a vector list or a parameters file into its elements
 * as the text arrives (vectorList.ts, paramsFileReader.ts) follow strings with it, character by
 * character, across the pieces the text comes in.
 */
export class JsonStrings {
  private inside = false;
  private escaped = false;

  /** True when `c` belongs to the string being read (its closing quote included); false outside one. */
  consumed(c: number): boolean {
    if (!this.inside) return false;
    if (this.escaped) this.escaped = false;
    else if (c === 0x5c) this.escaped = true;
    else if (c === 0x22) this.inside = false;
    return true;
  }

  /** A quote met outside a string: a string starts. */
  open(): void {
    this.inside = true;
  }
}
