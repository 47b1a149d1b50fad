import type { TrainSpec } from './engine';
import { paramCount, type ModelLayout } from './layout';
import type { Hyper } from './optimizer';
import type { Task } from './task';

/** What is trained, and how. */
export interface TrainSetup {
  readonly layout: ModelLayout;
  readonly task: Task;
  readonly hyper: Hyper;
}

/** Which noise streams a run's particles draw: particle i uses stream firstParticle + i of noiseSeed. */
export interface NoiseStreams {
  readonly noiseSeed: number;
  readonly firstParticle: number;
}

/**
 * The engine's TrainSpec for the initial parameters `init` ([particles][P]): one particle per
 * vector. Every caller (ensembles, basin maps, the sandbox, the benchmark) builds it here, so
 * they all pick noise streams the same way.
 */
export function trainSpec(setup: TrainSetup, init: Float32Array, streams: NoiseStreams): TrainSpec {
  const p = paramCount(setup.layout);
  if (init.length % p !== 0) throw new Error(`init holds ${init.length} values, not a whole number of ${p}-parameter vectors`);
  return {
    layout: setup.layout,
    task: setup.task,
    hyper: setup.hyper,
    init,
    particles: init.length / p,
    noiseSeed: streams.noiseSeed,
    firstParticle: streams.firstParticle,
  };
}
