import type { ModelLayout } from '../core/layout';

/**
 * The work a first, untimed chunk may hold, in floating-point operations: about 0.2 s at the
 * slowest rate measured (SwiftShader's looped kernel on a 3,312-parameter net under load, about
 * 0.06 GFLOP/s), so a first chunk of a big model cannot hold the device for minutes, as the
 * grokking story's first dispatch of 4,096 particle-steps once did (issue 25). A fast device
 * reaches its full chunk size after a few chunks of 4× growth.
 */
export const FIRST_CHUNK_FLOPS = 1e7;

/** The size of a first chunk of units costing `flopsPerUnit` each: at least 1, at most `cap`. */
export function firstChunk(flopsPerUnit: number, cap: number): number {
  return Math.max(1, Math.min(cap, Math.floor(FIRST_CHUNK_FLOPS / Math.max(1, flopsPerUnit))));
}

/** A model's shape as part of a cache key (widths, activation, biases): chunkers learn per shape. */
export function modelKey(layout: ModelLayout): string {
  return `${layout.widths.join('-')} ${layout.activation} ${layout.bias === false ? 'no-bias' : 'bias'}`;
}

/** The chunker kept under `key`, made by `make` the first time: a work's learnt size outlives one call. */
export function keptChunker(kept: Map<string, Chunker>, key: string, make: () => Chunker): Chunker {
  let chunker = kept.get(key);
  if (!chunker) kept.set(key, (chunker = make()));
  return chunker;
}

/**
 * Sizes chunks of GPU work so one dispatch takes about `targetMs`: long enough to keep the device
 * busy, short enough never to trip a laptop's GPU watchdog and to answer cancellation quickly.
 * It learns the cost per unit (a step, a grid point) from the chunk it timed last, and grows at
 * most 4× per chunk, since the first chunk's time includes pipeline compilation.
 */
export class Chunker {
  private msPerUnit = 0;
  private fastestMsPerUnit = Infinity;
  private lastUnits: number;

  constructor(
    private readonly targetMs: number,
    firstChunk: number,
  ) {
    this.lastUnits = firstChunk;
  }

  next(remaining: number): number {
    let units = this.lastUnits;
    if (this.msPerUnit > 0) units = Math.min(4 * this.lastUnits, Math.floor(this.targetMs / this.msPerUnit));
    return Math.max(1, Math.min(remaining, units));
  }

  /**
   * The least time `units` have taken, from the fastest chunk so far per unit (0 before any was
   * timed): a waiter may sleep through most of it. The fastest, not the last, since a chunk slowed
   * by compilation, load or an over-long sleep would otherwise make the next sleep too long too.
   */
  predictMs(units: number): number {
    return Number.isFinite(this.fastestMsPerUnit) ? this.fastestMsPerUnit * units : 0;
  }

  record(units: number, ms: number): void {
    this.msPerUnit = Math.max(ms, 0.01) / units;
    this.fastestMsPerUnit = Math.min(this.fastestMsPerUnit, this.msPerUnit);
    this.lastUnits = units;
  }
}
