import { FLOAT32_MAX } from './float32';

/**
 * Values in messages. A message quotes what the user gave so they can find it, but a user's value
 * can be a 20 MB string, a list of millions of numbers or a list nested 100,000 deep: these
 * describe it by its type, its length and a short prefix, in bounded time and on one line, where
 * JSON.stringify would echo all of it (or overflow the stack).
 */

const QUOTE_CHARS = 40;
const PREFIX_ITEMS = 3;

/** Control characters (a newline, an escape sequence, a NUL of a binary file) as visible \u escapes. */
const visible = (text: string): string =>
  text.replace(/\p{Cc}/gu, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

/**
 * Text the user's values are echoed in (a task's name, its classes), for a terminal: every control
 * character escaped, so a name holding an escape sequence cannot recolour or rewrite the screen.
 * printable() keeps nothing on one line; printableLines() keeps the text's own line breaks.
 */
export const printable = visible;
export const printableLines = (text: string): string => text.split('\n').map(visible).join('\n');

/** Text on one line, cut to `max` characters: for a parser's own message, which may quote the input. */
export function clip(text: string, max = 160): string {
  return text.length <= max ? visible(text) : `${visible(text.slice(0, max))}…`;
}

/** `"fast"`, or `"aaaaaaaa…" (1000000 characters)` for a long text; control characters escaped. */
export function quote(text: string, max = QUOTE_CHARS): string {
  if (text.length <= max) return `"${visible(text)}"`;
  return `"${visible(text.slice(0, max))}…" (${text.length} characters)`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One item of a list's prefix: scalars as themselves, containers as a mark, never recursing. */
function shallow(v: unknown): string {
  if (Array.isArray(v)) return '[…]';
  if (typeof v === 'string') return quote(v, 12);
  if (typeof v === 'object' && v !== null) return '{…}';
  return String(v);
}

/**
 * A value parsed from JSON (or anything else), for "got …": `2`, `"x"`, `null`, `true`,
 * `a list of 3000000 values [0, 1, 0, …]`, `an object with keys "x", "y"`. Never longer than a
 * line, never deeper than one level.
 */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return 'an empty list';
    const items = v.slice(0, PREFIX_ITEMS).map(shallow);
    return `a list of ${plural(v.length, 'value', 'values')} [${items.join(', ')}${v.length > PREFIX_ITEMS ? ', …' : ''}]`;
  }
  if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, PREFIX_ITEMS).map((k) => quote(k, 12));
    return `an object with ${keys.length === 1 ? 'key' : 'keys'} ${shown.join(', ')}${keys.length > PREFIX_ITEMS ? `, … (${keys.length} keys)` : ''}`;
  }
  return String(v);
}

/**
 * How `value` was written in the JSON text `source`: its first number literal (outside strings)
 * that parses to it, so `1e309` is said as written rather than as JSON's `null` or JS's
 * `Infinity`. Falls back to the value itself. Linear in the text; called on error paths only.
 */
export function writtenAs(value: number, source?: string): string {
  if (source !== undefined) {
    for (const m of source.matchAll(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)) {
      if (m[0][0] !== '"' && Object.is(Number(m[0]), value)) return m[0].length > QUOTE_CHARS ? `${m[0].slice(0, QUOTE_CHARS)}…` : m[0];
    }
  }
  return String(value);
}

/**
 * The one rule for every number a user gives in a vector or a data set: a number, finite in
 * float32 (the GPU's precision). Returns what is wrong with `x`, to follow its position in a
 * message ("train.x[3][1] is 1e39, beyond float32's range (±3.4e38)"), or undefined when it is fine.
 * `source` is the JSON text the value came from, to say an out-of-range number as written.
 */
export function float32Problem(x: unknown, source?: string): string | undefined {
  if (typeof x !== 'number' || Number.isNaN(x)) return `must be a finite number, got ${describeValue(x)}`;
  if (Math.abs(x) > FLOAT32_MAX) return `is ${writtenAs(x, source)}, beyond float32's range (±3.4e38)`;
  return undefined;
}
