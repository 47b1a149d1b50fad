/**
 * Experiment (docs/PERFORMANCE.md, item 21): the per-particle training kernels (train.wgsl, and its
 * unrolled twin where that is awaited, ≤ UNROLL_AWAIT_PARAMS; past it the looped kernel a run starts on)
 * against the batched population trainer (batched_train.wgsl), by net size and particle count: the
 * settled particle-steps per second (settledRate: the GPU engine's dispatches grow over its first
 * runs, so one timed run reads start-up) and the kernel's compile time. Its table sets CROSSOVER in
 * src/engine/trainerChoice.ts.
 *   nice npx tsx src/bench/experiments/trainerCrossover.ts   (SIZES=8,64,1024 SECONDS=1.5 MAX_RUNS=6 NETS=... to change)
 * NETS: ';'-separated "inputs-hidden…-outputs/batch", e.g. "3-16-1/16;46-48-23/full".
 */
import { initEnsemble } from '../../core/init';
import { paramCount, type ModelLayout } from '../../core/layout';
import type { Hyper } from '../../core/optimizer';
import { GpuEngine } from '../../engine/gpuEngine';
import { NODE_TARGET_DISPATCH_MS, requestNodeGpu } from '../../node/nodeGpu';
import { nodeShaderLibrary } from '../../node/nodeShaderLibrary';
import { UNROLL_AWAIT_PARAMS } from '../../engine/unrolledTrain';
import { randomTask, settledRate } from '../trainingRate';

const sizes = (process.env.SIZES ?? '8,64,1024').split(',').map(Number);
const seconds = Number(process.env.SECONDS ?? 1.5);
const maxRuns = Number(process.env.MAX_RUNS ?? 6);
const nets = (process.env.NETS ?? '3-16-1/16;3-64-1/16;3-128-1/16;3-32-32-1/16;50-4-1/16;46-48-23/16;20-64-64-10/16').split(';');
const gpu = (await requestNodeGpu())!;
const options = { targetDispatchMs: NODE_TARGET_DISPATCH_MS };

console.log(
  `${gpu.description}; particle-steps per second (settled: timed runs repeated until one gains < 10%, the best kept), compile seconds in brackets`,
);
console.log('net              params particles   per-particle        batched   winner');
for (const net of nets) {
  const [shape, batchText] = net.split('/');
  const widths = shape.split('-').map(Number);
  const layout: ModelLayout = { widths, activation: 'tanh' };
  const p = paramCount(layout);
  const batch = batchText === 'full' ? 'full' : Number(batchText);
  const task = randomTask(widths[0], widths[widths.length - 1], 64);
  const hyper: Hyper = { optimizer: 'sgd', lr: 0.05, momentum: 0, weightDecay: 0, batch };
  const kinds = p <= 4096 ? (['per-particle', 'batched'] as const) : (['batched'] as const);
  const engines = kinds.map(
    (trainer) => new GpuEngine(gpu.device, nodeShaderLibrary(), gpu.description, { ...options, trainer, unroll: p <= UNROLL_AWAIT_PARAMS }),
  );
  const compile = await Promise.all(
    engines.map(async (e, k) => {
      const t0 = performance.now();
      if (kinds[k] === 'per-particle') await e.prepare(layout, 'sgd');
      else
        await e
          .startTraining({ layout, task, hyper, init: initEnsemble(layout, 1, 0, 1, 1), particles: 1, noiseSeed: 2, firstParticle: 0 })
          .then((s) => s.dispose());
      return (performance.now() - t0) / 1000;
    }),
  );
  for (const particles of sizes) {
    const rates = [];
    for (const e of engines) {
      const session = await e.startTraining({
        layout,
        task,
        hyper,
        init: initEnsemble(layout, 1, 0, particles, 1),
        particles,
        noiseSeed: 2,
        firstParticle: 0,
      });
      rates.push(await settledRate((steps) => session.advance(steps), particles, seconds, maxRuns));
      session.dispose();
    }
    const cells = rates.map((r, k) => `${r.toFixed(0)} (${compile[k].toFixed(2)})`.padStart(14));
    if (cells.length === 1) cells.unshift('—'.padStart(14));
    const winner = rates.length === 1 || rates[1] > rates[0] ? 'batched' : 'per-particle';
    console.log(`${shape.padEnd(16)} ${String(p).padStart(6)} ${String(particles).padStart(9)} ${cells.join(' ')}   ${winner}`);
  }
  for (const e of engines) e.dispose();
}
process.exit(0);
