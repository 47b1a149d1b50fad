import type { CellBlocks, TrainSpec } from './engine';
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

/**
 * Throws unless `spec.cells` (when given) tiles the particles and every cell's hyper differs from
 * spec.hyper only where a kernel reads it per particle. Both engines check it before training.
 */
export function checkCells(spec: TrainSpec): void {
  const cells: CellBlocks | undefined = spec.cells;
  if (!cells) return;
  if (!Number.isInteger(cells.size) || cells.size < 1 || cells.size * cells.hypers.length !== spec.particles)
    throw new Error(`${cells.hypers.length} cells of ${cells.size} particles do not make the session's ${spec.particles} particles`);
  for (const h of cells.hypers) {
    if (h.optimizer !== spec.hyper.optimizer || h.batch !== spec.hyper.batch)
      throw new Error(
        `a cell's optimizer or batch (${h.optimizer}, ${h.batch}) differs from the session's (${spec.hyper.optimizer}, ${spec.hyper.batch})`,
      );
  }
}

/** Particle i's cell and noise stream, by CellBlocks' rule (a plain run is one cell of every particle). */
export function cellOf(spec: TrainSpec, i: number): { cell: number; stream: number } {
  const size = spec.cells?.size ?? spec.particles;
  return { cell: Math.floor(i / size), stream: spec.firstParticle + (i % size) };
}
