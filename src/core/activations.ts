import type { Activation } from './layout';

const GELU_K = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;

/**
 * `square` (x²) is the activation of the grokking literature's modular-addition networks (Gromov
 * 2023): a product of two inputs' features is what the Fourier algorithm needs.
 * `identity` (no activation) makes the network a product of matrices: reduced-rank regression,
 * a singular model with a known learning coefficient (Aoyagi & Watanabe 2005) for the LLC's validation.
 * GELU is the tanh approximation (PyTorch's `GELU(approximate='tanh')`): WGSL has no erf, and the
 * CPU engine must compute exactly the maths the shader does.
 */
export function activate(kind: Activation, z: number): number {
  switch (kind) {
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return z > 0 ? z : 0;
    case 'gelu':
      return 0.5 * z * (1 + Math.tanh(GELU_K * (z + GELU_C * z * z * z)));
    case 'square':
      return z * z;
    case 'identity':
      return z;
  }
}

/** d activate / dz at z */
export function activateDerivative(kind: Activation, z: number): number {
  switch (kind) {
    case 'tanh': {
      const t = Math.tanh(z);
      return 1 - t * t;
    }
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'gelu': {
      const t = Math.tanh(GELU_K * (z + GELU_C * z * z * z));
      return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * GELU_K * (1 + 3 * GELU_C * z * z);
    }
    case 'square':
      return 2 * z;
    case 'identity':
      return 1;
  }
}
