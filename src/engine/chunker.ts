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
