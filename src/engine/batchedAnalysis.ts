import { layerSpans, paramCount, type ModelLayout } from '../core/layout';
import { FLAG_WORDS, type BatchedAnalysisPass, type BatchedPipelines, type BatchedPriorPass } from './batchedKernels';
import { batchedShape, unitCount, workBytesLimit } from './batchedTrain';
import { backwardInvocations, forwardInvocations, gradientInvocations } from './batchedTiles';
import type { DeviceBuffers } from './deviceBuffers';
import { BATCHED_UNIFORMS } from './kernelUniforms';
import { PassRecorder } from './passRecorder';

/** What the analysis passes bind beyond the trainer's: SGLD's centres and sums, or nothing (full-batch gradients). */
export interface AnalysisBindings {
  readonly x: GPUBuffer;
  readonly y: GPUBuffer;
  /** the vectors (gradients) or the chains' positions (SGLD), at i · particleStride + k · paramStride */
  readonly params: GPUBuffer;
  /** a u32 per vector: non-zero skips it (SGLD's diverged chains) */
  readonly diverged: GPUBuffer;
  /** SGLD: the centres, then their losses and step sizes (shaders/batched_sgld.wgsl) */
  readonly centers?: GPUBuffer;
  readonly chainStats?: GPUBuffer;
  readonly blockSums?: GPUBuffer;
}

type Values = Parameters<PassRecorder['add']>[1];

/** A record of zeros: each analysis sets the fields its passes read. */
const ZEROS = Object.fromEntries(Object.keys(BATCHED_UNIFORMS.fields).map((k) => [k, 0])) as Values;

/**
 * The batched kernels' gradient passes over a population of vectors (shaders/batched_train.wgsl,
 * batched_sgld.wgsl), for the analyses of nets past what the per-particle kernels hold: a group of
 * vectors at a time (memory sets it) and the batch in row chunks (memory again), each element's
 * sums continued in row order, so neither changes a result. The mean gradient of vector j of the
 * group lies in `work` at work_extra + j · P once every row chunk of a step is recorded.
 */
export class BatchedAnalysis {
  readonly group: number;
  readonly rows: number;
  readonly recorder: PassRecorder;
  /** the work buffer: z, a, deltas ([group][rows][units] each), gradients [group][P], row losses [group][rows], divergence flags [group][FLAG_WORDS] */
  readonly work: GPUBuffer;
  /** f32 index of the gradients in `work` */
  readonly workExtra: number;
  private readonly made: GPUBuffer[] = [];

  constructor(
    device: GPUDevice,
    private readonly buffers: DeviceBuffers,
    /** SGLD's and the gradients' passes, or the prior sampler's (bound alike) */
    readonly pipelines: BatchedPipelines<BatchedAnalysisPass> | BatchedPipelines<BatchedPriorPass>,
    private readonly layout: ModelLayout,
    readonly batchRows: number,
    vectors: number,
    bound: AnalysisBindings,
    maxWorkBytes?: number,
  ) {
    const p = paramCount(layout);
    const shape = batchedShape(layout, batchRows, vectors, workBytesLimit(device, maxWorkBytes), 1);
    this.rows = shape.rows;
    this.group = shape.group;
    const zSize = this.group * this.rows * unitCount(layout);
    this.workExtra = 3 * zSize;
    this.work = this.make(buffers.storage('batched analysis work', (this.workExtra + this.group * (p + this.rows + FLAG_WORDS)) * 4));
    const unused = (label: string) => this.make(buffers.storage(label, 16));
    const storage: [number, GPUBuffer][] = [
      [1, bound.x],
      [2, bound.y],
      [3, bound.params],
      [5, bound.diverged],
      [8, this.work],
      [9, bound.centers ?? unused('batched analysis: no centres')],
      [10, bound.chainStats ?? unused('batched analysis: no chain sums')],
      [11, bound.blockSums ?? unused('batched analysis: no block sums')],
    ];
    this.recorder = new PassRecorder(device, buffers, 'batched analysis');
    this.recorder.use(
      device.createBindGroup({
        label: 'batched analysis bind group',
        layout: pipelines.bindings,
        entries: [
          { binding: 0, resource: this.recorder.uniformBinding },
          ...storage.map(([binding, buffer]) => ({ binding, resource: { buffer } })),
        ],
      }),
    );
  }

  /** The uniform record's fields every pass shares, less those of the pass itself. */
  base(values: Partial<Values>): Values {
    const zSize = this.workExtra / 3;
    return {
      ...ZEROS,
      batch_rows: this.batchRows,
      work_a: zSize,
      work_delta: 2 * zSize,
      work_extra: this.workExtra,
      work_loss: this.workExtra + this.group * paramCount(this.layout),
      work_flags: this.workExtra + this.group * (paramCount(this.layout) + this.rows),
      ...values,
    };
  }

  /**
   * Records one row chunk's passes for `count` vectors (from base.particle_offset): inputs, the
   * forward layers, the output loss pass (`lossPass`), the backward layers and the gradients.
   */
  gradientChunk(base: Values, lossPass: 'output_deltas' | 'sgld_output_loss', rowFirst: number, rows: number): void {
    const { pipelines, recorder } = this;
    const spans = layerSpans(this.layout);
    const count = base.count;
    const passes = (pipelines as BatchedPipelines<BatchedAnalysisPass>).passes;
    const pass = (name: BatchedAnalysisPass, layer: number, invocations: number) =>
      recorder.add(passes[name], { ...base, layer, row_first: rowFirst, rows }, invocations);
    pass('load_inputs', 0, count * rows * this.layout.widths[0]);
    spans.forEach((span, l) => pass('forward_layer', l, forwardInvocations(this.pipelines.tiles, count, rows, span)));
    pass(lossPass, 0, count * rows);
    for (let l = spans.length - 1; l >= 1; l--) pass('backward_layer', l, backwardInvocations(this.pipelines.tiles, count, rows, spans[l]));
    spans.forEach((span, l) => pass('gradients', l, gradientInvocations(this.pipelines.tiles, count, span)));
  }

  /** A pass over every vector (`perVector` invocations each) with this record. */
  vectorPass(name: BatchedAnalysisPass | BatchedPriorPass, base: Values, perVector = 1, rowFirst = 0, rows = this.rows): void {
    const passes = this.pipelines.passes as Record<string, GPUComputePipeline>;
    this.recorder.add(passes[name], { ...base, layer: 0, row_first: rowFirst, rows }, base.count * perVector);
  }

  /** Records one row chunk's inputs and forward layers for `base.count` vectors: the network's outputs for rows rowFirst … */
  forwardChunk(base: Values, rowFirst: number, rows: number): void {
    const passes = this.pipelines.passes as Record<string, GPUComputePipeline>;
    this.recorder.add(passes.load_inputs, { ...base, layer: 0, row_first: rowFirst, rows }, base.count * rows * this.layout.widths[0]);
    layerSpans(this.layout).forEach((span, l) =>
      this.recorder.add(
        passes.forward_layer,
        { ...base, layer: l, row_first: rowFirst, rows },
        forwardInvocations(this.pipelines.tiles, base.count, rows, span),
      ),
    );
  }

  private make(buffer: GPUBuffer): GPUBuffer {
    this.made.push(buffer);
    return buffer;
  }

  dispose(): void {
    this.recorder.dispose();
    this.buffers.release(...this.made);
  }
}
