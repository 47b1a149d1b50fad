import { countClasses } from '../../core/stats';
import type { BasinFrame, Band, Frame, LossMap, RunEvent, TaskInfo } from '../../worker/protocol';
import { TimeLeft } from './timeLeft';

/** Most particles that leave trails: beyond this the lines would be noise (and slow). */
export const MAX_TRAIL_PARTICLES = 2048;
/** Frames of history each trail shows. */
export const TRAIL_FRAMES = 24;

/** One point of the curves: a frame's digest, without its per-particle arrays. */
export interface CurvePoint {
  readonly step: number;
  readonly trainLoss: Band;
  readonly trainAcc: Band;
  readonly probeAcc: readonly Band[];
  readonly tracked: Float32Array;
}

/**
 * Everything the current run has streamed so far, as the views read it. Big arrays are
 * $state.raw: each event replaces them, nothing mutates them in place.
 */
export class RunData {
  task = $state.raw<TaskInfo | undefined>();
  particles = $state(0);
  steps = $state(0);
  tracked = $state.raw<readonly number[]>([]);
  step = $state(0);
  progress = $state(0);
  phase = $state('');
  particleStepsPerSecond = $state(0);
  outcomes = $state.raw<Uint8Array>(new Uint8Array(0));
  positions = $state.raw<Float32Array | undefined>();
  /** the last TRAIL_FRAMES position arrays, oldest first */
  trail = $state.raw<Float32Array[]>([]);
  curves = $state.raw<CurvePoint[]>([]);
  lossMap = $state.raw<LossMap | undefined>();
  basin = $state.raw<BasinFrame | undefined>();

  counts = $derived(this.task ? countClasses(this.outcomes, this.task.outcomeClasses.length) : []);
  /** the run's measured rate after warm-up, for the time estimate */
  private readonly timeLeft = new TimeLeft();
  /** bumped with each sample, so that a view reading secondsLeft re-reads it */
  private samples = $state(0);
  /** seconds the run still needs at its measured rate after warm-up; undefined before that is known */
  secondsLeft(now: number): number | undefined {
    void this.samples;
    return this.timeLeft.secondsLeft(now);
  }

  private sample(): void {
    this.timeLeft.sample(performance.now(), this.progress);
    this.samples++;
  }

  /**
   * A new run begins: only its progress resets here. What is on screen stays until the new run's
   * own data replaces it (in one update per animation frame), so the page neither flashes empty
   * nor renders everything twice; charts built for the same task and particles are kept.
   */
  reset(): void {
    this.step = 0;
    this.progress = 0;
    this.phase = '';
    this.particleStepsPerSecond = 0;
    this.timeLeft.reset();
  }

  apply(event: RunEvent): void {
    switch (event.type) {
      case 'started':
        this.timeLeft.reset();
        if (event.particles !== this.particles) this.positions = undefined;
        if (JSON.stringify(event.task) !== JSON.stringify(this.task)) {
          // another task: the old map, its colour scale and its dots say nothing about this one
          this.task = event.task;
          this.lossMap = undefined;
          this.basin = undefined;
          this.positions = undefined;
        }
        this.particles = event.particles;
        this.steps = event.steps;
        if (event.tracked.join() !== this.tracked.join()) this.tracked = event.tracked;
        this.curves = [];
        this.trail = [];
        this.outcomes = new Uint8Array(0);
        break;
      case 'phase':
        this.phase = event.detail;
        break;
      case 'progress':
        this.progress = event.fraction;
        // only once warm: progress within the first frame includes compiling and the plane
        if (this.timeLeft.warm) this.sample();
        break;
      case 'lossMap':
        this.lossMap = event.map;
        // the basin map of the previous plane no longer matches; positions follow with the next frame
        this.basin = undefined;
        this.positions = undefined;
        break;
      case 'frame':
        this.applyFrame(event.frame);
        this.sample();
        break;
      case 'basin':
        this.basin = event.basin;
        break;
      case 'trajectory': {
        const n = this.particles * 2;
        const frames = event.steps.map((_, f) => event.positions.subarray(f * n, (f + 1) * n));
        this.trail = frames.slice(-TRAIL_FRAMES);
        this.positions = frames[frames.length - 1];
        break;
      }
      case 'paused':
        break;
    }
  }

  private applyFrame(frame: Frame): void {
    this.step = frame.step;
    this.progress = frame.step / Math.max(1, frame.totalSteps);
    this.outcomes = frame.outcomes;
    this.particleStepsPerSecond = frame.particleStepsPerSecond || this.particleStepsPerSecond;
    if (frame.positions) {
      this.positions = frame.positions;
      this.trail = [...this.trail.slice(1 - TRAIL_FRAMES), frame.positions];
    }
    const { trainLoss, trainAcc, probeAcc, tracked, step } = frame;
    this.curves = [...this.curves, { step, trainLoss, trainAcc, probeAcc, tracked }];
  }
}
