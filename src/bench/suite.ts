import { CpuEngine } from '../core/cpuEngine';
import type { Engine } from '../core/engine';
import { flopsPerEvaluation, flopsPerParticleStep, paramCount, type ModelLayout } from '../core/layout';
import type { Hyper } from '../core/optimizer';
import { randomPlane } from '../core/plane';
import { planeCoordinates } from '../core/runs';
import { taskSets, type Task } from '../core/task';
import { findPreset, defaultKnobs } from '../core/tasks/index';
import { trainSpec, type NoiseStreams } from '../core/trainSpec';
import { calibrate, type Peak } from './calibrate';
import { runModelAxis, type AxisTorch, type ModelAxisRow } from './modelAxis';
import { fullDeviceRange, logLogSlope } from './fit';
import { TfjsEnsemble, type TfjsSetup } from './tfjsPeer';
import { tiledInit } from './tiledInit';

/** The JSON of one benchmark run: the keys issue 3 names, then the figures behind them. */
export interface BenchReport {
  device: string;
  peak: Peak;
  trainer: TrainerRow[];
  /** issue 20's model axis: nets from 3-16-1 to 784-128-10 at 8, 64, 1,024 particles, beside the CPU engine */
  modelAxis: ModelAxisRow[];
  lossMap: LossMapRow[];
  scaling: ScalingRow[];
  peers: PeerRow[];
  details: {
    trainer: { particles: number; hidden: number[]; steps: number; seconds: number; diverged: number }[];
    lossMap: { res: number; seconds: number; bound: 'fma' | 'bandwidth'; flopsPerPoint: number; bytesPerPoint: number }[];
    notes: string[];
    startedAt: string;
    seconds: number;
  };
}

export interface TrainerRow {
  particles: number;
  hidden: number[];
  particleStepsPerSec: number;
  gflops: number;
  fractionOfPeak: number;
  /** ours ÷ the CPU reference engine, per particle-step */
  cpuRatio: number;
  /** ours ÷ the faster TF.js backend measured, per particle-step; NaN when TF.js did not run */
  tfjsRatio: number;
}

export interface LossMapRow {
  res: number;
  pointsPerSec: number;
  /** time the binding bound allows ÷ time taken */
  fractionOfBound: number;
}

export interface ScalingRow {
  hidden: number[];
  /** exponent of time vs particles (steps fixed), over the sizes where the device is full */
  particlesExponent: number;
  particlesRange: [number, number];
  /** exponent of time vs steps at `atParticles` particles (only measured for the default model) */
  stepsExponent: number;
  atParticles: number;
}

export interface PeerRow {
  peer: string;
  hidden: number[];
  particles: number;
  particleStepsPerSec: number;
  note?: string;
}

export interface BenchOptions {
  /** our engine, on `device` */
  engine: Engine;
  device: GPUDevice;
  calibrateWgsl: string;
  /** TF.js backends to compare with (already set up); empty to skip */
  tfjs: () => Promise<TfjsSetup>;
  withTfjs: boolean;
  /** the model axis's PyTorch peer (Node only), or why it is absent; absent: not asked for */
  torch?: AxisTorch | { absent: string };
  /** seconds one timed measurement aims at; everything scales with it */
  rowSeconds: number;
  /** a size whose smallest possible measurement is predicted to take longer is skipped */
  maxRowSeconds: number;
  particleCounts: number[];
  /** the model axis's particle counts (default MODEL_AXIS_PARTICLES) */
  axisParticleCounts?: number[];
  /** the model axis's nets (AXIS_MODEL_NAMES; all when absent) */
  axisModels?: string[];
  lossMapResolutions: number[];
  log: (line: string) => void;
  /** lets the caller draw the table as rows arrive */
  onUpdate?: (report: BenchReport) => void;
}

export const DEFAULT_PARTICLE_COUNTS = [256, 1024, 4096, 16384, 65536];
export const DEFAULT_LOSS_MAP_RESOLUTIONS = [64, 256, 512];
/** The particle counts of the model axis (issue 20); each net goes as far up as its rate allows */
export const MODEL_AXIS_PARTICLES = [8, 64, 1024, 16384];

interface Model {
  hidden: number[];
  layout: ModelLayout;
  hyper: Hyper;
  task: Task;
}

/** The thneeb default (3-16-1, batch 16, SGD) and the same with two hidden layers of 32. */
export function benchModels(): Model[] {
  const preset = findPreset('thneeb')!;
  const task = preset.build(defaultKnobs(preset));
  const hyper: Hyper = { optimizer: 'sgd', lr: 0.5, momentum: 0.9, weightDecay: 0, batch: 16 };
  return [[16], [32, 32]].map((hidden) => ({ hidden, task, hyper, layout: { widths: [task.inputs, ...hidden, 1], activation: 'tanh' } }));
}

