import type { RunSettings } from '../../worker/protocol';

/** What every instrument's view needs to know of the run on screen. */
export interface RunView {
  readonly particles: number;
  /** the results on screen are finished (or stopped): an ensemble to measure */
  readonly trained: boolean;
  readonly settings: RunSettings | undefined;
  /** the probe sets' names of the run on screen's task; absent before its first run has named them */
  readonly probes?: readonly string[];
}

/** The part of the settings that decides the particles: a measurement stays true of them while it holds. */
export const trainingKey = (s: RunSettings | undefined): string => (s ? JSON.stringify([s.config, s.sharedInit]) : '');
