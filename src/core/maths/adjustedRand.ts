/**
 * The adjusted Rand index of two labellings of the same items (Hubert & Arabie 1985): 1 when they
 * agree up to renaming, about 0 for independent ones. Items labelled −1 in either are left out.
 * NaN when fewer than two items remain or both labellings are a single class (the index is 0/0).
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 0 || b[i] < 0) continue;
    n++;
    const key = `${a[i]},${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  const c2 = (x: number) => (x * (x - 1)) / 2;
  const sum = (m: Map<unknown, number>) => [...m.values()].reduce((s, v) => s + c2(v), 0);
  const index = sum(table);
  const sumRows = sum(rows);
  const sumCols = sum(cols);
  const expected = (sumRows * sumCols) / c2(n);
  const max = (sumRows + sumCols) / 2;
  return max === expected ? NaN : (index - expected) / (max - expected);
}