const batchOf = (m: Model) => (m.hyper.batch === 'full' ? m.task.train.rows : m.hyper.batch);
const stepFlops = (m: Model) => flopsPerParticleStep(m.layout.widths, batchOf(m), m.hyper.optimizer);

const STREAMS: NoiseStreams = { noiseSeed: 2, firstParticle: 0 };

/** Inits are expensive to draw for 65k particles; their values do not change the cost, so tile 4096. */
const initFor = (m: Model, particles: number): Float32Array => tiledInit(m.layout, particles, 4096);

const now = () => performance.now() / 1000;

/**
 * The fewest steps a trainer row times. On a slow device the GPU engine gives each dispatch up to
 * 16 steps of a group of particles (src/engine/trainingSession.ts), and a dispatch costs about a
 * step on top: a row timed over 4 steps (16,384 particles of the 32-32 net in a 1-second window)
 * paid that cost on every step and read 64–67% of the 1,024-particle rate, against 87% timed over
 * 18 steps (docs/PERFORMANCE.md, item 25). Users train hundreds of steps: the rate is the steady one.
 */
const MIN_TIMED_STEPS = 16;

/**
 * Trains `particles` particles of `m` on `engine`: a warm-up (pipeline compilation, the chunker
 * learning its dispatch size), then `steps` steps timed twice, the best kept, sized from `rate`
 * (particle-steps/s expected) so they take about `seconds`, and at least MIN_TIMED_STEPS where
 * those take at most `maxSeconds`.
 */
async function timeTraining(engine: Engine, m: Model, particles: number, rate: number | undefined, seconds: number, maxSeconds = seconds) {
  // the GPU engine compiles its fastest kernel in the background: time that one, not the fallback
  await engine.prepare?.(m.layout, m.hyper.optimizer, undefined, particles);
  const session = await engine.startTraining(trainSpec(m, initFor(m, particles), STREAMS));
  try {
    let t0 = now();
    await session.advance(1);
    let warm = Math.max(1, Math.round((0.3 * seconds * (rate ?? 0)) / particles));
    if (rate === undefined) {
      // no prior rate: the first step included compilation; one more tells the rate
      t0 = now();
      await session.advance(2);
      rate = (2 * particles) / (now() - t0);
      warm = Math.max(1, Math.round((0.3 * seconds * rate) / particles));
    }
    // the warm-up re-measures the rate: two steps after a compile can be dominated by fixed costs,
    // and a rate guessed too low would time a run too short to mean anything
    t0 = now();
    await session.advance(warm);
    rate = Math.max(rate, (warm * particles) / (now() - t0));
    // at least MIN_TIMED_STEPS where they fit in maxSeconds: fewer would time the engine's first
    // dispatches, not its rate
    const fit = Math.floor((maxSeconds * rate) / particles);
    const steps = Math.max(2, Math.round((seconds * rate) / particles), Math.min(MIN_TIMED_STEPS, fit));
    // the best of two runs: the first may still include the chunker growing its dispatches, and
    // on a shared machine noise only ever adds time (a slowed peer would flatter us, too)
    let elapsed = Infinity;
    for (let run = 0; run < 2; run++) {
      t0 = now();
      await session.advance(steps);
      elapsed = Math.min(elapsed, now() - t0);
    }
    const diverged = (await session.diverged()).reduce((a, b) => a + b, 0);
    return { steps, seconds: elapsed, rate: (particles * steps) / elapsed, diverged, session };
  } catch (e) {
    session.dispose();
    throw e;
  }
}

