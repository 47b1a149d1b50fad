import { quote } from './describe';
import { UserError } from './errors';

/**
 * The one rule for numbers and choices a user types: a flag's value, a form field, a URL-hash
 * parameter, a CSV cell. Each refusal is one line naming the field as the user spelled it (the
 * flag, or the label the form shows) and what is allowed.
 */

export interface NumberSpec {
  /** the command-line flag, e.g. "--lr" */
  readonly flag: string;
  /** the name a person reads in the UI, e.g. "learning rate" */
  readonly label: string;
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
  /** min itself is not allowed (e.g. a learning rate must be > 0) */
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
}

/** How a message names a field: by its command-line flag or by the label the sandbox shows. */
export type NameStyle = 'flag' | 'label';

export function fieldName(spec: { readonly flag: string; readonly label: string }, style: NameStyle): string {
  return style === 'flag' ? spec.flag : spec.label;
}

/** "a positive number up to 1000", "an integer from 1 to 65536", "a number ≥ 0 and < 1" */
export function describeRange(spec: NumberSpec): string {
  const what = spec.integer ? 'an integer' : 'a number';
  if (spec.min === 0 && spec.minExclusive && !spec.maxExclusive)
    return `a positive ${spec.integer ? 'integer' : 'number'} up to ${spec.max}`;
  if (!spec.minExclusive && !spec.maxExclusive) return `${what} from ${spec.min} to ${spec.max}`;
  return `${what} ${spec.minExclusive ? '>' : '≥'} ${spec.min} and ${spec.maxExclusive ? '<' : '≤'} ${spec.max}`;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The one rule for numbers a user types (flags, widths, batch sizes, CSV cells): decimal notation
 * only, NaN otherwise. Number() alone would also take "0x10", "0b1", "Infinity" and "".
 */
export function parseDecimal(text: string): number {
  const t = text.trim();
  return DECIMAL.test(t) ? Number(t) : NaN;
}

/** Parses and range-checks one numeric value; throws a one-line UserError naming the field. */
export function parseNumber(spec: NumberSpec, raw: unknown, style: NameStyle = 'flag'): number {
  const text = typeof raw === 'string' ? raw.trim() : String(raw);
  const value = typeof raw === 'number' ? raw : parseDecimal(text);
  const ok =
    Number.isFinite(value) &&
    (!spec.integer || Number.isInteger(value)) &&
    (spec.minExclusive ? value > spec.min : value >= spec.min) &&
    (spec.maxExclusive ? value < spec.max : value <= spec.max);
  if (!ok) throw new UserError(`${fieldName(spec, style)} must be ${describeRange(spec)}, got ${quote(text)}`);
  return value;
}

export function parseChoice<T extends string>(name: string, allowed: readonly T[], raw: unknown): T {
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
  throw new UserError(`${name} must be one of ${allowed.join(', ')}, got ${quote(String(raw))}`);
}
