import { CpuEngine } from '../core/cpuEngine';
import type { Engine } from '../core/engine';
import { initEnsemble } from '../core/init';
import { flopsPerParticleStep, paramCount, type ModelLayout } from '../core/layout';
import type { Hyper } from '../core/optimizer';
import type { Task } from '../core/task';
import { defaultKnobs, findPreset } from '../core/tasks/index';
import { trainSpec } from '../core/trainSpec';
import { TfjsEnsemble, type TfjsSetup } from './tfjsPeer';
import { tiledInit } from './tiledInit';
import { randomTask, settledRate } from './trainingRate';

/** A peer's rate on one axis row's work. */
export interface AxisPeerRate {
  /** 'TF.js webgpu', 'TF.js cpu', 'PyTorch' (where each ran: the report's notes) */
  peer: string;
  particleStepsPerSec: number;
  /** the first step less a steady one: compilation, allocation */
  compileSeconds: number;
}

/** One row along the model axis: a net at a particle count, our engine beside the CPU engine and the peers. */
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
  /** every peer that ran at this net and particle count */
  peers: AxisPeerRate[];
  /** ours ÷ the faster TF.js backend at this count; NaN where neither ran */
  tfjsRatio: number;
  /** ours ÷ PyTorch at this count; NaN where it did not run */
  torchRatio: number;
}

/** What an axis row trains, as the peers need it. */
export interface AxisSetup {
  layout: ModelLayout;
  hyper: Hyper;
  task: Task;
}

/**
 * The PyTorch peer as the axis uses it: Node supplies one (src/bench/torchPeer.ts runs a Python
 * child process), or says why it is absent; the page has none.
 */
export interface AxisTorch {
  /** particle count → rate and first step, over the counts that fit, and where it ran */
  rates(
    setup: AxisSetup,
    init: Float32Array,
    particleCounts: readonly number[],
    seconds: number,
    maxRowSeconds: number,
  ): Promise<{ device: string; rates: Map<number, { rate: number; firstStep: number }>; notes: string[] }>;
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

/**
 * The peers hold every particle's parameters in memory (TF.js and PyTorch both, with gradients and
 * optimizer state beside them): past a GiB of float32 parameters they are not run.
 */
const MAX_PEER_VALUES = 1 << 28;

/** Inits for a peer's `count` particles: 64 drawn, then tiled (their values do not change the cost). */
const peerInit = (m: AxisModel, count: number): Float32Array => tiledInit(m.layout, count, 64);

/** A rate as the axis times every trainer: the first step (compilation) apart, then settledRate's runs of about `seconds`. */
async function firstStepAndRate(
  advance: (steps: number) => Promise<void>,
  particles: number,
  seconds: number,
): Promise<{ rate: number; firstStep: number }> {
  const t0 = now();
  await advance(1);
  const firstStep = now() - t0;
  return { rate: await settledRate(advance, particles, seconds), firstStep };
}

/** The first step less a steady one: compilation and allocation. */
const compileSeconds = (r: { rate: number; firstStep: number }, particles: number): number => Math.max(0, r.firstStep - particles / r.rate);

/** TF.js's rate, timed as ours. */
async function tfjsRate(tf: TfjsSetup['tf'], m: AxisModel, particles: number, seconds: number) {
  const ens = new TfjsEnsemble(tf, { task: m.task, layout: m.layout, hyper: m.hyper, init: peerInit(m, particles), particles });
  try {
    return await firstStepAndRate((steps) => ens.train(steps), particles, seconds);
  } finally {
    ens.dispose();
  }
}

/** Particle-steps per second of `particles` particles of `m` on `engine`. */
async function rate(engine: Engine, m: AxisModel, particles: number, seconds: number): Promise<{ rate: number; firstStep: number }> {
  const init = initEnsemble(m.layout, 1, 0, particles, 1);
  const session = await engine.startTraining(trainSpec(m, init, { noiseSeed: 2, firstParticle: 0 }));
  try {
    return await firstStepAndRate((steps) => session.advance(steps), particles, seconds);
  } finally {
    session.dispose();
  }
}

/**
 * Trains every axis model at each particle count that fits `maxRowSeconds` (predicted from the
 * last), on `engine`, on the CPU engine at 8 particles, and on the peers (TF.js on each of its
 * backends, PyTorch) at the counts that fit for each; `peakGflops` from the calibration.
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
    /** TF.js, set up on its backends; absent: no TF.js column */
    tfjs?: TfjsSetup;
    /** the PyTorch peer, or why there is none; absent: not asked for */
    torch?: AxisTorch | { absent: string };
    log: (line: string) => void;
    notes: string[];
  },
  onRow: (row: ModelAxisRow) => void,
): Promise<void> {
  const cpu = new CpuEngine();
  if (o.torch && 'absent' in o.torch) {
    o.log(`PyTorch: absent (${o.torch.absent})`);
    o.notes.push(`PyTorch: absent (${o.torch.absent})`);
  }
  if (o.tfjs?.backends.length)
    o.notes.push(`model axis TF.js backends: ${o.tfjs.backends.map((b) => `${b.name} (${b.label})`).join(', ')}`);
  const torchDevices = new Set<string>();
  for (const m of axisModels().filter((m) => !o.models || o.models.includes(m.name))) {
    if (m.note) o.notes.push(`model axis ${m.net}: ${m.note}`);
    const flops = flopsPerParticleStep(m.layout.widths, batchOf(m), m.hyper.optimizer);
    o.log(`model axis: ${m.net}, CPU engine, 8 particles`);
    const cpuRate = (await rate(cpu, m, 8, Math.min(o.rowSeconds, 2))).rate;
    const peers = await peerRates(m, o, torchDevices);
    let last: number | undefined;
    const ours = new Set<number>();
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
      ours.add(particles);
      const gflops = (r.rate * flops) / 1e9;
      const here = peers.get(particles) ?? [];
      const best = (prefix: string) => {
        const rates = here.filter((p) => p.peer.startsWith(prefix)).map((p) => p.particleStepsPerSec);
        return rates.length ? Math.max(...rates) : NaN;
      };
      onRow({
        net: m.net,
        params: paramCount(m.layout),
        particles,
        trainer: engine.trainerFor?.(m.layout, particles) ?? engine.kind,
        compileSeconds: compileSeconds(r, particles),
        particleStepsPerSec: r.rate,
        gflops,
        fractionOfPeak: gflops / o.peakGflops,
        cpuParticleStepsPerSec: cpuRate,
        cpuRatio: r.rate / cpuRate,
        peers: here,
        tfjsRatio: r.rate / best('TF.js'),
        torchRatio: r.rate / best('PyTorch'),
      });
    }
    // a peer may go further up the counts than ours: its rates there are worth seeing too
    for (const [particles, rates] of peers)
      if (!ours.has(particles))
        o.notes.push(
          `model axis ${m.net} at ${particles} particles (past ours): ${rates.map((p) => `${p.peer} ${p.particleStepsPerSec.toPrecision(3)}`).join(', ')} particle-steps/s`,
        );
  }
  for (const d of torchDevices) o.notes.push(`PyTorch ran on ${d}`);
}

