import type { TrainingSession } from '../core/engine';
import type { Task } from '../core/task';

/**
 * Random classification data of a net's shape (`outputs` 1: two classes): the work of a training
 * step does not depend on the values, so the model axis and the kernel experiments time this.
 */
export function randomTask(inputs: number, outputs: number, rows: number): Task {
  const classes = outputs === 1 ? 2 : outputs;
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const set = () => ({
    x: new Float32Array(rows * inputs).map(() => rand()),
    y: Int32Array.from({ length: rows }, () => Math.floor(rand() * classes)),
    rows,
  });
  return {
    name: 'random',
    description: `random data, ${inputs} inputs, ${classes} classes`,
    inputs,
    classes,
    train: set(),
    probes: [],
    params: {},
  };
}

const now = () => performance.now() / 1000;

/**
 * Steady particle-steps per second of a started session: 2 steps to guess the rate, then a run of
 * about `seconds` (or exactly `fixedSteps`, for fixed work) timed alone.
 */
export async function steadyRate(session: TrainingSession, particles: number, seconds: number, fixedSteps?: number): Promise<number> {
  let t0 = now();
  await session.advance(2);
  const guess = (2 * particles) / (now() - t0);
  const steps = fixedSteps ?? Math.max(2, Math.round((seconds * guess) / particles));
  t0 = now();
  await session.advance(steps);
  return (steps * particles) / (now() - t0);
}

/**
 * The settled rate, in particle-steps per second, of anything that trains `particles` particles
 * `steps` at a time: timed runs of about `seconds` each (the first sized from 2 steps), repeated
 * while a run is still more than 10% faster than the best before it, at most `maxRuns`; the best
 * is kept. The GPU engine's dispatches grow over its first runs: 3-16-1 at 8 particles read
 * 1,228, 2,359, 5,785 and 60,554 particle-steps/s in four consecutive 0.5 s runs of one session
 * on SwiftShader, so one run after the first step times the start-up, not the rate. The model
 * axis times our engine and every peer this way.
 */
export async function settledRate(
  advance: (steps: number) => Promise<void>,
  particles: number,
  seconds: number,
  maxRuns = 6,
): Promise<number> {
  let t0 = now();
  await advance(2);
  const guess = (2 * particles) / (now() - t0);
  let best = 0;
  for (let run = 0; run < maxRuns; run++) {
    const steps = Math.max(2, Math.round((seconds * Math.max(best, guess)) / particles));
    t0 = now();
    await advance(steps);
    const r = (steps * particles) / (now() - t0);
    const settled = best > 0 && r < 1.1 * best;
    best = Math.max(best, r);
    if (settled) break;
  }
  return best;
}
