// The LLC estimator against models with a known learning coefficient (docs/instruments/llc.md):
// each model trained to a minimum (full-batch Adam), then λ̂ at the given settings on the CPU engine.
// Run: npx tsx scripts/llcValidation.ts [eps|auto] [particles] [name filter]
import { estimateLlc } from '../src/core/instruments/llc/llc';
import { DEFAULT_LLC_SETTINGS, resolveSgld } from '../src/core/instruments/llc/llcAnalysis';
import { linearRegression, reducedRank, tanhRegular, tanhSingular, type KnownLlcModel } from '../src/core/instruments/llc/llcModels';
import { chooseStepSizes } from '../src/core/instruments/llc/llcStepSize';
import { CpuEngine } from '../src/core/cpuEngine';
import { initEnsemble } from '../src/core/init';
import { trainToMinimum } from '../tests/helpers/llcModels';

const epsArg = process.argv[2];
const particles = Number(process.argv[3] ?? 4);
const rows = Number(process.env.ROWS ?? 1000);
// another data set and init (the table's are seeds 1–5 and init 7)
const shift = Number(process.env.SEED_SHIFT ?? 0);
const models: KnownLlcModel[] = [
  linearRegression(5, rows, 1),
  linearRegression(10, rows, 2),
  tanhRegular(rows, 3),
  tanhSingular(rows, 4),
  reducedRank(rows, 5),
];
const only = process.argv[4];
const engine = new CpuEngine();
for (const model of models.filter((m) => !only || m.name.includes(only))) {
  const init = initEnsemble(model.layout, 7 + shift, 0, particles, 1);
  const { params } = await trainToMinimum(engine, model.layout, model.task, particles, init);
  const settings = { ...DEFAULT_LLC_SETTINGS, ...(epsArg && epsArg !== 'auto' ? { eps: Number(epsArg) } : {}) };
  const sgld = resolveSgld(settings, rows);
  const t0 = performance.now();
  const chosen =
    epsArg === 'auto'
      ? await chooseStepSizes(engine, { layout: model.layout, task: model.task, params, firstParticle: 0 }, sgld.nbeta)
      : undefined;
  const result = await engine.sampleSgld({
    layout: model.layout,
    task: model.task,
    centers: params,
    particles,
    noiseSeed: 2,
    firstParticle: 0,
    sgld,
    epsByParticle: chosen?.eps,
  });
  const est = estimateLlc(result, particles, sgld.chains, sgld.nbeta);
  const mean = est.llc.reduce((a, b) => a + b, 0) / particles;
  console.log(
    `${model.name.padEnd(28)} λ ${model.lambda.toFixed(2)}  λ̂ ${mean.toFixed(3)} (${((100 * (mean - model.lambda)) / model.lambda).toFixed(0)}%)  per particle ${Array.from(est.llc, (x) => x.toFixed(2)).join(' ')}  ε ${chosen ? Array.from(chosen.eps, (e) => e.toExponential(1)).join(' ') : sgld.eps}  ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
