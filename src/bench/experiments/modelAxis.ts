/**
 * The benchmark's model axis alone (src/bench/modelAxis.ts; `npm run bench` runs it with the rest):
 * calibration, then every net of issue 20 at 8, 64, 1,024 and 16,384 particles (as far as each
 * fits) beside the CPU engine, TF.js (WebGPU on the same device, and its CPU backend) and PyTorch
 * where python3 imports torch.
 *   nice npx tsx src/bench/experiments/modelAxis.ts
 *   SECONDS=1 MAX_ROW_SECONDS=20 MODELS=3-16-1,grokking TFJS=0 TORCH=0   to change
 */
import { loadavg } from 'node:os';
import { calibrate } from '../calibrate';
import { runModelAxis, type ModelAxisRow } from '../modelAxis';
import { setUpNodeTfjs } from '../nodeTfjs';
import { parseBenchSettings, type BenchSettings } from '../options';
import { isUserError } from '../../core/errors';
import { MODEL_AXIS_PARTICLES, type BenchReport } from '../suite';
import { formatReport } from '../table';
import { nodeAxisTorch } from '../torchPeer';
import { createNodeGpuEngine } from '../../node/nodeGpu';
import { nodeShaderLibrary } from '../../node/nodeShaderLibrary';

const env = process.env;
// the same checks as `npm run bench`'s flags and bench.html's parameters (named in lower case)
let settings: BenchSettings;
try {
  settings = parseBenchSettings({ seconds: env.SECONDS, models: env.MODELS, tfjs: env.TFJS }, 'label');
} catch (e) {
  if (!isUserError(e)) throw e;
  console.error(`model axis: environment variable ${e.message.replace(/^\w+/, (name) => name.toUpperCase())}`);
  process.exit(2);
}
const maxRowSeconds = Number(env.MAX_ROW_SECONDS ?? 20);
if (!(maxRowSeconds > 0 && maxRowSeconds < Infinity)) {
  console.error(`model axis: environment variable MAX_ROW_SECONDS must be a positive number, got "${env.MAX_ROW_SECONDS}"`);
  process.exit(2);
}
const engine = (await createNodeGpuEngine())!;
const peak = await calibrate(engine.gpu, nodeShaderLibrary().calibrate);
const rows: ModelAxisRow[] = [];
const notes: string[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);
const tfjs = settings.withTfjs ? await setUpNodeTfjs(engine.gpu) : undefined;
notes.push(...(tfjs?.notes ?? []).map((n) => `TF.js: ${n}`));
const started = new Date().toISOString();
await runModelAxis(
  engine,
  {
    ...(settings.axisModels ? { models: settings.axisModels } : {}),
    peakGflops: peak.gflops,
    rowSeconds: settings.rowSeconds,
    maxRowSeconds,
    particleCounts: MODEL_AXIS_PARTICLES,
    ...(tfjs ? { tfjs } : {}),
    ...(env.TORCH === '0' ? {} : { torch: await nodeAxisTorch() }),
    log,
    notes,
  },
  (row) => {
    rows.push(row);
    log(JSON.stringify(row));
  },
);
notes.push(
  `load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const report: BenchReport = {
  device: engine.device,
  peak,
  trainer: [],
  modelAxis: rows,
  lossMap: [],
  scaling: [],
  peers: [],
  details: { trainer: [], lossMap: [], notes, startedAt: started, seconds: 0 },
};
console.log(formatReport(report));
engine.dispose();
process.exit(0);
