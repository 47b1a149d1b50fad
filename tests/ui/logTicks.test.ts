import { describe, expect, it } from 'vitest';
import { logAxisValues, powerOfTen } from '../../src/ui/charts/logTicks';

describe('log axis labels', () => {
  it('write decades as powers of ten, so small values never read "0"', () => {
    expect(logAxisValues(undefined, [1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10])).toEqual(['10⁻⁵', '10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '10⁰', '10¹']);
  });

  it('leave the ticks between decades unlabelled', () => {
    expect(logAxisValues(undefined, [0.002, 0.005, 0.01, 0.03])).toEqual(['', '', '10⁻²', '']);
  });

  it('write multi-digit exponents', () => {
    expect(powerOfTen(-12)).toBe('10⁻¹²');
  });
});
