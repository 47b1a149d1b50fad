import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/core/cpuEngine';
import type { Engine, TrainSpec } from '../../src/core/engine';
import { outputsFor, paramCount, type OptimizerName } from '../../src/core/layout';
import type { Hyper } from '../../src/core/optimizer';
import type { Task } from '../../src/core/task';
import { GpuEngine } from '../../src/engine/gpuEngine';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { randomParams, randomTask, seeded, worstMismatch } from '../helpers/random';

// Sessions of cells (CellBlocks): runs that differ only in learning rates, weight decay and
// momentum, trained together. Each cell must be exactly its run alone, on either engine.

const CELL = 5;
const CELLS = 6;
const WIDTHS = [3, 6, 1];

/** Fresh random per-cell settings: base lr, a multiplier for layer 1, weight decay, momentum. */
function randomHypers(rand: () => number, optimizer: OptimizerName, batch: Hyper['batch']): Hyper[] {
  return Array.from({ length: CELLS }, () => ({
    optimizer,
    lr: 0.02 + 0.2 * rand(),
    lrScale: [1, 0.25 + 2 * rand()],
    weightDecay: rand() < 0.5 ? 0 : 0.01 * rand(),
    momentum: 0.95 * rand(),
    batch,
  }));
}

function cellsSpec(task: Task, hypers: Hyper[], init: Float32Array): TrainSpec {
  return {
    layout: { widths: [task.inputs, ...WIDTHS.slice(1, -1), outputsFor(task.classes)], activation: 'tanh' },
    task,
    hyper: hypers[0],
    init,
    particles: CELL * CELLS,
    noiseSeed: 7,
    firstParticle: 3,
    cells: { size: CELL, hypers },
  };
}

/** Cell c's run alone: its particles, its hyper, no cells. */
function aloneSpec(s: TrainSpec, c: number): TrainSpec {
  const p = paramCount(s.layout);
  const { cells: _, ...plain } = s;
  return { ...plain, hyper: s.cells!.hypers[c], init: s.init.slice(c * CELL * p, (c + 1) * CELL * p), particles: CELL };
}

async function train(engine: Engine, s: TrainSpec, steps: number): Promise<Float32Array> {
  const session = await engine.startTraining(s);
  try {
    await session.advance(steps);
    return await session.params();
  } finally {
    session.dispose();
  }
}

describe('cells of per-particle hyperparameters', () => {
  for (const optimizer of ['sgd', 'momentum'] as const) {
    it(`${optimizer}: the GPU engine follows the CPU engine on random per-cell settings, minibatches drawn per cell`, async () => {
      const rand = seeded(testSeed(`cells ${optimizer}`));
      const task = randomTask(rand, 3, 2, 40);
      const s = cellsSpec(task, randomHypers(rand, optimizer, 4), randomParams(rand, WIDTHS, CELL * CELLS));
      const [gpu, cpu] = [await train(await gpuEngine(), s, 40), await train(new CpuEngine(), s, 40)];
      // a wrong row of the table or a wrong noise stream moves a parameter by ~lr·|g| ~ 1e-2
      const w = worstMismatch(gpu, cpu, 1e-4, 1e-3);
      expect(w.ratio, `param ${w.a} (gpu) vs ${w.b} (cpu) at ${w.at}`).toBeLessThanOrEqual(1);
    });
  }

  it('each cell is bit for bit its run alone: CPU, GPU unrolled and GPU looped', async () => {
    const rand = seeded(testSeed('cells alone'));
    const task = randomTask(rand, 3, 2, 40);
    const s = cellsSpec(task, randomHypers(rand, 'momentum', 4), randomParams(rand, WIDTHS, CELL * CELLS));
    const unrolled = await gpuEngine();
    const looped = new GpuEngine(unrolled.gpu, nodeShaderLibrary(), unrolled.device, { unroll: false });
    const p = paramCount(s.layout);
    try {
      for (const [name, engine] of [
        ['cpu', new CpuEngine()],
        ['unrolled', unrolled],
        ['looped', looped],
      ] as const) {
        const together = await train(engine, s, 20);
        for (const c of [0, 3, CELLS - 1]) {
          const alone = await train(engine, aloneSpec(s, c), 20);
          expect(Array.from(together.subarray(c * CELL * p, (c + 1) * CELL * p)), `${name}, cell ${c}`).toEqual(Array.from(alone));
        }
      }
    } finally {
      looped.dispose();
    }
  });

  it('refuses cells that do not tile the particles or that change the optimizer', async () => {
    const rand = seeded(testSeed('cells refused'));
    const task = randomTask(rand, 3, 2, 8);
    const hypers = randomHypers(rand, 'sgd', 'full');
    const s = cellsSpec(task, hypers, randomParams(rand, WIDTHS, CELL * CELLS));
    const cpu = new CpuEngine();
    await expect(cpu.startTraining({ ...s, cells: { size: CELL + 1, hypers } })).rejects.toThrow(/do not make/);
    const mixed = hypers.map((h, c) => (c === 2 ? { ...h, optimizer: 'adam' as const } : h));
    await expect(cpu.startTraining({ ...s, cells: { size: CELL, hypers: mixed } })).rejects.toThrow(/differs/);
  });
});
