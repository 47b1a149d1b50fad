import { describe, expect, it } from 'vitest';
import { activate, activateDerivative } from '../../src/core/activations';
import { ACTIVATIONS, type Activation } from '../../src/core/layout';
import { composeShader, modelHeader } from '../../src/engine/compose';
import { bindBuffers, readBuffer, storageBuffer } from '../../src/engine/gpuBuffers';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { testShader } from '../helpers/testShaders';
import { seeded } from '../helpers/random';

const EDGES = [
  0,
  1e-30,
  -1e-30,
  1e-4,
  -1e-4,
  0.5,
  -0.5,
  7.9,
  -7.9,
  7.906,
  -7.906,
  9,
  -9,
  44,
  -44,
  50,
  -50,
  1e30,
  -1e30,
  Infinity,
  -Infinity,
];

/**
 * Tolerance against float64: ULPS float32 ulps of the size of the numbers a float32 evaluation
 * rounds. For tanh that is 1: near saturation its value and 1 − t² are set by t ≈ ±1; the
 * rational tanh is within 3 ulp of the true value, and 1 − t² within 5 just past its clamp at
 * ±7.905, where t rounds to ±1 (measured: 2 ulps fails there, 4 fails on 1 − t²). GELU multiplies tanh by x, and its derivative
 * multiplies 1 − t² by x·(1 + 3·0.044715·x²), which magnifies tanh's last bit by as much.
 */
const ULPS = 8;
const F32_MAX = 3.4028234663852886e38;
const ulp = (v: number) => 2 ** (Math.floor(Math.log2(Math.max(Math.abs(v), 1))) - 23);
function scale(kind: Activation, x: number, derivative: boolean): number {
  if (kind === 'tanh') return 1;
  // x²'s value is the size of x², its derivative 2x's that of x
  if (kind === 'square') return derivative ? Math.abs(x) : x * x;
  // identity's derivative is exactly 1
  if (kind === 'identity' && derivative) return 1;
  if (kind === 'relu' || !derivative) return Math.abs(x);
  return Math.abs(x) * (1 + 0.134 * x * x);
}

/** activate(x) and activate_derivative(x), interleaved, as shaders/activations.wgsl computes them. */
async function gpuActivations(kind: Activation, x: Float32Array): Promise<Float32Array> {
  const device = (await gpuEngine()).gpu;
  const code = composeShader(nodeShaderLibrary(), [
    { code: modelHeader({ widths: [1, 1], activation: kind }, 'sgd') },
    'activations',
    testShader('activation_test'),
  ]);
  const pipeline = device.createComputePipeline({
    label: 'activation test',
    layout: 'auto',
    compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
  });
  const input = storageBuffer(device, 'activation inputs', x);
  const out = storageBuffer(device, 'activation values', x.length * 8);
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindBuffers(device, 'activation test', pipeline.getBindGroupLayout(0), [input, out]));
  pass.dispatchWorkgroups(Math.ceil(x.length / 64));
  pass.end();
  device.queue.submit([encoder.finish()]);
  const values = new Float32Array(await readBuffer(device, out, x.length * 8));
  input.destroy();
  out.destroy();
  return values;
}

describe('WGSL activations', () => {
  for (const kind of ACTIVATIONS) {
    it(`${kind} and its derivative match float64 within ${ULPS} ulp on fresh random inputs and edge values`, async () => {
      const rand = seeded(testSeed(`activation ${kind}`));
      const random = Array.from({ length: 4096 }, (_, i) => (2 * rand() - 1) * (i % 2 ? 3 : 20));
      const x = Float32Array.from([...EDGES, ...random]);
      const gpu = await gpuActivations(kind, x);
      const bad: string[] = [];
      x.forEach((v, i) => {
        const want = [activate(kind, v), activateDerivative(kind, v)];
        want.forEach((w, k) => {
          const got = gpu[2 * i + k];
          // ±Infinity inputs: the float64 GELU gives NaN (∞·0); only tanh is defined there
          if (!Number.isFinite(w)) return;
          // beyond float32's range (x² of 1e30) the float32 result is an overflow: ±Infinity, which marks divergence
          if (Math.abs(w) > F32_MAX) {
            if (got !== Math.sign(w) * Infinity)
              bad.push(`${k ? 'derivative' : 'value'} at ${v}: gpu ${got}, float64 ${w} (beyond float32)`);
            return;
          }
          if (!(Math.abs(got - w) <= ULPS * ulp(scale(kind, v, k === 1))))
            bad.push(`${k ? 'derivative' : 'value'} at ${v}: gpu ${got}, float64 ${w}`);
        });
      });
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }

  it('tanh and gelu pass NaN through, so a diverging particle is caught', async () => {
    for (const kind of ['tanh', 'gelu'] as const) {
      const gpu = await gpuActivations(kind, Float32Array.from([NaN, 1]));
      expect([kind, Number.isNaN(gpu[0]), Number.isNaN(gpu[1]), Number.isFinite(gpu[2])]).toEqual([kind, true, true, true]);
    }
  });
});
