import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionHex } from '../../src/core/instruments/prior/prior';
import { priorSpec } from '../../src/core/instruments/prior/priorRun';
import { domainRows, functionBits, functionWords } from '../../src/core/instruments/prior/priorSampler';
import { CpuEngine } from '../../src/core/cpuEngine';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { Mlp } from '../../src/core/mlp';
import { makeRun } from '../../src/core/runs';
import { findPreset } from '../../src/core/tasks';
import { BIN, inProcess, tempDir } from './run';

// a small net, so the CPU engine samples and trains in seconds
const RUN = [
  '--engine',
  'cpu',
  '--task',
  'boolean',
  '--knob',
  'm=2',
  '--knob',
  'dataSeed=4',
  '--hidden',
  '8',
  '--steps',
  '60',
  '--seed',
  '5',
];

interface FunctionJson {
  bits: string;
  generalisationError: number;
  priorCount: number;
  sgdCount: number;
}

describe('basin-atlas prior', () => {
  const dir = tempDir();

  it('counts the prior sampler’s functions and the trained particles’ functions exactly as the engine and train give them', async () => {
    const params = join(dir, 'params.json');
    const r = await inProcess(['prior', ...RUN, '--samples', '2000', '--sgd', '6', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.kind).toBe('prior');
    expect(d.config.initDist).toBe('gaussian');
    expect([d.samples, d.sgd.particles, d.bitsRows]).toEqual([2000, 6, 128]);
    expect(d.acceptance.low).toBeLessThanOrEqual(d.acceptance.fraction);
    expect(d.acceptance.high).toBeGreaterThanOrEqual(d.acceptance.fraction);
    const functions = d.functions as FunctionJson[];
    const sum = (key: 'priorCount' | 'sgdCount') => functions.reduce((n, f) => n + f[key], 0);
    expect(sum('priorCount')).toBe(d.accepted);
    expect(sum('sgdCount')).toBe(d.sgd.fitted);

    // the prior side: the same counts as the CPU engine's sampler called directly on the same run
    const preset = findPreset('boolean')!;
    const task = preset.build({ target: 0, m: 2, dataSeed: 4 });
    const run = makeRun({ ...DEFAULT_CONFIG, ...preset.defaults, hidden: [8], seed: 5 }, task);
    const direct = await new CpuEngine().samplePrior(priorSpec(run, 2000));
    expect(direct.accepted.length).toBe(d.accepted);
    const rows = domainRows(task);
    const tally = (hexes: string[]) => hexes.reduce((m, h) => m.set(h, (m.get(h) ?? 0) + 1), new Map<string, number>());
    const priorDirect = tally(Array.from(direct.accepted, (_, k) => functionHex(direct.bits, k, rows)));
    expect(new Map(functions.filter((f) => f.priorCount > 0).map((f) => [f.bits, f.priorCount]))).toEqual(priorDirect);

    // the SGD side: the functions of the particles `train` gives with the same flags
    const t = await inProcess(['train', ...RUN, '--particles', '6', '--params-out', params, '--json']);
    expect(t.code, t.stderr).toBe(0);
    const vectors = (JSON.parse(readFileSync(params, 'utf8')).particles as { params: number[] }[]).map((p) => p.params);
    const mlp = new Mlp(run.layout);
    const words = functionWords(rows);
    const bits = new Uint32Array(words);
    const trained = vectors.flatMap((v) => (functionBits(mlp, Float32Array.from(v), task, bits, 0) ? [functionHex(bits, 0, rows)] : []));
    expect(new Map(functions.filter((f) => f.sgdCount > 0).map((f) => [f.bits, f.sgdCount]))).toEqual(tally(trained));
  });

  it('Ctrl-C while sampling stops between chunks: exit 130, "cancelled", no --out written', async () => {
    const out = join(dir, 'stopped');
    mkdirSync(out);
    // the command probes its --out folder just before the work starts
    const ready = new Promise<void>((resolve) => {
      const watcher = watch(out, (_event, name) => {
        if (!name?.startsWith('.out.json.')) return;
        watcher.close();
        resolve();
      });
    });
    const child = spawn(process.execPath, [BIN, 'prior', ...RUN, '--samples', '1000000000', '--out', join(out, 'out.json')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await ready;
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(stderr).toMatch(/cancelled/);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses bad sizes, tasks it cannot sample and flags that would be ignored, with one line naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['prior', '--samples', '0'], /--samples must be an integer from 1 to 1000000000/],
      [['prior', '--sgd', '1.5'], /--sgd must be an integer from 1 to 1048576/],
      [['prior', '--particles', '10'], /prior takes no --particles/],
      [['prior', '--init-dist', 'laplace'], /--init-dist must be one of default, gaussian, meanfield, got "laplace"/],
      [['prior', '--init-dist', 'meanfield'], /--init-dist must be default or gaussian for prior, got "meanfield"/],
      [['prior', '--task', 'boolean', '--knob', 'm=128'], /--knob m must be an integer from 1 to 127/],
      [['prior', '--task', 'boolean', '--knob', 'bits=4'], /--knob m must be from 1 to 15 with 4 input bits \(16 inputs\), got 64/],
      [['prior', '--task', 'boolean', '--knob', 'bits=8'], /--knob bits must be an integer from 2 to 7/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess([...args, '--engine', 'cpu']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('--png draws the scatter of the functions both found, and the JSON counts the one-sided ones', async () => {
    const png = join(dir, 'scatter.png');
    const args = ['--engine', 'cpu', '--task', 'boolean', '--knob', 'bits=3', '--knob', 'm=2', '--knob', 'target=1', '--hidden', '8'];
    const r = await inProcess(['prior', ...args, '--steps', '30', '--samples', '1500', '--sgd', '16', '--png', png, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    const fs = d.functions as FunctionJson[];
    expect(d.functionCounts).toEqual({
      both: fs.filter((f) => f.priorCount > 0 && f.sgdCount > 0).length,
      priorOnly: fs.filter((f) => f.sgdCount === 0).length,
      sgdOnly: fs.filter((f) => f.priorCount === 0).length,
    });
    expect([...readFileSync(png).subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  });
});
