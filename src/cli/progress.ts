/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes, files
 * or CI logs), and rate-limited so printing never slows the work.
 */
export class ProgressBar {
  private readonly enabled: boolean;
  private readonly start = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    stream: NodeJS.WriteStream = process.stderr,
    private readonly out = stream,
  ) {
    this.enabled = Boolean(stream.isTTY);
  }

  update = (fraction: number): void => {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && fraction < 1) return;
    this.lastDraw = now;
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = (now - this.start) / 1000;
    const eta = fraction > 0.02 ? ` ~${Math.max(0, seconds / fraction - seconds).toFixed(0)} s left` : '';
    this.out.write(
      `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${seconds.toFixed(1)} s${eta}   `,
    );
  };

  done(): void {
    if (this.enabled) this.out.write('\r\x1b[2K');
  }
}
