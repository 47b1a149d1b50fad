import { describe, expect, it } from 'vitest';
import { parseDecomposeForm } from '../../src/ui/state/decomposeForm';
import { cellCommand, cellUnder, matrixPixels, rowOrder } from '../../src/ui/views/decompose/outcomeMatrix';

describe('the decomposition matrix, as pixels', () => {
  it('orders rows by purity, purest first, ties in init order; or leaves them in init order', () => {
    const purity = [0.5, 1, 0.75, 1, 0.5];
    expect(Array.from(rowOrder(purity, true))).toEqual([1, 3, 2, 0, 4]);
    expect(Array.from(rowOrder(purity, false))).toEqual([0, 1, 2, 3, 4]);
  });

  it('paints row r as init order[r], each cell its class colour', () => {
    // 2 inits × 3 noise streams
    const outcomes = Uint8Array.of(0, 1, 2, 2, 2, 0);
    const colour = (c: number) => ['#ff0000', '#00ff00', '#0000ff'][c];
    const px = matrixPixels(outcomes, 3, Int32Array.of(1, 0), colour);
    const at = (r: number, j: number) => Array.from(px.subarray((r * 3 + j) * 4, (r * 3 + j + 1) * 4));
    expect(at(0, 0)).toEqual([0, 0, 255, 255]);
    expect(at(0, 2)).toEqual([255, 0, 0, 255]);
    expect(at(1, 1)).toEqual([0, 255, 0, 255]);
  });

  it('finds the cell under a point, and nothing outside', () => {
    expect(cellUnder(0.99, 0, 4, 5)).toEqual({ row: 0, col: 4 });
    expect(cellUnder(0.2, 0.5, 4, 5)).toEqual({ row: 2, col: 1 });
    expect(cellUnder(1, 0.5, 4, 5)).toBeUndefined();
    expect(cellUnder(-0.01, 0.5, 4, 5)).toBeUndefined();
  });

  it("writes a cell's command for a shell, quoting what needs it", () => {
    expect(cellCommand(['--task', 'thneeb', '--lr', '0.8'], 3, 7)).toBe(
      'basin-atlas train --task thneeb --lr 0.8 --init-index 3 --first-particle 7 --particles 1',
    );
    expect(cellCommand(['--task', "my task's.json"], 0, 0)).toMatch(/^basin-atlas train --task 'my task'\\''s\.json' /);
  });
});

describe('the decomposition form', () => {
  it('gives 32 × 32 by default', () => expect(parseDecomposeForm({})).toEqual({ request: { inits: 32, noises: 32 }, errors: {} }));

  it("names the field and its range, as the decompose command's flags do", () => {
    expect(parseDecomposeForm({ inits: '0', noises: 'x' }).errors).toEqual({
      inits: 'init seeds (rows) must be an integer from 1 to 4096, got "0"',
      noises: 'noise seeds (columns) must be an integer from 1 to 4096, got "x"',
    });
    const big = parseDecomposeForm({ inits: '1024', noises: '1024' });
    expect(big.request).toBeUndefined();
    expect(big.errors.noises).toBe('inits × noise streams must be at most 262144 cells, got 1024 × 1024 = 1048576');
  });
});
