/**
 * Sizes chunks of GPU work so one dispatch takes about `targetMs`: long enough to keep the device
 * busy, short enough never to trip a laptop's GPU watchdog and to answer cancellation quickly.
 * It learns the cost per unit (a step, a grid point) from the chunk it timed last, and grows at
 * most 4× per chunk, since the first chunk's time includes pipeline compilation.
 */
export class Chunker {
  private msPerUnit = 0;
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

  record(units: number, ms: number): void {
    this.msPerUnit = Math.max(ms, 0.01) / units;
    this.lastUnits = units;
  }
}
