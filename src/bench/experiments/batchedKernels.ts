/**
 * Experiment (docs/PERFORMANCE.md, item 29): the batched trainer alone (shaders/batched_train.wgsl),
 * steady particle-steps per second and GFLOP/s by net and particle count, with the calibrated FMA
 * peak of the same minutes; run it against an older checkout in the same sitting to compare kernels.
 *   nice npx tsx src/bench/experiments/batchedKernels.ts   (NETS="3-128-1/16;46-48-23/full" SIZES=8,64 SECONDS=1)
 * STEPS=n trains exactly n steps of each size after the warm-up and skips the calibration: fixed
 * work, for timing the whole process against another checkout's. Each row also gives the process's
 * CPU milliseconds per steady step (item 33): on a machine shared with other work, the figure that
 * holds still while the wall clock swings with the load.
 */
import { calibrate } from '../calibrate';
import { initEnsemble } from '../../core/init';
import { flopsPerParticleStep, paramCount, type ModelLayout } from '../../core/layout';
import type { Hyper } from '../../core/optimizer';
import { GpuEngine } from '../../engine/gpuEngine';
import { NODE_TARGET_DISPATCH_MS, requestNodeGpu } from '../../node/nodeGpu';
import { nodeShaderLibrary } from '../../node/nodeShaderLibrary';
import { randomTask, steadyRate } from '../trainingRate';

const sizes = (process.env.SIZES ?? '8,64').split(',').map(Number);
const seconds = Number(process.env.SECONDS ?? 1);
const nets = (process.env.NETS ?? '3-128-1/16;46-48-23/full;784-128-10/16').split(';');
const gpu = (await requestNodeGpu())!;
const library = nodeShaderLibrary();
const fixedSteps = process.env.STEPS === undefined ? undefined : Number(process.env.STEPS);
const peak = fixedSteps === undefined ? await calibrate(gpu.device, library.calibrate) : { gflops: NaN };
console.log(`${gpu.description}; calibrated FMA peak ${peak.gflops.toFixed(2)} GFLOP/s`);

for (const net of nets) {
  const [shape, batchText] = net.split('/');
  const widths = shape.split('-').map(Number);
  const layout: ModelLayout = { widths, activation: 'tanh' };
  const batch = batchText === 'full' ? 'full' : Number(batchText);
  const task = randomTask(widths[0], widths[widths.length - 1], 256);
  const hyper: Hyper = { optimizer: 'sgd', lr: 0.05, momentum: 0, weightDecay: 0, batch };
  const engine = new GpuEngine(gpu.device, library, gpu.description, { targetDispatchMs: NODE_TARGET_DISPATCH_MS, trainer: 'batched' });
  const flops = flopsPerParticleStep(widths, batch === 'full' ? task.train.rows : batch, 'sgd');
  for (const particles of sizes) {
    const session = await engine.startTraining({
      layout,
      task,
      hyper,
      init: initEnsemble(layout, 1, 0, particles, 1),
      particles,
      noiseSeed: 2,
      firstParticle: 0,
    });
    // the process's CPU time (every thread: SwiftShader's workers run in it), which on a loaded
    // machine says more than the wall clock of what a step costs: per steady step, and in all
    // (the 2 warm-up steps included: docs/PERFORMANCE.md item 32's "fixed work" figure)
    const cpuStart = process.cpuUsage();
    await session.advance(2);
    const [cpu0, done0] = [process.cpuUsage(), session.stepsDone];
    const rate = await steadyRate(session, particles, seconds, fixedSteps);
    const cpu = process.cpuUsage(cpu0);
    const cpuAll = process.cpuUsage(cpuStart);
    const steps = session.stepsDone - done0;
    session.dispose();
    const gflops = (rate * flops) / 1e9;
    const cpuMs = (cpu.user + cpu.system) / 1000 / steps;
    const cpuAllMs = (cpuAll.user + cpuAll.system) / 1000;
    console.log(
      `${net.padEnd(18)} ${String(paramCount(layout)).padStart(7)} ${String(particles).padStart(6)}  ${rate.toFixed(1).padStart(9)} p-steps/s  ${gflops.toFixed(3)} GFLOP/s  ${((100 * gflops) / peak.gflops).toFixed(2)}% of peak  ${cpuMs.toFixed(1)} CPU ms/step  ${cpuAllMs.toFixed(0)} CPU ms in all`,
    );
  }
  engine.dispose?.();
}
process.exit(0);
