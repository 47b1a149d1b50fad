/**
 * Experiment (docs/PERFORMANCE.md, item 20): particle-major vs parameter-major particle buffers,
 * the thneeb nets 3-16-1 and 3-32-32-1, SGD at batch 16, at several particle counts. The engines
 * run in alternation in one process on one device (best of REPS), so the machine's drift hits all
 * alike; BEFORE=/path/to/an/older/checkout adds that checkout's engine as a third column.
 *   npx tsx src/bench/experiments/paramLayout.ts   (SIZES=1024,16384 REPS=3 SECONDS=2 NETS='16;32,32' to change)
 */
import { initEnsemble } from '../../core/init';
import { paramCount, type ModelLayout } from '../../core/layout';
import type { Engine } from '../../core/engine';
import type { Hyper } from '../../core/optimizer';
import { defaultKnobs, findPreset } from '../../core/tasks';
import { GpuEngine } from '../../engine/gpuEngine';
import { NODE_TARGET_DISPATCH_MS, requestNodeGpu } from '../../node/nodeGpu';
import { nodeShaderLibrary } from '../../node/nodeShaderLibrary';

const sizes = (process.env.SIZES ?? '1024,4096,16384').split(',').map(Number);
const reps = Number(process.env.REPS ?? 3);
const seconds = Number(process.env.SECONDS ?? 2);
const gpu = (await requestNodeGpu())!;
const options = { targetDispatchMs: NODE_TARGET_DISPATCH_MS };
const engines: [string, Engine][] = [
  ['particle-major', new GpuEngine(gpu.device, nodeShaderLibrary(), gpu.description, { ...options, paramLayout: 'particle-major' })],
  ['parameter-major', new GpuEngine(gpu.device, nodeShaderLibrary(), gpu.description, { ...options, paramLayout: 'parameter-major' })],
];
if (process.env.BEFORE) {
  const dir = process.env.BEFORE;
  const { GpuEngine: Before } = await import(`${dir}/src/engine/gpuEngine.ts`);
  const { nodeShaderLibrary: beforeShaders } = await import(`${dir}/src/cli/nodeShaderLibrary.ts`);
  engines.unshift([`before (${dir})`, new Before(gpu.device, beforeShaders(), gpu.description, options)]);
}
const preset = findPreset('thneeb')!;
const task = preset.build(defaultKnobs(preset));
const hyper: Hyper = { optimizer: 'sgd', lr: 0.5, momentum: 0, weightDecay: 0, batch: 16 };
console.log(`${gpu.description}; particle-steps per second of wall clock (per CPU-second), best of ${reps}, ~${seconds} s each`);
console.log(`net        particles ${engines.map(([name]) => name.padStart(18)).join(' ')}`);
for (const hidden of (process.env.NETS ?? '16;32,32').split(';').map((h) => h.split(',').map(Number))) {
  const layout: ModelLayout = { widths: [task.inputs, ...hidden, 1], activation: 'tanh' };
  for (const [, e] of engines)
    await ((e as { trainKernelReady?: Engine['prepare'] }).trainKernelReady ?? e.prepare)?.call(e, layout, 'sgd');
  for (const particles of sizes) {
    const init = initEnsemble(layout, 1, 0, Math.min(particles, 4096), 1);
    const tiled = new Float32Array(particles * paramCount(layout));
    for (let at = 0; at < tiled.length; at += init.length) tiled.set(init.subarray(0, Math.min(init.length, tiled.length - at)), at);
    const best = engines.map(() => 0);
    const bestCpu = engines.map(() => 0);
    for (let r = 0; r < reps; r++) {
      for (const [k, [, e]] of engines.entries()) {
        const session = await e.startTraining({ layout, task, hyper, init: tiled, particles, noiseSeed: 2, firstParticle: 0 });
        // warm-up: the chunker learns the device; then as many steps as fit in `seconds`
        let t0 = performance.now();
        await session.advance(2);
        const rate = (2 * particles) / ((performance.now() - t0) / 1000);
        const steps = Math.max(2, Math.round((seconds * rate) / particles));
        t0 = performance.now();
        const c0 = process.cpuUsage();
        await session.advance(steps);
        const cpu = process.cpuUsage(c0);
        best[k] = Math.max(best[k], (steps * particles) / ((performance.now() - t0) / 1000));
        // CPU time of the whole process (SwiftShader's threads are in it): a figure the other
        // processes on a shared machine disturb far less than the wall clock
        bestCpu[k] = Math.max(bestCpu[k], (steps * particles) / ((cpu.user + cpu.system) / 1e6));
        session.dispose();
      }
    }
    const cells = best.map((b, k) => `${(b / 1000).toFixed(1)}k (${(bestCpu[k] / 1000).toFixed(1)}k)`.padStart(18));
    console.log(`${hidden.join('-').padEnd(10)} ${String(particles).padStart(9)} ${cells.join(' ')}`);
  }
}
for (const [, e] of engines) e.dispose();
process.exit(0);
