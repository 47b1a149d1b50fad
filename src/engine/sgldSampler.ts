import type { RunOptions, SgldResult, SgldSettings, SgldSpec } from '../core/engine';
import { flopsPerParticleStep, paramCount } from '../core/layout';
import { metricSets, MetricsView } from '../core/metricsView';
import { taskLoss } from '../core/task';
import { Chunker, firstChunk } from './chunker';
import type { DeviceBuffers } from './deviceBuffers';
import { MAX_WORKGROUPS, WORKGROUP_SIZE, type Dispatcher } from './dispatch';
import type { Evaluator } from './evaluation';
import { bindBuffers, readBuffer } from './gpuBuffers';
import { SGLD_UNIFORMS } from './kernelUniforms';
import type { Kernels } from './kernels';
import { parameterMajor, toLayout } from './paramLayout';
import type { TaskUploads } from './taskUploads';

/** What the SGLD sampler needs of the engine. */
export interface SgldParts {
  readonly device: GPUDevice;
  readonly buffers: DeviceBuffers;
  readonly dispatcher: Dispatcher;
  readonly kernels: Kernels;
  readonly tasks: TaskUploads;
  readonly evaluator: Evaluator;
  readonly targetDispatchMs: number;
  /** the most bytes a batched work buffer takes (tests lower it to force row chunks) */
  readonly maxWorkBytes?: number;
}

/**
 * The fewest chains one dispatch takes when not every chain fits, where the chunker's budget
 * allows it: a group must still fill a device, but a big net on a slow device gets smaller
 * groups, down to one chain (the kernel's bound is the group's end, chain_end), since a dispatch
 * cannot be stopped once submitted.
 */
const MIN_GROUP = 512;
/** Block sums per chain (DRAW_BLOCKS in shaders/sgld.wgsl): each over a fixed run of consecutive draws. */
export const DRAW_BLOCKS = 64;

/**
 * Every chain's start, [p][particles × chains] parameter-major over chains: its particle's centre
 * (chain j belongs to particle ⌊j / chains⌋). The per-chain and the batched samplers both take it.
 */
export function sgldStart(centers: Float32Array, particles: number, chains: number, p: number): Float32Array {
  const total = particles * chains;
  const start = new Float32Array(total * p);
  for (let j = 0; j < total; j++) {
    const i = Math.floor(j / chains);
    for (let k = 0; k < p; k++) start[k * total + j] = centers[i * p + k];
  }
  return start;
}

/**
 * The chains' results from what the device summed: chain j's DRAW_BLOCKS float32 block sums of
 * (batch loss − L(w*)) in `blockSums` (the blocks the draws used added here in float64, in order),
 * its draws below L(w*) at `stats[stride * j + 1]`, and whether it diverged (its mean and share
 * then NaN).
 */
export function sgldResult(
  sgld: SgldSettings,
  centerLoss: Float32Array,
  blockSums: Float32Array,
  stats: Uint32Array,
  stride: number,
  diverged: Uint8Array,
): SgldResult {
  const total = diverged.length;
  const usedBlocks = Math.ceil(sgld.draws / Math.ceil(sgld.draws / DRAW_BLOCKS));
  const meanLoss = new Float64Array(total);
  const below = new Float64Array(total);
  for (let j = 0; j < total; j++) {
    const lStar = centerLoss[Math.floor(j / sgld.chains)];
    let sum = 0;
    for (let b = 0; b < usedBlocks; b++) sum += blockSums[j * DRAW_BLOCKS + b];
    meanLoss[j] = diverged[j] ? NaN : lStar + sum / sgld.draws;
    below[j] = diverged[j] ? NaN : stats[stride * j + 1] / sgld.draws;
  }
  return { centerLoss: Float64Array.from(centerLoss), meanLoss, below, diverged };
}

/**
 * SGLD chains around every centre on the device (shaders/sgld.wgsl): L(w*) by the evaluator, then
 * every chain (particle × chain) stepped in timed dispatches of many steps, so progress and
 * cancellation come between them and none runs long; only the per-chain sums come back. Each chain's
 * draws are summed in float32 over fixed blocks of draws and the blocks added here in float64, in
 * order, so no result depends on how the chunker sliced the work.
 */
