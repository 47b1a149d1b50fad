/**
 * bench.html: the benchmark in the browser, on navigator.gpu, with the same suite and table as
 * `npm run bench`, so anyone can measure their own laptop.
 */
import { GpuEngine } from '../engine/gpuEngine';
import { browserShaderLibrary } from '../engine/browserShaderLibrary';
import { runBenchmark } from './suite';
import { parseBenchSettings, type BenchSettings } from './options';
import { isUserError } from '../core/errors';
import { formatReport } from './table';
import { setUpTfjs } from './tfjsPeer';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const table = $<HTMLPreElement>('table');
const log = $<HTMLPreElement>('log');
const button = $<HTMLButtonElement>('run');
const json = $<HTMLAnchorElement>('json');

function say(line: string): void {
  log.textContent += `${line}\n`;
  log.scrollTop = log.scrollHeight;
}

async function device(): Promise<{ device: GPUDevice; description: string }> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new Error('this browser has no WebGPU (navigator.gpu is missing)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('WebGPU is present but offered no adapter');
  const l = adapter.limits;
  const dev = await adapter.requestDevice({
    label: 'basin-atlas bench',
    requiredLimits: { maxStorageBufferBindingSize: l.maxStorageBufferBindingSize, maxBufferSize: l.maxBufferSize },
  });
  const info = adapter.info;
  const name = info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unknown adapter';
  return {
    device: dev,
    description: `${name} (WebGPU in ${navigator.userAgent.match(/(Chrome|Firefox|Safari|Edg)\/[\d.]+/)?.[0] ?? 'this browser'})`,
  };
}

async function run(): Promise<void> {
  button.disabled = true;
  json.hidden = true;
  log.textContent = '';
  table.textContent = 'Starting…';
  try {
    // every URL parameter is checked before anything runs: a typo must not become a silent default
    const query = new URLSearchParams(location.search);
    const get = (name: string) => query.get(name) ?? undefined;
    let settings: BenchSettings;
    try {
      settings = parseBenchSettings(
        { seconds: get('seconds'), particles: get('particles'), res: get('res'), models: get('models'), tfjs: get('tfjs') },
        'label',
      );
    } catch (e) {
      if (isUserError(e)) throw new Error(`bad URL parameter: ${e.message}`, { cause: e });
      throw e;
    }
    const gpu = await device();
    say(`adapter: ${gpu.description}`);
    const engine = new GpuEngine(gpu.device, browserShaderLibrary, gpu.description);
    const report = await runBenchmark({
      engine,
      device: gpu.device,
      calibrateWgsl: browserShaderLibrary.calibrate,
      tfjs: () => setUpTfjs(gpu.device),
      ...settings,
      maxRowSeconds: 10 * settings.rowSeconds,
      log: say,
      onUpdate: (r) => (table.textContent = formatReport(r)),
    });
    report.details.notes.push(`browser: ${navigator.userAgent}`);
    table.textContent = formatReport(report);
    json.href = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }));
    json.hidden = false;
    engine.dispose();
  } catch (e) {
    table.textContent = `The benchmark stopped: ${(e as Error).message}`;
  } finally {
    button.disabled = false;
  }
}

button.addEventListener('click', () => void run());
if (new URLSearchParams(location.search).has('autorun')) void run();
