// The sweep behind the LLC's default settings (docs/instruments/llc.md): networks trained to a
// minimum, then λ̂ over a grid of estimator settings on the CPU engine, each row changing one or
// two settings from the defaults. Models: `logistic` (3-1 logistic regression on noisy labels, a
// regular model: λ = d/2 = 2) or `dead` (2-3-1 relu with a dead hidden unit, d/2 = 6.5).
// Run: npx tsx scripts/llcSweep.ts [logistic|dead] [examples]
import { estimateLlc } from '../src/core/instruments/llc/llc';
import { DEFAULT_LLC_SETTINGS, defaultNbeta, resolveSgld, type LlcSettings } from '../src/core/instruments/llc/llcAnalysis';
import { CpuEngine } from '../src/core/cpuEngine';
import { paramCount, type ModelLayout } from '../src/core/layout';
import { noisyLogistic } from '../src/core/tasks/noisyLogistic';
import { deadUnitInit, trainToMinimum } from '../tests/helpers/llcModels';

const model = process.argv[2] ?? 'logistic';
const examples = Number(process.argv[3] ?? 512);
const dead = model === 'dead';
const task = noisyLogistic({ inputs: dead ? 2 : 3, examples, dataSeed: 0 });
const layout: ModelLayout = dead ? { widths: [2, 3, 1], activation: 'relu' } : { widths: [3, 1], activation: 'tanh' };
const d = paramCount(layout.widths);
const engine = new CpuEngine();
const particles = 4;
const init = dead ? deadUnitInit(3, particles) : undefined;
const { params: centers, gradNorm } = await trainToMinimum(engine, layout, task, particles, init);
console.log(
  `${model}: n = ${examples}, d = ${d}, d/2 = ${d / 2}, default nβ = ${defaultNbeta(examples).toFixed(1)}; |∇L(w*)| ≤ ${gradNorm.toExponential(1)}`,
);
const grid: Partial<LlcSettings>[] = [{}];
for (const eps of [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2]) grid.push({ eps });
for (const gamma of [0, 0.1, 10, 100]) grid.push({ gamma });
for (const nbeta of [10, 30, 300, 1000]) grid.push({ nbeta });
for (const batch of [16, 64] as const) grid.push({ batch });
for (const draws of [500, 4000]) grid.push({ draws });
for (const burnin of [0, 2000]) grid.push({ burnin });
for (const change of grid) {
  const settings = { ...DEFAULT_LLC_SETTINGS, ...change };
  const sgld = resolveSgld(settings, examples);
  const t0 = performance.now();
  const result = await engine.sampleSgld({ layout, task, centers, particles, noiseSeed: 2, firstParticle: 0, sgld });
  const est = estimateLlc(result, particles, sgld.chains, sgld.nbeta);
  const mean = est.llc.reduce((a, b) => a + b, 0) / particles;
  const sd = Math.sqrt(est.llcStd.reduce((a, b) => a + b * b, 0) / particles);
  const below = est.below.reduce((a, b) => a + b, 0) / particles;
  const label = Object.keys(change).length ? JSON.stringify(change) : 'defaults';
  console.log(
    `${label.padEnd(20)} λ̂ ${mean.toFixed(3)} (${((100 * mean) / (d / 2)).toFixed(0)}% of d/2), chain sd ${sd.toFixed(3)}, below ${below.toFixed(2)}, problems ${est.problems.filter(Boolean).length}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
