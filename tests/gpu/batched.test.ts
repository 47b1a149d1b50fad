import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/core/cpuEngine';
import type { Engine, TrainSpec } from '../../src/core/engine';
import { ACTIVATIONS, OPTIMIZERS, isAdam, outputsFor, paramCount, type Activation, type OptimizerName } from '../../src/core/layout';
import type { Hyper } from '../../src/core/optimizer';
import type { Task } from '../../src/core/task';
import { GpuEngine } from '../../src/engine/gpuEngine';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';
import { gpuEngine, testSeed } from '../helpers/gpu';
import { randomParams, randomTask, seeded, worstMismatch } from '../helpers/random';

const cpu = new CpuEngine();

let batchedEngine: GpuEngine | undefined;
/** The GPU engine forced onto the batched kernels (shaders/batched_*.wgsl) at every size. */
async function batched(options: ConstructorParameters<typeof GpuEngine>[3] = {}): Promise<GpuEngine> {
  const base = await gpuEngine();
  if (Object.keys(options).length > 0) return new GpuEngine(base.gpu, nodeShaderLibrary(), base.device, { trainer: 'batched', ...options });
  batchedEngine ??= new GpuEngine(base.gpu, nodeShaderLibrary(), base.device, { trainer: 'batched' });
  return batchedEngine;
}

async function train(engine: Engine, s: TrainSpec, steps: number) {
  const session = await engine.startTraining(s);
  await session.advance(steps);
  const out = { params: await session.params(), metrics: await session.metrics(), diverged: await session.diverged() };
  session.dispose();
  return out;
}

function hyperFor(optimizer: OptimizerName, batch: Hyper['batch'], lr = 0.1): Hyper {
  const common = { optimizer, momentum: 0.9, weightDecay: 1e-3, batch };
  if (optimizer === 'adamw') return { ...common, lr: lr / 10, weightDecay: 0.5, beta1: 0.8, beta2: 0.98 };
  return { ...common, lr: isAdam(optimizer) ? lr / 10 : lr };
}

function specFor(task: Task, hidden: number[], activation: Activation, hyper: Hyper, particles: number, rand: () => number): TrainSpec {
  const widths = [task.inputs, ...hidden, outputsFor(task.classes)];
  // PyTorch-like scale ±1/√fan_in keeps wide layers' sums of order 1
  const fan = Math.max(...widths.slice(0, -1));
  const init = randomParams(rand, widths, particles, Math.min(1, 2 / Math.sqrt(fan)));
  return { layout: { widths, activation }, task, hyper, init, particles, noiseSeed: 7, firstParticle: 0 };
}

const losses = (m: Float32Array) => m.filter((_, k) => k % 2 === 0);

export { batched, train, hyperFor, specFor, losses, cpu };

describe('batched trainer smoke', () => {
  it('trains a small net like the CPU engine', async () => {
    const rand = seeded(testSeed('batched smoke'));
    const task = randomTask(rand, 4, 3, 32);
    const s = specFor(task, [7, 5], 'tanh', hyperFor('adam', 8), 5, rand);
    const g = await train(await batched(), s, 50);
    const c = await train(cpu, s, 50);
    const w = worstMismatch(g.params, c.params, 1e-5, 1e-4);
    console.log(w, paramCount(s.layout.widths));
    const m = worstMismatch(losses(g.metrics), losses(c.metrics), 1e-5, 1e-4);
    console.log(m);
    expect(w.ratio).toBeLessThan(1);
  });
});
void ACTIVATIONS;
void OPTIMIZERS;
