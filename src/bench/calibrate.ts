import { uniformsPart } from '../engine/compose';
import { bindBuffers } from '../engine/gpuBuffers';
import { CALIBRATE_UNIFORMS } from '../engine/kernelUniforms';
import { scaleAndTime, timeSubmit } from './gpuTiming';

export interface Peak {
  /** FMA rate, counting an FMA as 2 FLOPs */
  gflops: number;
  /** copy bandwidth, bytes read + bytes written */
  gbps: number;
}

/** FLOPs one invocation of fma_rate does per iteration: 8 unrolled rows × 8 chains × vec4 × 2. */
const FLOPS_PER_ITERATION = 8 * 8 * 4 * 2;
const WORKGROUP_SIZE = 64;
const COPY_PER_INVOCATION = 4;
/** enough invocations to fill any GPU (a big one has ~100k lanes in flight) */
const FMA_INVOCATIONS = 1 << 17;
/** large enough to miss every cache: 64 MiB each way */
const COPY_BYTES = 64 << 20;

/**
 * The device's own FMA rate and memory bandwidth, from shaders/calibrate.wgsl. Each kernel is
 * grown until one dispatch takes `minMs`, then timed a few times; the best time counts.
 */
export async function calibrate(device: GPUDevice, calibrateWgsl: string, minMs = 150): Promise<Peak> {
  const module = device.createShaderModule({ label: 'calibrate', code: `${uniformsPart(CALIBRATE_UNIFORMS).code}\n${calibrateWgsl}` });
  const layout = device.createBindGroupLayout({
    label: 'calibrate layout',
    entries: [
      { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
      { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
      { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
    ],
  });
  const pipelineLayout = device.createPipelineLayout({ label: 'calibrate', bindGroupLayouts: [layout] });
  const pipeline = (entryPoint: string) =>
    device.createComputePipeline({
      label: `calibrate ${entryPoint}`,
      layout: pipelineLayout,
      compute: { module, entryPoint, constants: { WORKGROUP_SIZE } },
    });
  const fma = pipeline('fma_rate');
  const copy = pipeline('copy');
  const bytes = Math.min(COPY_BYTES, device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const uniforms = device.createBuffer({
    label: 'calibrate uniforms',
    size: CALIBRATE_UNIFORMS.size,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  const source = device.createBuffer({ label: 'calibrate source', size: bytes, usage: GPUBufferUsage.STORAGE });
  const sink = device.createBuffer({ label: 'calibrate sink', size: bytes, usage: GPUBufferUsage.STORAGE });
  const bindGroup = bindBuffers(device, 'calibrate bind group', layout, [uniforms, source, sink]);
  const setUniforms = (iterations: number, count: number) => {
    device.queue.writeBuffer(uniforms, 0, CALIBRATE_UNIFORMS.pack({ iterations, count, multiplier: 0.9999, addend: 1e-4 }));
  };
  const dispatch =
    (p: GPUComputePipeline, x: number, y = 1) =>
    (encoder: GPUCommandEncoder) => {
      const pass = encoder.beginComputePass({ label: p.label });
      pass.setPipeline(p);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(x, y);
      pass.end();
    };
  try {
    // FMA: grow the iteration count; count = 0 keeps the store alive but never taken
    const fmaGroups = FMA_INVOCATIONS / WORKGROUP_SIZE;
    const f = await scaleAndTime(
      (iterations, predictedMs) => {
        setUniforms(iterations, 0);
        return timeSubmit(device, dispatch(fma, fmaGroups), 'calibrate fma', predictedMs);
      },
      4,
      minMs,
      1 << 20,
    );
    const gflops = (FMA_INVOCATIONS * f.size * FLOPS_PER_ITERATION) / (f.ms * 1e6);
    // bandwidth: one dispatch copies the whole buffer; several passes per submit until it is long enough
    const vec4s = bytes / 16;
    const groups = Math.ceil(vec4s / (WORKGROUP_SIZE * COPY_PER_INVOCATION));
    const gx = Math.min(groups, 32768);
    const gy = Math.ceil(groups / gx);
    setUniforms(0, vec4s);
    const c = await scaleAndTime(
      (passes, predictedMs) =>
        timeSubmit(
          device,
          (encoder) => {
            for (let i = 0; i < passes; i++) dispatch(copy, gx, gy)(encoder);
          },
          'calibrate copy',
          predictedMs,
        ),
      1,
      minMs,
      64,
    );
    const gbps = (2 * bytes * c.size) / (c.ms * 1e6);
    return { gflops, gbps };
  } finally {
    uniforms.destroy();
    source.destroy();
    sink.destroy();
  }
}
