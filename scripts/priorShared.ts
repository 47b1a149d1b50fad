/**
 * How many functions the prior and SGD share, by prior samples and trained particles, for sizing the
 * sandbox's prior story (docs/STORIES.md): one run of S samples and N particles of the boolean preset
 * on this machine's WebGPU adapter (SwiftShader here), read at every prefix. Samples 0..s−1 and
 * particles 0..n−1 are each a prefix of the larger run (counter-based streams), so one run answers
 * for all of them.
 *
 *   npx tsx scripts/priorShared.ts SAMPLES PARTICLES [BITS M STEPS]   # defaults: 4 3 60 (the story's)
 *   HIDDEN=8 npx tsx scripts/priorShared.ts 1000 64                    # a narrower net (the UI test's)
 */
import { DEFAULT_CONFIG } from '../src/core/config';
import type { RunConfig } from '../src/core/runSettings';
import { makeRun, trainEnsemble } from '../src/core/runs';
import { findPreset } from '../src/core/tasks';
import { samplePrior } from '../src/core/instruments/prior/priorRun';
import { comparePriorAndSgd } from '../src/core/instruments/prior/prior';
import { domainRows, functionBits, functionWords } from '../src/core/instruments/prior/priorSampler';
import { paramCount } from '../src/core/layout';
import { Mlp } from '../src/core/mlp';
import { createNodeGpuEngine } from '../src/node/nodeGpu';

const [S, N, inputBits = 4, m = 3, steps = 60] = process.argv.slice(2).map(Number);
if (!S || !N) throw new Error('usage: npx tsx scripts/priorShared.ts SAMPLES PARTICLES [BITS M STEPS]');
const preset = findPreset('boolean')!;
const knobs = { bits: inputBits, m };
const hidden = process.env.HIDDEN ? process.env.HIDDEN.split(',').map(Number) : preset.defaults.hidden!;
const config: RunConfig = { ...DEFAULT_CONFIG, ...preset.defaults, hidden, task: 'boolean', knobs, steps, particles: N };
const run = makeRun(config, preset.build(knobs));
const engine = await createNodeGpuEngine();
if (!engine) throw new Error('no WebGPU adapter');
let t = performance.now();
const prior = await samplePrior(engine, run, S);
console.log(`${S} prior samples: ${((performance.now() - t) / 1000).toFixed(1)} s, ${prior.accepted.length} accepted`);
t = performance.now();
const trained = await trainEnsemble(engine, run);
// each particle's function, and how many of particles 0..n−1 fit (a prefix keeps its own fitted ones)
const words = functionWords(domainRows(run.task));
const p = paramCount(run.layout);
const mlp = new Mlp(run.layout);
const bits = new Uint32Array(N * words);
const fittedBefore = [0];
for (let i = 0, count = 0; i < N; i++) {
  const params = trained.params.subarray(i * p, (i + 1) * p);
  if (!trained.diverged[i] && functionBits(mlp, params, run.task, bits, count * words)) count++;
  fittedBefore.push(count);
}
console.log(`${N} particles × ${steps} steps: ${((performance.now() - t) / 1000).toFixed(1)} s, ${fittedBefore[N]} fit`);
for (const s of [500, 1000, 3000, 10_000, 20_000, 30_000, 50_000, 100_000].filter((x) => x <= S)) {
  const k = prior.accepted.findIndex((i) => i >= s);
  const accepted = k < 0 ? prior.accepted.length : k;
  const part = { accepted: prior.accepted.slice(0, accepted), bits: prior.bits.slice(0, accepted * words) };
  const cells = [64, 128, 256, 512, 1024, 2048]
    .filter((n) => n <= N)
    .map((n) => {
      const f = fittedBefore[n];
      const c = comparePriorAndSgd(run.task, s, part, { bits: bits.slice(0, f * words), count: f }, n, config.seed);
      const r = c.correlation;
      return `${n}: ${c.functionCounts.both}${r ? ` (r ${r.value.toFixed(2)} [${r.low.toFixed(2)}, ${r.high.toFixed(2)}])` : ''}`;
    });
  console.log(`${s} samples (${accepted} accepted), shared by particles ${cells.join(', ')}`);
}
process.exit(0);
