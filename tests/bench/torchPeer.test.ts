import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { axisModels, runModelAxis, type AxisTorch, type ModelAxisRow } from '../../src/bench/modelAxis';
import { formatReport } from '../../src/bench/table';
import type { BenchReport } from '../../src/bench/suite';
import { CpuEngine } from '../../src/core/cpuEngine';
import { TORCH_ABSENT, findTorch, torchRates, torchScriptOn, torchTrain } from '../../src/bench/torchPeer';
import { initEnsemble } from '../../src/core/init';
import { LOSS_TOLERANCE, PARAMS_TOLERANCE, ourBatchRows, paramsChecked, peerGap } from '../helpers/peerGap';
import { testSeed } from '../helpers/random';

/** Any python3 at all, for the script's argument checks (they run before torch is imported). */
const python = ['python3', '/usr/bin/python3'].find((p) => {
  try {
    execFileSync(p, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
// CI does not install torch: the comparison with the CPU engine runs only where it is (e.g. apt-get install python3-torch)
const torch = await findTorch();

const GOOD = {
  widths: [3, 4, 1],
  activation: 'tanh',
  bias: true,
  loss: 'bce',
  optimizer: 'sgd',
  lr: 0.5,
  momentum: 0,
  weightDecay: 0,
  beta1: 0.9,
  beta2: 0.999,
  lrScale: null,
  batch: 16,
  rows: 10,
  x: 'x.f32',
  target: 't.f32',
  init: 'i.f32',
  initParticles: 1,
  device: 'cpu',
  mode: 'rate',
  particles: [8],
  seconds: 1,
  maxRowSeconds: 10,
};

describe('the PyTorch peer', () => {
  it('is absent, in one line and without throwing, where no interpreter imports torch', async () => {
    expect(await findTorch(['/nonexistent/python3'])).toEqual({ absent: TORCH_ABSENT });
    expect(TORCH_ABSENT).toBe('python3-torch not installed');
    // a rate run on an interpreter that is not there comes back as a note, not an error
    const m = axisModels()[0];
    const r = await torchRates('/nonexistent/python3', { ...m, init: initEnsemble(m.layout, 1, 0, 1, 1) }, [8], 0.1, 1);
    expect(r.rates.size).toBe(0);
    expect(r.notes.length).toBeGreaterThan(0);
  });

  it('is one line of the model axis where absent, and a column and a peers-table entry where present', async () => {
    // the CPU engine stands in for ours: the axis's bookkeeping is what is under test, at 2 particles of 3-16-1
    const axis = async (torch: AxisTorch | { absent: string }) => {
      const log: string[] = [];
      const notes: string[] = [];
      const rows: ModelAxisRow[] = [];
      await runModelAxis(
        new CpuEngine(),
        {
          models: ['3-16-1'],
          peakGflops: 1,
          rowSeconds: 0.01,
          maxRowSeconds: 100,
          particleCounts: [2],
          torch,
          log: (l) => log.push(l),
          notes,
        },
        (row) => rows.push(row),
      );
      return { log, notes, rows };
    };
    const absent = await axis({ absent: TORCH_ABSENT });
    expect(absent.log.filter((l) => l.startsWith('PyTorch'))).toEqual(['PyTorch: absent (python3-torch not installed)']);
    expect(absent.rows.map((r) => [r.particles, r.peers, r.torchRatio, r.tfjsRatio])).toEqual([[2, [], NaN, NaN]]);

    const fake: AxisTorch = {
      rates: async (_setup, init, counts) => {
        expect(init.length % 81).toBe(0);
        return {
          device: 'cpu, 1 thread, torch 0 (fake)',
          rates: new Map(counts.map((n) => [n, { rate: 1000, firstStep: 0.5 }])),
          notes: [],
        };
      },
    };
    const present = await axis(fake);
    const [row] = present.rows;
    expect(row.peers).toEqual([{ peer: 'PyTorch', particleStepsPerSec: 1000, compileSeconds: 0.498 }]);
    expect(row.torchRatio).toBe(row.particleStepsPerSec / 1000);
    expect(present.notes).toContain('PyTorch ran on cpu, 1 thread, torch 0 (fake)');
    const report: BenchReport = {
      device: 'test',
      peak: { gflops: 1, gbps: 1 },
      trainer: [],
      modelAxis: present.rows,
      lossMap: [],
      scaling: [],
      peers: [],
      details: { trainer: [], lossMap: [], notes: present.notes, startedAt: '', seconds: 0 },
    };
    const table = formatReport(report);
    expect(table).toMatch(/× TF\.js\s+× PyTorch$/m);
    expect(table).toMatch(/^net\s+particles\s+ours\s+PyTorch$/m);
    expect(table).toMatch(/^3-16-1\s+2\s+\S+ \(\S+\)\s+1,000 \(0\.50\)$/m);
  });

  it.skipIf(!python)('checks every field of its spec before importing torch: one line naming the field and its range', async () => {
    const bad = async (spec: unknown) => {
      const r = await torchScriptOn(python!, spec);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(1);
      return r.stderr;
    };
    expect(await bad('{"widths": [3')).toMatch(/^torch_peer: .*spec\.json is not JSON: /);
    expect(await bad({ ...GOOD, widths: [3] })).toBe('torch_peer: widths must be a list of at least 2 integers ≥ 1, got [3]');
    expect(await bad({ ...GOOD, activation: 'sigmoid' })).toBe(
      'torch_peer: activation must be one of tanh, relu, gelu, square, identity, got "sigmoid"',
    );
    expect(await bad({ ...GOOD, widths: [3, 4, 2] })).toBe('torch_peer: loss bce needs one output, the widths end in 2');
    expect(await bad({ ...GOOD, batch: 0 })).toBe('torch_peer: batch must be an integer ≥ 1 or "full", got 0');
    expect(await bad({ ...GOOD, lrScale: [1, 1, 1] })).toBe(
      'torch_peer: lrScale must be null or a list of at most 2 numbers ≥ 0, got [1, 1, 1]',
    );
    const { particles: _, ...noParticles } = GOOD;
    expect(await bad(noParticles)).toBe('torch_peer: particles is missing (a list of integers ≥ 1)');
    expect(await bad({ ...GOOD, mode: 'steps', steps: 2.5 })).toBe('torch_peer: steps must be an integer ≥ 0, got 2.5');
  });

  it.skipIf('absent' in torch)('trains what the CPU engine trains, from the same inits on the same minibatches', async () => {
    const seed = testSeed('torch peer');
    const particles = 2;
    const steps = 4;
    for (const name of ['3-16-1', 'grokking'] as const) {
      const m = axisModels().find((a) => a.name === name)!;
      // our minibatches of every step, [steps][particles][batch]
      const rows = Int32Array.from(Array.from({ length: steps }, (_, s) => [...ourBatchRows(m, particles, s)]).flat());
      const gap = await peerGap(m, seed, particles, steps, (init) =>
        torchTrain((torch as { python: string }).python, { ...m, init }, steps, m.hyper.batch === 'full' ? undefined : rows),
      );
      expect(gap.loss, name).toBeLessThan(LOSS_TOLERANCE);
      if (paramsChecked(m)) expect(gap.params, name).toBeLessThan(PARAMS_TOLERANCE);
    }
  });
});
