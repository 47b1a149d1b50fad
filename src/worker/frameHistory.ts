/**
 * Per-frame snapshots (metrics, parameters) kept for the inspector's curves and for trails drawn
 * after the fact. Memory is capped: past the cap the history keeps every other frame of those it
 * kept and from then on only accepts frames on that coarser grid (plus always the newest), so a
 * long run keeps an evenly thinned record from first to last frame.
 */
export class FrameHistory {
  readonly steps: number[] = [];
  readonly frames: Float32Array[] = [];
  /** push number of each kept frame */
  private readonly pushed: number[] = [];
  private pushes = 0;
  /** frames kept for good are those whose push number is a multiple of this */
  private stride = 1;
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  push(step: number, data: Float32Array): void {
    // the newest frame is kept even off the grid, until a newer one arrives
    const last = this.pushed.length - 1;
    if (last > 0 && this.pushed[last] % this.stride !== 0) this.drop(last);
    this.steps.push(step);
    this.frames.push(data);
    this.pushed.push(this.pushes++);
    this.bytes += data.byteLength;
    while (this.bytes > this.maxBytes && this.frames.length > 2) this.thin();
  }

  /** Doubles the stride: keeps the frames on the coarser grid, and the newest. */
  private thin(): void {
    this.stride *= 2;
    for (let i = this.frames.length - 2; i >= 0; i--) if (this.pushed[i] % this.stride !== 0) this.drop(i);
  }

  private drop(i: number): void {
    this.bytes -= this.frames[i].byteLength;
    this.steps.splice(i, 1);
    this.frames.splice(i, 1);
    this.pushed.splice(i, 1);
  }

  /** `width` consecutive values of item `index` from every frame: [frames][width]. */
  column(index: number, width: number): Float32Array {
    const out = new Float32Array(this.frames.length * width);
    this.frames.forEach((f, i) => out.set(f.subarray(index * width, (index + 1) * width), i * width));
    return out;
  }
}
