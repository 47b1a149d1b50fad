import type { RunOptions, SgldResult, SgldSpec } from '../core/engine';
import { flopsPerEvaluation, paramCount } from '../core/layout';
import { metricSets, MetricsView } from '../core/metricsView';
import { taskLoss } from '../core/task';
import { BatchedAnalysis } from './batchedAnalysis';
import { updateInvocations } from './batchedKernels';
import { Chunker, firstChunk } from './chunker';
import { readBuffer } from './gpuBuffers';
import { parameterMajor, toLayout } from './paramLayout';
import { DRAW_BLOCKS, sgldResult, sgldStart, type SgldParts } from './sgldSampler';

/**
 * SGLD chains on the batched kernels (shaders/batched_sgld.wgsl), for nets past what sgld.wgsl
 * holds in one invocation: the same chains, rows, noise and sums as sampleSgldGpu, each step a
 * sequence of passes over (chain, row, unit). Chains go in groups (memory sets the group), each
 * group through all its steps; a step is one timed dispatch with others where the chunker's budget
 * allows, else its rows go in timed slices. Every float32 sum continues in the order sgld.wgsl
 * takes it, so no result depends on the slicing.
 */
export async function sampleSgldBatched(parts: SgldParts, spec: SgldSpec, options: RunOptions = {}): Promise<SgldResult> {
  const { device, buffers, dispatcher, kernels, tasks } = parts;
  const { layout, task, centers, particles, noiseSeed, firstParticle, sgld } = spec;
  const p = paramCount(layout);
  const total = particles * sgld.chains;
  const chainSteps = sgld.burnin + sgld.draws;
  const batchRows = sgld.batch === 'full' ? task.train.rows : sgld.batch;
  const made: GPUBuffer[] = [];
  const data = tasks.acquire(task);
  let analysis: BatchedAnalysis | undefined;
  try {
    const make = (b: GPUBuffer) => (made.push(b), b);
    const centersBuffer = make(buffers.storage('sgld centres', toLayout(centers, particles, p, parameterMajor(particles))));
    const metrics = await parts.evaluator.vectors(layout, task, centersBuffer, particles, parameterMajor(particles), options);
    const centerLoss = new MetricsView(metrics, metricSets(task)).column(0, 0);
    const start = sgldStart(centers, particles, sgld.chains, p);
    // the centres again, then per centre L(w*) and its step size (one binding: batched_sgld.wgsl)
    const info = new Float32Array(particles * p + 2 * particles);
    info.set(toLayout(centers, particles, p, parameterMajor(particles)));
    for (let i = 0; i < particles; i++) {
      info[particles * p + 2 * i] = centerLoss[i];
      info[particles * p + 2 * i + 1] = spec.epsByParticle?.[i] ?? sgld.eps;
    }
    const chainParams = make(buffers.storage('sgld chain parameters', start));
    const diverged = make(buffers.storage('sgld chains diverged', total * 4));
    const chainStats = make(buffers.storage('sgld chain sums', total * 4 * 4));
    const blockSums = make(buffers.storage('sgld draw block sums', total * DRAW_BLOCKS * 4));
    analysis = new BatchedAnalysis(
      device,
      buffers,
      kernels.batchedAnalysis(layout, taskLoss(task)),
      layout,
      batchRows,
      total,
      {
        x: data.x,
        y: data.y,
        params: chainParams,
        diverged,
        centers: make(buffers.storage('sgld centres, their losses and step sizes', info)),
        chainStats,
        blockSums,
      },
      parts.maxWorkBytes,
    );
    const a = analysis;
    // the chunker counts (chain, row) pairs of steps; the first dispatch takes at most one step of every chain
    const chunker = new Chunker(parts.targetDispatchMs, firstChunk(3 * flopsPerEvaluation(layout.widths, 1), total * batchRows));
    const fixed = {
      particles,
      noise_seed: noiseSeed >>> 0,
      first_particle: firstParticle >>> 0,
      train_rows: task.train.rows,
      batch: sgld.batch === 'full' ? 0 : sgld.batch,
      row_mode: 2,
      cell_size: total,
      particle_stride: 1,
      param_stride: total,
      chains: sgld.chains,
      chain_steps: chainSteps,
      burnin: sgld.burnin,
      gamma: sgld.gamma,
      nbeta: sgld.nbeta,
    };
    // step `stepBase + s`'s rows r0 … r0 + rows − 1 (sgld_batch_loss draws after the last rows);
    // the update after the last rows, and after the chain's last step its divergence flags settled
    const rowsOf = (base: ReturnType<BatchedAnalysis['base']>, r0: number, rows: number) => {
      a.gradientChunk(base, 'sgld_output_loss', r0, rows);
      a.vectorPass('sgld_batch_loss', base, 1, r0, rows);
      if (r0 + rows === batchRows) {
        a.vectorPass('sgld_update', base, updateInvocations(1, p));
        if (base.step_base + base.s + 1 === chainSteps) a.vectorPass('settle', base);
      }
    };
    const groups = Math.ceil(total / a.group);
    for (let offset = 0, g = 0; offset < total; offset += a.group, g++) {
      const n = Math.min(a.group, total - offset);
      const stepUnits = n * batchRows;
      for (let done = 0; done < chainSteps;) {
        const units = chunker.next((chainSteps - done) * stepUnits);
        const base = (s: number) => a.base({ ...fixed, step_base: done, s, particle_offset: offset, count: n });
        if (units >= stepUnits) {
          const k = Math.min(chainSteps - done, Math.floor(units / stepUnits));
          const record = () => {
            for (let s = 0; s < k; s++)
              for (let r0 = 0; r0 < batchRows; r0 += a.rows) rowsOf(base(s), r0, Math.min(a.rows, batchRows - r0));
            a.recorder.flush();
          };
          await dispatcher.timed(k * stepUnits, chunker, record, options.signal);
          done += k;
        } else {
          for (let r0 = 0; r0 < batchRows;) {
            const left = batchRows - r0;
            const rows = Math.min(a.rows, left, Math.max(1, Math.floor(chunker.next(n * left) / n)));
            const record = () => {
              rowsOf(base(0), r0, rows);
              a.recorder.flush();
            };
            await dispatcher.timed(n * rows, chunker, record, options.signal);
            r0 += rows;
          }
          done += 1;
        }
        options.onProgress?.((g + done / chainSteps) / groups);
      }
    }
    const stats = new Uint32Array(await readBuffer(device, chainStats, total * 4 * 4));
    const skipped = new Uint32Array(await readBuffer(device, diverged, total * 4));
    const sums = new Float32Array(await readBuffer(device, blockSums, total * DRAW_BLOCKS * 4));
    const chainDiverged = new Uint8Array(total);
    for (let j = 0; j < total; j++) chainDiverged[j] = skipped[j] ? 1 : 0;
    return sgldResult(sgld, centerLoss, sums, stats, 4, chainDiverged);
  } finally {
    analysis?.dispose();
    buffers.release(...made);
    tasks.release(data);
  }
}