export async function runBenchmark(o: BenchOptions): Promise<BenchReport> {
  const started = now();
  const notes: string[] = [];
  const report: BenchReport = {
    device: '',
    peak: { gflops: NaN, gbps: NaN },
    trainer: [],
    modelAxis: [],
    lossMap: [],
    scaling: [],
    peers: [],
    details: { trainer: [], lossMap: [], notes, startedAt: new Date().toISOString(), seconds: 0 },
  };
  report.device = o.engine.device;
  const update = () => o.onUpdate?.(report);
  o.log(`device: ${report.device}`);

  o.log('calibrating: FMA rate and bandwidth');
  report.peak = await calibrate(o.device, o.calibrateWgsl);
  o.log(`  peak ${report.peak.gflops.toFixed(2)} GFLOP/s, ${report.peak.gbps.toFixed(2)} GB/s`);
  update();

  const models = benchModels();
  const cpu = new CpuEngine();

  // peers first, so every trainer row can carry its ratios as it arrives
  const cpuRate = new Map<Model, number>();
  for (const m of models) {
    const particles = 16;
    o.log(`CPU reference engine: ${m.hidden.join('-')} net, ${particles} particles`);
    const r = await timeTraining(cpu, m, particles, undefined, Math.min(o.rowSeconds, 1));
    r.session.dispose();
    cpuRate.set(m, r.rate);
    report.peers.push({ peer: cpu.device, hidden: m.hidden, particles, particleStepsPerSec: r.rate });
    update();
  }

  const tfjsBest = new Map<Model, number>();
  let setup: TfjsSetup | undefined;
  try {
    if (o.withTfjs) setup = await o.tfjs();
    notes.push(...(setup?.notes ?? []).map((n) => `TF.js: ${n}`));
  } catch (e) {
    notes.push(`TF.js did not load: ${(e as Error).message}`);
  }
  for (const backend of setup?.backends ?? []) {
    const tf = setup!.tf;
    await tf.setBackend(backend.name);
    const label = `TF.js ${backend.label}`;
    for (const m of models) {
      let rate: number | undefined;
      for (const particles of o.particleCounts) {
        if (particles > 16384) break;
        if (rate !== undefined && (3 * particles) / rate > o.maxRowSeconds) break;
        o.log(`${label}: ${m.hidden.join('-')} net, ${particles} particles`);
        const ens = new TfjsEnsemble(tf, {
          task: m.task,
          layout: m.layout,
          hyper: m.hyper,
          init: initFor(m, particles),
          particles,
        });
        try {
          let t0 = now();
          await ens.train(1);
          const first = now() - t0;
          if (rate === undefined && first > o.maxRowSeconds) {
            rate = particles / first;
            notes.push(`${label}: one step of ${particles} particles took ${first.toFixed(1)} s (compilation included); stopped there`);
            report.peers.push({
              peer: label,
              hidden: m.hidden,
              particles,
              particleStepsPerSec: rate,
              note: 'first step only, compilation included',
            });
            break;
          }
          t0 = now();
          await ens.train(1);
          const one = now() - t0;
          const steps = Math.max(2, Math.round(o.rowSeconds / one));
          t0 = now();
          await ens.train(steps);
          rate = (particles * steps) / (now() - t0);
          report.peers.push({ peer: label, hidden: m.hidden, particles, particleStepsPerSec: rate });
          tfjsBest.set(m, Math.max(tfjsBest.get(m) ?? 0, rate));
        } finally {
          ens.dispose();
        }
        update();
      }
    }
  }

  // our trainer: every model at growing particle counts, as far as time allows
  for (const m of models) {
    let rate: number | undefined;
    const rows: { particles: number; perStep: number }[] = [];
    if (o.engine.prepare) {
      const t0 = now();
      const kernel = await o.engine.prepare(m.layout, m.hyper.optimizer);
      notes.push(
        kernel === 'unrolled'
          ? `trainer ${m.hidden.join('-')}: unrolled kernel, ${(now() - t0).toFixed(1)} s to compile`
          : kernel === 'batched'
            ? `trainer ${m.hidden.join('-')}: batched trainer (past what the per-particle kernels take)`
            : `trainer ${m.hidden.join('-')}: looped kernel (the unrolled one is not compiled for this size, or failed: see the console)`,
      );
    }
    for (const particles of o.particleCounts) {
      if (rate !== undefined && (2 * particles) / rate > o.maxRowSeconds) {
        notes.push(
          `trainer ${m.hidden.join('-')}: ${particles} particles skipped (predicted ${((2 * particles) / rate).toFixed(0)} s for 2 steps)`,
        );
        break;
      }
      o.log(`trainer: ${m.hidden.join('-')} net, ${particles} particles`);
      const r = await timeTraining(o.engine, m, particles, rate, o.rowSeconds, o.maxRowSeconds / 2);
      r.session.dispose();
      rate = r.rate;
      const gflops = (r.rate * stepFlops(m)) / 1e9;
      report.trainer.push({
        particles,
        hidden: m.hidden,
        particleStepsPerSec: r.rate,
        gflops,
        fractionOfPeak: gflops / report.peak.gflops,
        cpuRatio: r.rate / cpuRate.get(m)!,
        tfjsRatio: tfjsBest.has(m) ? r.rate / tfjsBest.get(m)! : NaN,
      });
      report.details.trainer.push({ particles, hidden: m.hidden, steps: r.steps, seconds: r.seconds, diverged: r.diverged });
      if (r.diverged > 0)
        notes.push(
          `trainer ${m.hidden.join('-')} at ${particles}: ${r.diverged} particles diverged (they stop computing, so the rate flatters)`,
        );
      rows.push({ particles, perStep: r.seconds / r.steps });
      update();
    }
    const xs = rows.map((r) => r.particles);
    const ys = rows.map((r) => r.perStep);
    const full = fullDeviceRange(xs, ys);
    report.scaling.push({
      hidden: m.hidden,
      particlesExponent: logLogSlope(
        full.map((i) => xs[i]),
        full.map((i) => ys[i]),
      ),
      particlesRange: [xs[full[0]], xs[full[full.length - 1]]],
      stepsExponent: NaN,
      atParticles: 0,
    });
    update();
  }

  // the model axis: every size of net the engine takes, with its compile time
  await runModelAxis(
    o.engine,
    {
      ...(o.axisModels ? { models: o.axisModels } : {}),
      peakGflops: report.peak.gflops,
      rowSeconds: o.rowSeconds,
      maxRowSeconds: o.maxRowSeconds,
      particleCounts: o.axisParticleCounts ?? MODEL_AXIS_PARTICLES,
      ...(setup ? { tfjs: setup } : {}),
      ...(o.torch ? { torch: o.torch } : {}),
      log: o.log,
      notes,
    },
    (row) => {
      report.modelAxis.push(row);
      update();
    },
  );

  // time vs steps, on the default model at 4096 particles (or the largest count measured below it)
  {
    const m = models[0];
    const at = report.trainer.filter((r) => r.hidden === m.hidden && r.particles <= 4096).at(-1);
    if (at) {
      o.log(`trainer: time vs steps, ${m.hidden.join('-')} net, ${at.particles} particles`);
      const session = await o.engine.startTraining(trainSpec(m, initFor(m, at.particles), STREAMS));
      try {
        // the shortest run spans a few dispatches (each costs a little per particle on top of its
        // steps), and each length is the best of two
        const base = Math.max(2, Math.round((0.5 * o.rowSeconds * at.particleStepsPerSec) / at.particles));
        await session.advance(base);
        const stepsList = [base, 2 * base, 4 * base, 8 * base];
        const times: number[] = [];
        for (const steps of stepsList) {
          let best = Infinity;
          for (let run = 0; run < 2; run++) {
            const t0 = now();
            await session.advance(steps);
            best = Math.min(best, now() - t0);
          }
          times.push(best);
        }
        const row = report.scaling.find((s) => s.hidden === m.hidden)!;
        row.stepsExponent = logLogSlope(stepsList, times);
        row.atParticles = at.particles;
      } finally {
        session.dispose();
      }
      update();
    }
  }

  // loss maps on the default model
  {
    const m = models[0];
    const center = initFor(m, 1);
    const plane = randomPlane(m.layout, center, 3);
    const rows = taskSets(m.task).reduce((n, s) => n + s.rows, 0);
    const sets = taskSets(m.task).length;
    const p = paramCount(m.layout);
    const flopsPerPoint = flopsPerEvaluation(m.layout.widths, rows);
    // the plane fill writes each point's parameters, the evaluator reads them back, then writes metrics
    const bytesPerPoint = 2 * 4 * p + 4 * 2 * sets;
    const boundSeconds = Math.max(flopsPerPoint / (report.peak.gflops * 1e9), bytesPerPoint / (report.peak.gbps * 1e9));
    const bound = flopsPerPoint / (report.peak.gflops * 1e9) >= bytesPerPoint / (report.peak.gbps * 1e9) ? 'fma' : 'bandwidth';
    const map = (res: number) => o.engine.evaluatePlane({ layout: m.layout, task: m.task, plane, ...planeCoordinates(res, 1) });
    await map(16); // compilation
    let rate: number | undefined;
    for (const res of o.lossMapResolutions) {
      if (rate !== undefined && (res * res) / rate > 2 * o.maxRowSeconds) {
        notes.push(`loss map ${res}²: skipped (predicted ${((res * res) / rate).toFixed(0)} s)`);
        break;
      }
      o.log(`loss map: ${res}×${res}`);
      const t0 = now();
      await map(res);
      const seconds = now() - t0;
      rate = (res * res) / seconds;
      report.lossMap.push({ res, pointsPerSec: rate, fractionOfBound: boundSeconds * rate });
      report.details.lossMap.push({ res, seconds, bound, flopsPerPoint, bytesPerPoint });
      update();
    }
  }

  report.details.seconds = now() - started;
  update();
  return report;
}
