import { describe, expect, it } from 'vitest';
import { randU32 } from '../../src/core/rng';
import { composeShader } from '../../src/engine/compose';
import { bindBuffers, readBuffer, storageBuffer } from '../../src/engine/gpuBuffers';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { seeded } from '../helpers/random';
import { testShader } from '../helpers/testShaders';

describe('WGSL generator', () => {
  it('is bit-identical to the TypeScript one on fresh random keys', async () => {
    const engine = await gpuEngine();
    const device = engine.gpu;
    const rand = seeded(testSeed('rng'));
    const n = 4096;
    const keys = new Uint32Array(n * 5).map(() => (rand() * 0x100000000) >>> 0);
    // edge keys: zeros and all-ones
    keys.fill(0, 0, 5);
    keys.fill(0xffffffff, 5, 10);
    const code = composeShader(nodeShaderLibrary(), ['rng', testShader('rng_test')]);
    const pipeline = device.createComputePipeline({
      label: 'rng test',
      layout: 'auto',
      compute: { module: device.createShaderModule({ label: 'rng test', code }), entryPoint: 'main' },
    });
    const keyBuffer = storageBuffer(device, 'rng keys', keys);
    const out = storageBuffer(device, 'rng hashes', n * 4);
    const bind = bindBuffers(device, 'rng test bind group', pipeline.getBindGroupLayout(0), [keyBuffer, out]);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(n / 64);
    pass.end();
    device.queue.submit([encoder.finish()]);
    const gpu = new Uint32Array(await readBuffer(device, out, n * 4));
    const mismatches: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = keys.subarray(i * 5, i * 5 + 5);
      const cpu = randU32(k[0], k[1], k[2], k[3], k[4]);
      if (cpu !== gpu[i]) mismatches.push(`key [${Array.from(k)}]: cpu ${cpu} gpu ${gpu[i]}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    keyBuffer.destroy();
    out.destroy();
  });
});
