import { CpuEngine } from '../core/cpuEngine';
import type { Engine } from '../core/engine';
import { initEnsemble } from '../core/init';
import { flopsPerParticleStep, paramCount, type ModelLayout } from '../core/layout';
import type { Hyper } from '../core/optimizer';
import type { Task } from '../core/task';
import { defaultKnobs, findPreset } from '../core/tasks/index';
import { trainSpec } from '../core/trainSpec';
import { randomTask, steadyRate } from './trainingRate';

/** One row along the model axis: a net at a particle count, our engine beside the CPU engine. */
export interface ModelAxisRow {
  net: string;
  params: number;
  particles: number;
  /** the training kernels the engine chose ('per-particle' or 'batched'), where it says */
  trainer: string;
  /** seconds from the session's start to its first step done, less one steady step: mostly compilation */
  compileSeconds: number;
  particleStepsPerSec: number;
  gflops: number;
  fractionOfPeak: number;
  cpuParticleStepsPerSec: number;
  cpuRatio: number;
}

/** The model axis's nets by the names `--models` (bench.html's `models=`) takes, in the order they run. */
export const AXIS_MODEL_NAMES = ['3-16-1', '3-64-1', '3-128-1', 'grokking', 'digits', '784-128-10'] as const;

interface AxisModel {
  /** one of AXIS_MODEL_NAMES */
  name: (typeof AXIS_MODEL_NAMES)[number];
  /** the net as the table shows it */
  net: string;
  layout: ModelLayout;
  hyper: Hyper;
  task: Task;
  /** what the data is, when not the preset's own */
  note?: string;
}

/** The model axis of issue 20: thneeb at three widths, the grokking net, digits 50-4-1 and an MNIST-scale 784-128-10. */
export function axisModels(): AxisModel[] {
  const thneebPreset = findPreset('thneeb')!;
  const thneeb = thneebPreset.build(defaultKnobs(thneebPreset));
  const sgd: Hyper = { optimizer: 'sgd', lr: 0.5, momentum: 0.9, weightDecay: 0, batch: 16 };
  const models: AxisModel[] = ([16, 64, 128] as const).map((h) => ({
    name: `3-${h}-1` as const,
    net: `3-${h}-1`,
    layout: { widths: [thneeb.inputs, h, 1], activation: 'tanh' },
    hyper: sgd,
    task: thneeb,
  }));
  const grokPreset = findPreset('grokking')!;
  const grok = grokPreset.build(defaultKnobs(grokPreset));
  const p = grok.classes;
  models.push({
    name: 'grokking',
    net: `grokking ${2 * p}-48-${p}`,
    layout: { widths: [2 * p, 48, p], activation: 'square', bias: false },
    hyper: { optimizer: 'adamw', lr: 0.005, momentum: 0, weightDecay: 1, beta1: 0.9, beta2: 0.98, batch: 'full' },
    task: grok,
  });
  models.push({
    name: 'digits',
    net: 'digits 50-4-1',
    layout: { widths: [50, 4, 1], activation: 'relu' },
    hyper: { ...sgd, lr: 0.05 },
    task: randomTask(50, 1, 512),
    note: 'random data of the digits preset shape',
  });
  models.push({
    name: '784-128-10',
    net: '784-128-10',
    layout: { widths: [784, 128, 10], activation: 'relu' },
    hyper: { ...sgd, lr: 0.05 },
    task: randomTask(784, 10, 512),
    note: 'random data of MNIST shape (the mnist preset trains 794-16-10: ten colour inputs, 16 hidden units)',
  });
  return models;
}

const now = () => performance.now() / 1000;
const batchOf = (m: AxisModel) => (m.hyper.batch === 'full' ? m.task.train.rows : m.hyper.batch);

/** Particle-steps per second of `particles` particles of `m`: the first step (compile) apart, then a steady run of about `seconds`. */
async function rate(engine: Engine, m: AxisModel, particles: number, seconds: number): Promise<{ rate: number; firstStep: number }> {
  const init = initEnsemble(m.layout, 1, 0, particles, 1);
  const session = await engine.startTraining(trainSpec(m, init, { noiseSeed: 2, firstParticle: 0 }));
  try {
    const t0 = now();
    await session.advance(1);
    const firstStep = now() - t0;
    return { rate: await steadyRate(session, particles, seconds), firstStep };
  } finally {
    session.dispose();
  }
}

/**
 * Trains every axis model at each particle count that fits `maxRowSeconds` (predicted from the
 * last), on `engine` and, at 8 particles, on the CPU engine; `peakGflops` from the calibration.
 */
export async function runModelAxis(
  engine: Engine & { trainerFor?(layout: ModelLayout, particles: number): string },
  o: {
    /** the nets to run, by AXIS_MODEL_NAMES (all when absent) */
    models?: readonly string[];
    peakGflops: number;
    rowSeconds: number;
    maxRowSeconds: number;
    particleCounts: number[];
    log: (line: string) => void;
    notes: string[];
  },
  onRow: (row: ModelAxisRow) => void,
): Promise<void> {
  const cpu = new CpuEngine();
  for (const m of axisModels().filter((m) => !o.models || o.models.includes(m.name))) {
    if (m.note) o.notes.push(`model axis ${m.net}: ${m.note}`);
    const flops = flopsPerParticleStep(m.layout.widths, batchOf(m), m.hyper.optimizer);
    o.log(`model axis: ${m.net}, CPU engine, 8 particles`);
    const cpuRate = (await rate(cpu, m, 8, Math.min(o.rowSeconds, 2))).rate;
    let last: number | undefined;
    for (const particles of o.particleCounts) {
      if (last !== undefined && (3 * particles) / last > o.maxRowSeconds) {
        o.notes.push(
          `model axis ${m.net}: ${particles} particles skipped (predicted ${((3 * particles) / last).toFixed(0)} s for 3 steps)`,
        );
        break;
      }
      o.log(`model axis: ${m.net}, ${particles} particles`);
      const r = await rate(engine, m, particles, o.rowSeconds);
      last = r.rate;
      const gflops = (r.rate * flops) / 1e9;
      onRow({
        net: m.net,
        params: paramCount(m.layout),
        particles,
        trainer: engine.trainerFor?.(m.layout, particles) ?? engine.kind,
        compileSeconds: Math.max(0, r.firstStep - particles / r.rate),
        particleStepsPerSec: r.rate,
        gflops,
        fractionOfPeak: gflops / o.peakGflops,
        cpuParticleStepsPerSec: cpuRate,
        cpuRatio: r.rate / cpuRate,
      });
    }
  }
}