export async function sampleSgldGpu(parts: SgldParts, spec: SgldSpec, options: RunOptions = {}): Promise<SgldResult> {
  const { device, buffers, dispatcher, kernels, tasks } = parts;
  const { layout, task, centers, particles, noiseSeed, firstParticle, sgld } = spec;
  const p = paramCount(layout);
  const total = particles * sgld.chains;
  const chainSteps = sgld.burnin + sgld.draws;
  const made: GPUBuffer[] = [];
  const data = tasks.acquire(task);
  try {
    const make = (b: GPUBuffer) => (made.push(b), b);
    const centersBuffer = make(buffers.storage('sgld centres', toLayout(centers, particles, p, parameterMajor(particles))));
    const metrics = await parts.evaluator.vectors(layout, task, centersBuffer, particles, parameterMajor(particles), options);
    const centerLoss = new MetricsView(metrics, metricSets(task)).column(0, 0);
    const start = sgldStart(centers, particles, sgld.chains, p);
    // per particle: L(w*), then its step size
    const info = new Float32Array(2 * particles);
    for (let i = 0; i < particles; i++) {
      info[2 * i] = centerLoss[i];
      info[2 * i + 1] = spec.epsByParticle?.[i] ?? sgld.eps;
    }
    const lossBuffer = make(buffers.storage('sgld centre losses and step sizes', info));
    const chainParams = make(buffers.storage('sgld chain parameters', start));
    const stats = make(buffers.storage('sgld chain sums', total * 3 * 4));
    const blocks = make(buffers.storage('sgld draw block sums', total * DRAW_BLOCKS * 4));
    const uniforms = make(buffers.uniform('sgld uniforms', SGLD_UNIFORMS));
    const pipeline = kernels.sgld(layout, taskLoss(task));
    const bound = [uniforms, data.x, data.y, centersBuffer, lossBuffer, chainParams, stats, blocks];
    const bindGroup = bindBuffers(device, 'sgld bind group', pipeline.getBindGroupLayout(0), bound);
    const submit = (stepBase: number, steps: number, offset: number, count: number) => {
      const values = {
        step_base: stepBase,
        steps,
        particles,
        chains: sgld.chains,
        chain_steps: chainSteps,
        burnin: sgld.burnin,
        noise_seed: noiseSeed >>> 0,
        first_particle: firstParticle >>> 0,
        train_rows: task.train.rows,
        batch: sgld.batch === 'full' ? 0 : sgld.batch,
        eps: sgld.eps,
        gamma: sgld.gamma,
        nbeta: sgld.nbeta,
        chain_offset: offset,
        chain_end: offset + count,
      };
      device.queue.writeBuffer(uniforms, 0, SGLD_UNIFORMS.pack(values));
      dispatcher.submit('sgld', pipeline, bindGroup, Math.ceil(count / WORKGROUP_SIZE));
    };
    // the chunker counts chain-steps: every chain takes k steps per round, in groups where one step of all is too much
    const rows = sgld.batch === 'full' ? task.train.rows : sgld.batch;
    const chunker = new Chunker(
      parts.targetDispatchMs,
      firstChunk(flopsPerParticleStep(layout.widths, rows, 'sgd'), Math.min(total, 4096)),
    );
    const maxGroup = Math.min(total, MAX_WORKGROUPS * WORKGROUP_SIZE);
    for (let done = 0; done < chainSteps;) {
      const left = chainSteps - done;
      const units = chunker.next(left * total);
      const floor = Math.min(MIN_GROUP, units);
      const group = Math.min(maxGroup, Math.max(floor, Math.floor(units / WORKGROUP_SIZE) * WORKGROUP_SIZE));
      const k = Math.max(1, Math.min(left, Math.floor(units / group)));
      for (let offset = 0; offset < total; offset += group) {
        const n = Math.min(group, total - offset);
        await dispatcher.timed(n * k, chunker, () => submit(done, k, offset, n), options.signal);
      }
      done += k;
      options.onProgress?.(done / chainSteps);
    }
    const counts = new Uint32Array(await readBuffer(device, stats, total * 3 * 4));
    const blockSums = new Float32Array(await readBuffer(device, blocks, total * DRAW_BLOCKS * 4));
    const diverged = new Uint8Array(total);
    for (let j = 0; j < total; j++) diverged[j] = counts[3 * j + 2];
    return sgldResult(sgld, centerLoss, blockSums, counts, 3, diverged);
  } finally {
    buffers.release(...made);
    tasks.release(data);
  }
}
