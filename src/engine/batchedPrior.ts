import { domainRows, functionWords, MAX_PRIOR_WORDS, priorProblem } from '../core/instruments/prior/priorSampler';
import type { PriorResult, PriorSpec, RunOptions } from '../core/engine';
import { flopsPerEvaluation, paramCount } from '../core/layout';
import { BatchedAnalysis } from './batchedAnalysis';
import { Chunker, firstChunk } from './chunker';
import { readBuffer } from './gpuBuffers';
import type { PriorParts } from './priorSampler';

/** The most samples one group takes: its parameters are a buffer of group × P floats. */
const MAX_GROUP = 4096;

/**
 * The prior sampler on the batched kernels (shaders/batched_prior.wgsl), for nets past what
 * prior.wgsl holds in one invocation: a group of samples is drawn on the device, run over the
 * domain's rows in timed chunks, and its accepted samples (never rejected) read back with their
 * bits. The same draws and rule as samplePriorGpu, so the same list: accepted indices ascending.
 */
export async function samplePriorBatched(parts: PriorParts, spec: PriorSpec, options: RunOptions = {}): Promise<PriorResult> {
  const { device, buffers, dispatcher, kernels, tasks } = parts;
  const { layout, task, samples } = spec;
  const problem = priorProblem(layout, task, spec.dist);
  if (problem) throw new Error(problem);
  const p = paramCount(layout);
  const rows = domainRows(task);
  const words = functionWords(rows);
  const limits = device.limits;
  const group = Math.max(
    1,
    Math.min(samples, MAX_GROUP, Math.floor(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / (4 * p))),
  );
  const made: GPUBuffer[] = [];
  const data = tasks.acquire(task);
  let analysis: BatchedAnalysis | undefined;
  try {
    const make = (b: GPUBuffer) => (made.push(b), b);
    const params = make(buffers.storage('prior sample parameters', group * p * 4));
    const rejected = make(buffers.storage('prior samples rejected', group * 4));
    const bits = make(buffers.storage('prior sample bits', group * MAX_PRIOR_WORDS * 4));
    analysis = new BatchedAnalysis(device, buffers, kernels.batchedPrior(layout), layout, rows, group, {
      x: data.x,
      y: data.y,
      params,
      diverged: rejected,
      chainStats: bits,
    });
    const a = analysis;
    // the chunker counts (sample, row) pairs
    const chunker = new Chunker(parts.targetDispatchMs, firstChunk(flopsPerEvaluation(layout.widths, 1), 1024));
    const accepted: number[] = [];
    const acceptedBits: number[] = [];
    // (memory may allow fewer than `group` at once: the work buffer holds each sample's activations)
    for (let first = 0; first < samples; first += a.group) {
      const n = Math.min(a.group, samples - first);
      const encoder = device.createCommandEncoder({ label: 'prior group reset' });
      encoder.clearBuffer(rejected);
      encoder.clearBuffer(bits);
      device.queue.submit([encoder.finish()]);
      const base = a.base({
        particles: n,
        noise_seed: spec.seed >>> 0,
        first_particle: (spec.firstSample + first) >>> 0,
        train_rows: task.train.rows,
        row_mode: 1,
        cell_size: n,
        count: n,
        particle_stride: 1,
        param_stride: n,
        init_gaussian: spec.dist === 'gaussian' ? 1 : 0,
        init_scale: spec.scale,
      });
      a.vectorPass('prior_init', base, p);
      for (let r0 = 0; r0 < rows;) {
        const left = rows - r0;
        const r = Math.min(a.rows, left, Math.max(1, Math.floor(chunker.next(n * left) / n)));
        const record = () => {
          a.forwardChunk(base, r0, r);
          a.vectorPass('prior_bits', base, 1, r0, r);
          a.recorder.flush();
        };
        await dispatcher.timed(n * r, chunker, record, options.signal);
        r0 += r;
      }
      const no = new Uint32Array(await readBuffer(device, rejected, n * 4));
      const got = new Uint32Array(await readBuffer(device, bits, n * MAX_PRIOR_WORDS * 4));
      for (let j = 0; j < n; j++) {
        if (no[j]) continue;
        accepted.push(spec.firstSample + first + j);
        for (let w = 0; w < words; w++) acceptedBits.push(got[j * MAX_PRIOR_WORDS + w]);
      }
      options.onProgress?.((first + n) / samples);
    }
    return { accepted: Uint32Array.from(accepted), bits: Uint32Array.from(acceptedBits) };
  } finally {
    analysis?.dispose();
    buffers.release(...made);
    tasks.release(data);
  }
}
