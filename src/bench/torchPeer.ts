import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { paramCount, type ModelLayout } from '../core/layout';
import { adamBetas, type Hyper } from '../core/optimizer';
import { taskLoss, type Task } from '../core/task';
import type { AxisTorch } from './modelAxis';

/**
 * The PyTorch peer of the benchmark's model axis (Node only: it runs src/bench/torch_peer.py in a
 * child process). PyTorch is optional: where no interpreter imports torch the peer is "absent",
 * one line, and the benchmark carries on.
 */

const SCRIPT = fileURLToPath(new URL('./torch_peer.py', import.meta.url));

/**
 * The interpreters tried, first that imports torch wins: `python3` on the PATH, then Debian's own
 * (python3-torch installs under /usr/lib/python3, which a pyenv or venv python3 does not see).
 */
export const TORCH_PYTHONS = ['python3', '/usr/bin/python3'];

export type TorchProbe = { python: string; version: string } | { absent: string };

/** The one line the benchmark prints where PyTorch cannot run. */
export const TORCH_ABSENT = 'python3-torch not installed';

const run = (file: string, args: string[], timeoutMs = 0) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    ),
  );

/** The first of `pythons` that imports torch, or why none does. Never throws. */
export async function findTorch(pythons: readonly string[] = TORCH_PYTHONS): Promise<TorchProbe> {
  for (const python of pythons) {
    const r = await run(python, ['-c', 'import torch, numpy; print(torch.__version__)'], 60_000);
    if (r.code === 0) return { python, version: r.stdout.trim() };
  }
  return { absent: TORCH_ABSENT };
}

/** What the peer trains: the axis model's net, task and optimizer, from these inits (tiled to more particles). */
export interface TorchPeerSpec {
  layout: ModelLayout;
  hyper: Hyper;
  task: Task;
  /** [initParticles][paramCount] */
  init: Float32Array;
}

/** One JSON line of the script's output. */
type Line = { torch?: string; device?: string; particles?: number; rate?: number; firstStep?: number; skipped?: string; absent?: string };

/** Writes the spec's data to a temporary folder and runs the script on it; the folder goes afterwards. */
async function withSpec<T>(
  python: string,
  spec: TorchPeerSpec,
  mode: (dir: string) => Record<string, unknown>,
  files: Record<string, Uint8Array>,
  use: (r: { code: number; stdout: string; stderr: string }, dir: string) => T,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'basin-torch-'));
  try {
    const { layout, hyper, task, init } = spec;
    const p = paramCount(layout);
    if (init.length === 0 || init.length % p !== 0)
      throw new Error(`torch peer: init holds ${init.length} values, not whole ${p}-parameter vectors`);
    const outputs = layout.widths[layout.widths.length - 1];
    const loss = taskLoss(task) === 'mse' ? 'mse' : outputs === 1 ? 'bce' : 'softmax';
    const target = loss === 'mse' ? task.train.targets! : Float32Array.from(task.train.y);
    const write = (name: string, data: Uint8Array) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    };
    const bytes = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const [beta1, beta2] = adamBetas(hyper);
    const json = {
      widths: layout.widths,
      activation: layout.activation,
      bias: layout.bias !== false,
      loss,
      optimizer: hyper.optimizer,
      lr: hyper.lr,
      momentum: hyper.momentum,
      weightDecay: hyper.weightDecay,
      beta1,
      beta2,
      lrScale: hyper.lrScale ?? null,
      batch: hyper.batch,
      rows: task.train.rows,
      x: write('x.f32', bytes(task.train.x)),
      target: write('target.f32', bytes(target)),
      init: write('init.f32', bytes(init)),
      initParticles: init.length / p,
      device: 'auto',
      ...mode(dir),
      ...Object.fromEntries(Object.entries(files).map(([name, data]) => [name, write(name, data)])),
    };
    const specFile = write('spec.json', new TextEncoder().encode(JSON.stringify(json)));
    return use(await run(python, [SCRIPT, specFile]), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const parseLines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

export interface TorchRates {
  /** where it ran: 'cpu, 1 thread' or 'cuda (NVIDIA …)', with torch's version */
  device: string;
  /** particle count → particle-steps/s and the first step's seconds */
  rates: Map<number, { rate: number; firstStep: number }>;
  notes: string[];
}

/**
 * Particle-steps/s of the PyTorch ensemble at each of `particles` (in order, stopping where 3 steps
 * are predicted past `maxRowSeconds`): the first step apart, then a steady run of about `seconds`.
 * Any failure of the script comes back as a note, never a throw.
 */
export async function torchRates(
  python: string,
  spec: TorchPeerSpec,
  particles: readonly number[],
  seconds: number,
  maxRowSeconds: number,
): Promise<TorchRates> {
  const out: TorchRates = { device: '', rates: new Map(), notes: [] };
  try {
    await withSpec(
      python,
      spec,
      () => ({ mode: 'rate', particles, seconds, maxRowSeconds }),
      {},
      (r) => {
        for (const line of parseLines(r.stdout)) {
          if (line.device) out.device = `${line.device}, torch ${line.torch}`;
          if (line.absent) out.notes.push(line.absent);
          if (line.particles !== undefined && line.rate !== undefined)
            out.rates.set(line.particles, { rate: line.rate, firstStep: line.firstStep ?? NaN });
          if (line.particles !== undefined && line.skipped) out.notes.push(`${line.particles} particles skipped (${line.skipped})`);
        }
        if (r.code !== 0) out.notes.push(`exited ${r.code}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
      },
    );
  } catch (e) {
    out.notes.push((e as Error).message);
  }
  return out;
}

/**
 * `steps` steps of every particle of `spec.init` (no tiling) on the PyTorch ensemble, on the
 * minibatch rows given ([steps][particles][batch]; absent: torch's own draws), and the parameters
 * after them in the project's layout. For the tests; throws with the script's own line on failure.
 */
export async function torchTrain(python: string, spec: TorchPeerSpec, steps: number, batchRows?: Int32Array): Promise<Float32Array> {
  return withSpec(
    python,
    spec,
    (dir) => ({ mode: 'steps', steps, batchRows: null, out: join(dir, 'out.f32') }),
    batchRows ? { batchRows: new Uint8Array(batchRows.buffer, batchRows.byteOffset, batchRows.byteLength) } : {},
    (r, dir) => {
      if (r.code !== 0) throw new Error(r.stderr.trim() || r.stdout.trim() || `torch_peer.py exited ${r.code}`);
      const raw = readFileSync(join(dir, 'out.f32'));
      return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    },
  );
}

/** Runs the script on a raw spec object, for the tests of its argument checking: exit code and stderr. */
export async function torchScriptOn(python: string, spec: unknown): Promise<{ code: number; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'basin-torch-'));
  try {
    const file = join(dir, 'spec.json');
    writeFileSync(file, typeof spec === 'string' ? spec : JSON.stringify(spec));
    const r = await run(python, [SCRIPT, file]);
    return { code: r.code, stderr: r.stderr.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The model axis's PyTorch peer on the first interpreter that imports torch, or why there is none. */
export async function nodeAxisTorch(pythons: readonly string[] = TORCH_PYTHONS): Promise<AxisTorch | { absent: string }> {
  const probe = await findTorch(pythons);
  if ('absent' in probe) return probe;
  return {
    rates: async (setup, init, counts, seconds, maxRowSeconds) => {
      const r = await torchRates(probe.python, { ...setup, init }, counts, seconds, maxRowSeconds);
      return { ...r, device: r.device && `${r.device} (${probe.python})` };
    },
  };
}
