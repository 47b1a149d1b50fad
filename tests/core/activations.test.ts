import { describe, expect, it } from 'vitest';
import { activate, activateDerivative } from '../../src/core/activations';
import { ACTIVATIONS } from '../../src/core/layout';
import { expectAllClose, expectClose } from './helpers';

describe('activations', () => {
  it('tanh and relu: known values', () => {
    expect([-2, -0.5, 0, 0.5, 2].map((z) => activate('relu', z))).toEqual([0, 0, 0, 0.5, 2]);
    expect([-2, 0, 0.5].map((z) => activate('tanh', z))).toEqual([Math.tanh(-2), 0, Math.tanh(0.5)]);
    // relu' is 1 above 0 and 0 at or below it (PyTorch's convention at the kink)
    expect([-1, 0, 1e-9, 3].map((z) => activateDerivative('relu', z))).toEqual([0, 0, 1, 1]);
  });

  it("gelu is PyTorch's tanh approximation, GELU(approximate='tanh')", () => {
    // 0.5·z·(1 + tanh(√(2/π)·(z + 0.044715 z³))), reference values evaluated with Python's math module
    const z = [-3, -1, -0.5, 0, 0.5, 1, 3];
    const expected = [
      -0.0036373920817729943, -0.15880800939172324, -0.15428599017485606, 0, 0.34571400982514394, 0.8411919906082768, 2.996362607918227,
    ];
    expectAllClose(
      z.map((v) => activate('gelu', v)),
      expected,
      { rel: 1e-12, abs: 1e-15 },
      'gelu',
    );
    // far from 0 it approaches relu
    expectClose(activate('gelu', 10), 10, { rel: 1e-12 }, 'gelu(10)');
    expectClose(activate('gelu', -10), 0, { abs: 1e-12 }, 'gelu(-10)');
  });

  for (const kind of ACTIVATIONS) {
    it(`${kind}: derivative matches a central difference (h = 1e-6, tolerance 1e-8 abs + 1e-7 rel; relu away from 0)`, () => {
      const zs = [-4, -2.5, -1, -0.3, -0.01, 0.02, 0.4, 1, 2.2, 4];
      const h = 1e-6;
      const numeric = zs.map((z) => (activate(kind, z + h) - activate(kind, z - h)) / (2 * h));
      expectAllClose(
        zs.map((z) => activateDerivative(kind, z)),
        numeric,
        { rel: 1e-7, abs: 1e-8 },
        `${kind}'`,
      );
    });
  }
});
