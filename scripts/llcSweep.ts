// The sweep behind the LLC's default settings (README, "Basin geometry"): logistic regression on
// noisy labels, a regular model whose learning coefficient is d/2, trained to its minimum, then
// λ̂ over a grid of ε, γ and nβ on the CPU engine. Run: npx tsx scripts/llcSweep.ts [examples]
import { DEFAULT_LLC_SETTINGS, defaultNbeta, resolveSgld, type LlcSettings } from '../src/core/analysis/llcAnalysis';
import { estimateLlc } from '../src/core/analysis/llc';
import { CpuEngine } from '../src/core/cpuEngine';
import { paramCount } from '../src/core/layout';
import { noisyLogistic } from '../src/core/tasks/noisyLogistic';
import { trainToMinimum } from '../tests/helpers/llcModels';

const examples = Number(process.argv[2] ?? 512);
const task = noisyLogistic({ inputs: 3, examples, dataSeed: 0 });
const layout = { widths: [3, 1], activation: 'tanh' as const };
const d = paramCount(layout.widths);
const engine = new CpuEngine();
const particles = 4;
const { params: centers, gradNorm } = await trainToMinimum(engine, layout, task, particles);
console.log(`gradient norm at w*: ${gradNorm.toExponential(1)}`);
console.log(`n = ${examples}, d = ${d}, d/2 = ${d / 2}, default nβ = ${defaultNbeta(examples).toFixed(1)}`);
const grid: Partial<LlcSettings>[] = [];
for (const eps of [1e-4, 3e-4, 1e-3, 3e-3, 1e-2]) for (const gamma of [0, 1, 10, 100]) grid.push({ eps, gamma });
for (const batch of [16, 64] as const) grid.push({ batch });
for (const nbeta of [10, 1000]) grid.push({ nbeta });
for (const change of grid) {
  const settings = { ...DEFAULT_LLC_SETTINGS, ...change };
  const sgld = resolveSgld(settings, examples);
  const t0 = performance.now();
  const result = await engine.sampleSgld({ layout, task, centers, particles, noiseSeed: 2, firstParticle: 0, sgld });
  const est = estimateLlc(result, particles, sgld.chains, sgld.nbeta);
  const mean = est.llc.reduce((a, b) => a + b, 0) / particles;
  const sd = Math.sqrt(est.llcStd.reduce((a, b) => a + b * b, 0) / particles);
  console.log(
    `${JSON.stringify(change).padEnd(28)} λ̂ ${mean.toFixed(3)} (${((100 * mean) / (d / 2)).toFixed(0)}% of d/2), chain sd ${sd.toFixed(3)}, below ${est.below[0].toFixed(2)}, problems ${est.problems.filter(Boolean).length}, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