/**
 * Every peer's rate on `m` at each particle count, each peer going up the counts until one is
 * predicted past `maxRowSeconds` (3 steps at its last rate) or past MAX_PEER_VALUES.
 */
async function peerRates(
  m: AxisModel,
  o: Parameters<typeof runModelAxis>[1],
  torchDevices: Set<string>,
): Promise<Map<number, AxisPeerRate[]>> {
  const out = new Map<number, AxisPeerRate[]>();
  const add = (particles: number, r: AxisPeerRate) => out.set(particles, [...(out.get(particles) ?? []), r]);
  const counts = o.particleCounts.filter((n) => n * paramCount(m.layout) <= MAX_PEER_VALUES);
  if (counts.length < o.particleCounts.length)
    o.notes.push(`model axis ${m.net}: peers not run past ${counts.at(-1) ?? 0} particles (over 2^28 parameters in memory)`);
  for (const backend of o.tfjs?.backends ?? []) {
    const tf = o.tfjs!.tf;
    const peer = `TF.js ${backend.name}`;
    try {
      await tf.setBackend(backend.name);
      let last: number | undefined;
      for (const particles of counts) {
        if (last !== undefined && (3 * particles) / last > o.maxRowSeconds) {
          o.notes.push(`model axis ${m.net}, ${peer}: ${particles} particles skipped (predicted ${((3 * particles) / last).toFixed(0)} s)`);
          break;
        }
        o.log(`model axis: ${m.net}, ${peer}, ${particles} particles`);
        const r = await tfjsRate(tf, m, particles, o.rowSeconds);
        last = r.rate;
        add(particles, { peer, particleStepsPerSec: r.rate, compileSeconds: compileSeconds(r, particles) });
        if (r.firstStep > o.maxRowSeconds) {
          o.notes.push(
            `model axis ${m.net}, ${peer}: first step of ${particles} particles took ${r.firstStep.toFixed(1)} s; stopped there`,
          );
          break;
        }
      }
    } catch (e) {
      o.notes.push(`model axis ${m.net}, ${peer}: stopped: ${(e as Error).message}`);
    }
  }
  if (o.torch && !('absent' in o.torch) && counts.length) {
    o.log(`model axis: ${m.net}, PyTorch, ${counts.join(', ')} particles`);
    const t = await o.torch.rates(m, peerInit(m, Math.min(64, counts[counts.length - 1])), counts, o.rowSeconds, o.maxRowSeconds);
    if (t.device) torchDevices.add(t.device);
    for (const n of t.notes) o.notes.push(`model axis ${m.net}, PyTorch: ${n}`);
    for (const [particles, r] of t.rates)
      add(particles, { peer: 'PyTorch', particleStepsPerSec: r.rate, compileSeconds: compileSeconds(r, particles) });
  }
  return out;
}
