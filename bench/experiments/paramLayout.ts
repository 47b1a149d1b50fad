/**
 * Experiment (docs/PERFORMANCE.md): particle-major vs parameter-major particle buffers, the thneeb
 * nets 3-16-1 and 3-32-32-1, SGD at batch 16, at several particle counts, the two layouts timed in
 * alternation on one device (best of `REPS`), so the machine's drift hits both alike.
 *   npx tsx bench/experiments/paramLayout.ts           (SIZES=1024,16384 REPS=3 SECONDS=2 to change)
 */
import { initEnsemble } from '../../src/core/init';
import { paramCount, type ModelLayout } from '../../src/core/layout';
import type { Hyper } from '../../src/core/optimizer';
import { defaultKnobs, findPreset } from '../../src/core/tasks';
import { GpuEngine } from '../../src/engine/gpuEngine';
import { requestNodeGpu } from '../../src/node/nodeGpu';
import { nodeShaderLibrary } from '../../src/node/nodeShaderLibrary';

const sizes = (process.env.SIZES ?? '1024,4096,16384').split(',').map(Number);
const reps = Number(process.env.REPS ?? 3);
const seconds = Number(process.env.SECONDS ?? 2);
const gpu = (await requestNodeGpu())!;
const layouts = ['particle-major', 'parameter-major'] as const;
const engines = layouts.map(
  (paramLayout) => new GpuEngine(gpu.device, nodeShaderLibrary(), gpu.description, { paramLayout, targetDispatchMs: 200 }),
);
const preset = findPreset('thneeb')!;
const task = preset.build(defaultKnobs(preset));
const hyper: Hyper = { optimizer: 'sgd', lr: 0.5, momentum: 0, weightDecay: 0, batch: 16 };
console.log(`${gpu.description}\nnet         particles  particle-major  parameter-major  ratio (param/particle)`);
for (const hidden of [[16], [32, 32]]) {
  const layout: ModelLayout = { widths: [task.inputs, ...hidden, 1], activation: 'tanh' };
  for (const e of engines) await e.prepare(layout, 'sgd');
  for (const particles of sizes) {
    const init = initEnsemble(layout.widths, 1, 0, particles, 1);
    const best = [0, 0];
    for (let r = 0; r < reps; r++) {
      for (const [k, e] of engines.entries()) {
        const session = await e.startTraining({ layout, task, hyper, init, particles, noiseSeed: 2, firstParticle: 0 });
        await session.advance(2); // warm-up: the chunker learns the device
        let steps = 0;
        const t0 = performance.now();
        while (performance.now() - t0 < seconds * 1000) {
          await session.advance(Math.max(1, Math.round(steps / 2) || 2));
          steps += Math.max(1, Math.round(steps / 2) || 2);
        }
        await session.params();
        const rate = (steps * particles) / ((performance.now() - t0) / 1000);
        best[k] = Math.max(best[k], rate);
        session.dispose();
      }
    }
    const fmt = (r: number) => `${(r / 1000).toFixed(1)}k/s`.padStart(15);
    console.log(
      `${hidden.join('-').padEnd(10)} ${String(particles).padStart(10)} ${fmt(best[0])}  ${fmt(best[1])}  ${(best[1] / best[0]).toFixed(2).padStart(8)}   (P = ${paramCount(layout.widths)})`,
    );
  }
}
for (const e of engines) e.dispose();
process.exit(0);
