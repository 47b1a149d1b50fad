/**
 * The benchmark's model axis alone (src/bench/modelAxis.ts; `npm run bench` runs it with the rest):
 * calibration, then every net of issue 20 at 8, 64 and 1,024 particles beside the CPU engine.
 *   nice npx tsx src/bench/experiments/modelAxis.ts   (SECONDS=1 MAX_ROW_SECONDS=20 to change)
 */
import { calibrate } from '../calibrate';
import { runModelAxis, type ModelAxisRow } from '../modelAxis';
import { MODEL_AXIS_PARTICLES, type BenchReport } from '../suite';
import { formatReport } from '../table';
import { createNodeGpuEngine } from '../../node/nodeGpu';
import { nodeShaderLibrary } from '../../node/nodeShaderLibrary';

const engine = (await createNodeGpuEngine())!;
const peak = await calibrate(engine.gpu, nodeShaderLibrary().calibrate);
const rows: ModelAxisRow[] = [];
const notes: string[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);
const rowSeconds = Number(process.env.SECONDS ?? 1);
await runModelAxis(
  engine,
  {
    peakGflops: peak.gflops,
    rowSeconds,
    maxRowSeconds: Number(process.env.MAX_ROW_SECONDS ?? 20),
    particleCounts: MODEL_AXIS_PARTICLES,
    log,
    notes,
  },
  (row) => {
    rows.push(row);
    log(JSON.stringify(row));
  },
);
const report: BenchReport = {
  device: engine.device,
  peak,
  trainer: [],
  modelAxis: rows,
  lossMap: [],
  scaling: [],
  peers: [],
  details: { trainer: [], lossMap: [], notes, startedAt: new Date().toISOString(), seconds: 0 },
};
console.log(formatReport(report));
engine.dispose();
process.exit(0);
