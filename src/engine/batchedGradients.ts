import type { RunOptions } from '../core/engine';
import { flopsPerEvaluation, paramCount, type ModelLayout } from '../core/layout';
import { taskLoss, type Task } from '../core/task';
import { BatchedAnalysis } from './batchedAnalysis';
import { firstChunk, type Chunker } from './chunker';
import type { EvaluationParts } from './evaluation';
import { readBuffer } from './gpuBuffers';

/**
 * Full-training-set gradients on the batched kernels, for nets past what shaders/gradients.wgsl
 * holds in one invocation: the trainer's forward, backward and gradient passes over every training
 * row in order (full batch), a group of vectors at a time, the rows in timed slices. The mean is
 * taken as the trainer takes it (the sum times 1 / rows, where gradients.wgsl divides: the two
 * differ by float32 rounding).
 */
export class BatchedGradients {
  constructor(private readonly parts: EvaluationParts) {}

  /** The chunker's first dispatch for `layout`: a gradient costs about three forward passes, counted per (vector, row). */
  static firstChunk(layout: ModelLayout): number {
    return firstChunk(3 * flopsPerEvaluation(layout.widths, 1), 1024);
  }

  /**
   * ∇L of the `n` vectors in `vectors` ([n][P]), [n][P]; `chunker` times one (vector, row), for
   * this model and training set (GradientEvaluator keeps them, started at firstChunk).
   */
  async gradients(
    layout: ModelLayout,
    task: Task,
    vectors: Float32Array,
    n: number,
    chunker: Chunker,
    options: RunOptions,
  ): Promise<Float32Array> {
    const { device, buffers, dispatcher, kernels, tasks } = this.parts;
    const p = paramCount(layout);
    const rowsTotal = task.train.rows;
    const data = tasks.acquire(task);
    const made: GPUBuffer[] = [];
    let analysis: BatchedAnalysis | undefined;
    try {
      const params = buffers.storage('batched gradient vectors', vectors);
      made.push(params);
      const diverged = buffers.storage('batched gradient skips (none)', n * 4);
      made.push(diverged);
      const out = buffers.storage('batched gradients', n * p * 4);
      made.push(out);
      analysis = new BatchedAnalysis(device, buffers, kernels.batchedAnalysis(layout, taskLoss(task)), layout, rowsTotal, n, {
        x: data.x,
        y: data.y,
        params,
        diverged,
      });
      const a = analysis;
      for (let offset = 0; offset < n; offset += a.group) {
        const m = Math.min(a.group, n - offset);
        const base = a.base({
          particles: n,
          train_rows: rowsTotal,
          row_mode: 1,
          cell_size: n,
          particle_offset: offset,
          count: m,
          particle_stride: p,
          param_stride: 1,
        });
        for (let r0 = 0; r0 < rowsTotal;) {
          const left = rowsTotal - r0;
          const rows = Math.min(a.rows, left, Math.max(1, Math.floor(chunker.next(m * left) / m)));
          await dispatcher.timed(
            m * rows,
            chunker,
            () => {
              a.gradientChunk(base, 'output_deltas', r0, rows);
              a.recorder.flush();
            },
            options.signal,
          );
          r0 += rows;
          options.onProgress?.((offset + (m * r0) / rowsTotal) / n);
        }
        const encoder = device.createCommandEncoder({ label: 'batched gradients copy' });
        encoder.copyBufferToBuffer(a.work, a.workExtra * 4, out, offset * p * 4, m * p * 4);
        device.queue.submit([encoder.finish()]);
      }
      return new Float32Array(await readBuffer(device, out, n * p * 4));
    } finally {
      analysis?.dispose();
      buffers.release(...made);
      tasks.release(data);
    }
  }
}
