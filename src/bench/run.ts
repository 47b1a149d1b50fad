/**
 * `npm run bench`: calibration, trainer, loss map and peers on this machine's WebGPU adapter
 * (a hardware one when it exists, SwiftShader otherwise), one table, all figures from one run.
 *   npm run bench -- --json FILE     also write the figures as JSON
 *   npm run bench -- --quick         shorter measurements (noisier), for a smoke test
 *   npm run bench -- --seconds S     seconds per timed measurement (default 1)
 *   npm run bench -- --particles 256,4096 --res 64   other particle counts and loss-map sizes
 *   npm run bench -- --no-tfjs --no-torch   without the TF.js or PyTorch peers
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Command } from 'commander';
import { createNodeGpuEngine } from '../node/nodeGpu';
import { nodeShaderLibrary } from '../node/nodeShaderLibrary';
import { AXIS_MODEL_NAMES } from './modelAxis';
import { DEFAULT_LOSS_MAP_RESOLUTIONS, DEFAULT_PARTICLE_COUNTS, runBenchmark } from './suite';
import { formatReport } from './table';
import { parseBenchSettings, type BenchSettings } from './options';
import { isUserError } from '../core/errors';
import { setUpNodeTfjs } from './nodeTfjs';
import { nodeAxisTorch } from './torchPeer';

const program = new Command()
  .name('npm run bench --')
  .option('--json <file>', 'write the figures as JSON')
  .option('--quick', 'short measurements, for a smoke test')
  .option(
    '--seconds <s>',
    'seconds per timed measurement (default 1; 0.25 with --quick); a trainer row times at least 16 steps where they fit',
  )
  .option(
    '--particles <list>',
    `particle counts of the trainer rows and the model axis (default ${DEFAULT_PARTICLE_COUNTS.join(',')}; the model axis 8,64,1024)`,
  )
  .option('--models <list>', `the model axis's nets (default all: ${AXIS_MODEL_NAMES.join(',')})`)
  .option('--res <list>', `loss-map resolutions (default ${DEFAULT_LOSS_MAP_RESOLUTIONS.join(',')})`)
  .option('--no-tfjs', 'skip TensorFlow.js')
  .option('--no-torch', "skip the PyTorch peer of the model axis (it runs only where python3 imports torch: Debian's python3-torch)")
  .parse();
const opts = program.opts<{
  json?: string;
  quick?: boolean;
  seconds?: string;
  particles?: string;
  models?: string;
  res?: string;
  tfjs: boolean;
  torch: boolean;
}>();
let settings: BenchSettings;
try {
  settings = parseBenchSettings({ ...opts, seconds: opts.seconds ?? (opts.quick ? '0.25' : undefined) }, 'flag');
} catch (e) {
  if (!isUserError(e)) throw e;
  console.error(`bench: ${e.message}`);
  process.exit(2);
}
const { rowSeconds } = settings;

const engine = await createNodeGpuEngine();
if (!engine) {
  console.error("no WebGPU adapter: install Debian's chromium and libvulkan1 (apt-get install chromium libvulkan1)");
  process.exit(1);
}
const log = (line: string) => process.stderr.write(`${line}\n`);
log(
  `adapter: ${engine.device}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${availableParallelism()} cores`,
);

const report = await runBenchmark({
  engine,
  device: engine.gpu,
  calibrateWgsl: nodeShaderLibrary().calibrate,
  tfjs: () => setUpNodeTfjs(engine.gpu),
  ...(opts.torch ? { torch: await nodeAxisTorch() } : {}),
  ...settings,
  maxRowSeconds: opts.quick ? 3 : 10 * rowSeconds,
  log,
});
report.details.notes.push(
  `load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${availableParallelism()} cores`,
);
console.log(formatReport(report));
if (opts.json) {
  writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${opts.json}`);
}
engine.dispose();
