import type { Activation } from './layout';

const GELU_K = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;

/**
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
  }
}
