import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, OPTIMIZERS } from '../../src/core/layout';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { batchedAnalysisSource, batchedEvaluateSource, batchedPriorSource, batchedTrainSource } from '../../src/engine/batchedKernels';
import { uniformsPart } from '../../src/engine/compose';
import { bindBuffers, readBuffer, storageBuffer } from '../../src/engine/gpuBuffers';
import { KERNEL_UNIFORMS } from '../../src/engine/kernelUniforms';
import { Kernels } from '../../src/engine/kernels';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { seeded } from '../helpers/random';

/** The WGSL compiler's errors for `code`, empty when it compiles. */
async function compileErrors(device: GPUDevice, code: string): Promise<string[]> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code });
  const info = await module.getCompilationInfo();
  const scope = await device.popErrorScope();
  return [...info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}: ${m.message}`), ...(scope ? [scope.message] : [])];
}

describe('uniform structs: one definition for WGSL and the host', () => {
  it('every field reads back on the GPU exactly as the host packed it', async () => {
    const device = (await gpuEngine()).gpu;
    const rand = seeded(testSeed('uniform round trip'));
    for (const struct of KERNEL_UNIFORMS) {
      const names = Object.keys(struct.fields);
      const values = Object.fromEntries(
        names.map((n) => [
          n,
          struct.fields[n as keyof typeof struct.fields] === 'u32' ? Math.floor(rand() * 2 ** 32) : Math.fround(rand() * 200 - 100),
        ]),
      );
      const code = [
        uniformsPart(struct).code,
        '@group(0) @binding(1) var<storage, read_write> out: array<u32>;',
        '@compute @workgroup_size(1) fn main() {',
        ...names.map((n, k) => `  out[${k}] = bitcast<u32>(u.${n});`),
        '}',
      ].join('\n');
      const pipeline = device.createComputePipeline({
        layout: 'auto',
        compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
      });
      const uniforms = device.createBuffer({ size: struct.size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      const packed = struct.pack(values as never);
      device.queue.writeBuffer(uniforms, 0, packed);
      const out = storageBuffer(device, 'uniform read-back', names.length * 4);
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindBuffers(device, 'uniform read-back', pipeline.getBindGroupLayout(0), [uniforms, out]));
      pass.dispatchWorkgroups(1);
      pass.end();
      device.queue.submit([encoder.finish()]);
      const got = new Uint32Array(await readBuffer(device, out, names.length * 4));
      const want = new Uint32Array(packed, 0, names.length);
      names.forEach((n, k) => expect(got[k], `${struct.name}.${n}`).toBe(want[k]));
      uniforms.destroy();
      out.destroy();
    }
  });

  it('no shader file declares a uniform struct or its binding: both are generated (compose.ts uniformsPart)', () => {
    const dir = new URL('../../shaders/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.wgsl'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      expect(source, file).not.toMatch(/^\s*struct\s+\w+/m);
      expect(source, file).not.toMatch(/var<uniform>/);
      expect(source, file).not.toMatch(/@binding\(0\)/);
    }
  });

  it('every composed kernel compiles (a field renamed on one side only fails here)', async () => {
    const device = (await gpuEngine()).gpu;
    const shaders = nodeShaderLibrary();
    const sources: [string, string][] = [
      ['plane', Kernels.planeSource(shaders)],
      ['lines', Kernels.linesSource(shaders)],
    ];
    const small = { widths: [3, 4, 1], activation: 'tanh' as const };
    sources.push(
      ['sgld', Kernels.sgldSource(shaders, small)],
      ['prior', Kernels.priorSource(shaders, small)],
      ['batched train', batchedTrainSource(shaders, small, 'adam', 'cross-entropy')],
      ['batched evaluate', batchedEvaluateSource(shaders, small, 'cross-entropy')],
      ['batched analysis', batchedAnalysisSource(shaders, small, 'cross-entropy')],
      ['batched prior', batchedPriorSource(shaders, small)],
    );
    for (const widths of [
      [3, 4, 1],
      [5, 3, 2, 4],
    ]) {
      for (const activation of ACTIVATIONS) {
        const layout = { widths, activation };
        sources.push([`gradients ${widths} ${activation}`, Kernels.gradientsSource(shaders, layout)]);
        for (const unrolled of [false, true]) {
          sources.push([`evaluate ${widths} ${activation} unrolled=${unrolled}`, Kernels.evaluateSource(shaders, layout, unrolled)]);
          for (const optimizer of OPTIMIZERS)
            sources.push([
              `train ${widths} ${activation} ${optimizer} unrolled=${unrolled}`,
              Kernels.trainSource(shaders, layout, optimizer, unrolled),
            ]);
        }
      }
    }
    for (const [name, code] of sources) expect(await compileErrors(device, code), name).toEqual([]);
    // and the check itself can fail: a field the struct does not have
    expect((await compileErrors(device, Kernels.planeSource(shaders).replace('u.res_alpha', 'u.res_x'))).length).toBeGreaterThan(0);
  });
});
