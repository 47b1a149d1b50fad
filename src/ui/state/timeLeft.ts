/** Seconds of progress samples the rate is measured over: long enough to smooth frames, short enough to follow a faster kernel. */
export const RATE_WINDOW_MS = 15_000;
/** The least progress and time measured before an estimate is given: a guess from less is noise. */
export const MIN_MEASURED_FRACTION = 0.02;
export const MIN_MEASURED_MS = 3_000;

/**
 * Time left in a run, from its own measured rate after warm-up, and none before. Warm-up (the
 * engine starting, pipelines compiling, the plane and its loss map) is not the rate of training:
 * counting it from the run's start made early estimates 4–6× too long (issue 25). Samples start
 * at the first trained frame; the rate is taken over the last RATE_WINDOW_MS of them, so a kernel
 * that gets faster mid-run (the unrolled trainer arriving) is followed within that window. Progress
 * that falls back (a second phase counting from 0) starts the measurement again.
 */
export class TimeLeft {
  private samples: { t: number; p: number }[] = [];

  /** Forget everything: a new run. */
  reset(): void {
    this.samples = [];
  }

  /** Progress `p` (0..1) at time `t` (ms), once warm: from the first trained frame on. */
  sample(t: number, p: number): void {
    const last = this.samples.at(-1);
    if (last && p < last.p) this.samples = [];
    this.samples.push({ t, p });
    // keep one sample older than the window, so the window is always spanned
    while (this.samples.length > 2 && this.samples[1].t < t - RATE_WINDOW_MS) this.samples.shift();
  }

  get warm(): boolean {
    return this.samples.length > 0;
  }

  /** Seconds left at the measured rate; undefined before enough has been measured, or when done. */
  secondsLeft(now: number): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.p >= 1) return undefined;
    const dp = last.p - first.p;
    const dt = last.t - first.t;
    if (dp < MIN_MEASURED_FRACTION || dt < MIN_MEASURED_MS) return undefined;
    // from the last sample's time: the time since it counts as spent
    return Math.max(0, (dt / dp) * (1 - last.p) - (now - last.t)) / 1000;
  }
}
