import type { Fraction } from '../core/stats';

/** A share with its 95% Wilson interval, in percent: `37.4% [34.5, 40.4]`. */
export function shareCell(f: Fraction): string {
  const pct = (x: number) => (100 * x).toFixed(1);
  return `${pct(f.fraction)}% [${pct(f.low)}, ${pct(f.high)}]`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
