const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** 10 to the power k, written as "10⁻³" (a small value never reads as "0"). */
export function powerOfTen(k: number): string {
  return `10${String(k)
    .split('')
    .map((c) => SUPERSCRIPT[c])
    .join('')}`;
}

/**
 * Labels for a log axis's ticks (uPlot's `axes[].values`): decades as powers of ten, the ticks
 * between them unlabelled.
 */
export function logAxisValues(_self: unknown, splits: number[]): string[] {
  return splits.map((v) => {
    if (!(v > 0)) return '';
    const k = Math.round(Math.log10(v));
    return Math.abs(Math.log10(v) - k) < 1e-6 ? powerOfTen(k) : '';
  });
}
