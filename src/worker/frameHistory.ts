/**
 * Per-frame snapshots (metrics, parameters) kept for the inspector's curves and for trails drawn
 * after the fact. Memory is capped: past the cap every other snapshot is dropped, so a long run
 * keeps an evenly thinned record from first to last frame.
 */
export class FrameHistory {
  readonly steps: number[] = [];
  readonly frames: Float32Array[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  push(step: number, data: Float32Array): void {
    this.steps.push(step);
    this.frames.push(data);
    this.bytes += data.byteLength;
    while (this.bytes > this.maxBytes && this.frames.length > 2) this.thin();
  }

  /** Keeps frames 0, 2, 4, ... and the last. */
  private thin(): void {
    const keep = this.frames.map((_, i) => i % 2 === 0 || i === this.frames.length - 1);
    const steps = this.steps.filter((_, i) => keep[i]);
    const frames = this.frames.filter((_, i) => keep[i]);
    this.steps.splice(0, this.steps.length, ...steps);
    this.frames.splice(0, this.frames.length, ...frames);
    this.bytes = frames.reduce((n, f) => n + f.byteLength, 0);
  }

  /** `width` consecutive values of item `index` from every frame: [frames][width]. */
  column(index: number, width: number): Float32Array {
    const out = new Float32Array(this.frames.length * width);
    this.frames.forEach((f, i) => out.set(f.subarray(index * width, (index + 1) * width), i * width));
    return out;
  }
}
