import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { trainEnsemble, makeRun } from '../../src/core/runs';
import { thneeb } from '../../src/core/tasks/thneeb';
import { paramsJson } from '../../src/worker/exports';
import type { RunResults } from '../../src/worker/sandboxRun';
import { inProcess, tempDir, writeTemp } from './run';

const dir = tempDir();
const STEPS = 60;

/** What the sandbox exports after training `particles` thneeb networks (its export code, fed a run trained here). */
async function sandboxExport(particles: number, target?: { kind: 'particle'; index: number }) {
  const run = makeRun({ ...DEFAULT_CONFIG, particles, steps: STEPS }, thneeb());
  const ensemble = await trainEnsemble(new CpuEngine(), run);
  const results = { run, engine: { kind: 'cpu', device: 'CPU' }, stepsDone: STEPS, seconds: 1, ensemble } as unknown as RunResults;
  return { file: paramsJson(results, target), ensemble };
}

describe('one parameters file: the sandbox exports it, --params-out writes it, --params and --init read it', () => {
  it('a sandbox export is measured by barriers --params, each network classified as the sandbox classified it', async () => {
    const { file, ensemble } = await sandboxExport(4);
    const doc = JSON.parse(file.parts.join(''));
    expect(doc).toMatchObject({
      format: 'basin-atlas-params',
      version: 1,
      model: { widths: [3, 16, 1], activation: 'tanh', parameters: 81 },
    });
    const path = writeTemp(dir, 'sandbox-params.json', file.parts.join(''));
    const r = await inProcess(['barriers', '--engine', 'cpu', '--params', path, '--steps', String(STEPS), '--points', '5', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const measured = JSON.parse(r.stdout);
    expect(measured.config.particles).toBe(4);
    expect(measured.particles.map((p: { outcome: string }) => p.outcome)).toEqual(
      Array.from(ensemble.outcomes, (o) => ensemble.classes[o]),
    );
  });

  it('a one-particle sandbox export starts training with --init, as the same vector given bare does', async () => {
    const { file } = await sandboxExport(2, { kind: 'particle', index: 1 });
    const doc = JSON.parse(file.parts.join(''));
    expect(doc.target).toBe('particle-1');
    const exported = writeTemp(dir, 'particle-1.json', file.parts.join(''));
    const bare = writeTemp(dir, 'particle-1-bare.json', doc.particles[0].params);
    const train = (init: string) => inProcess(['train', '--engine', 'cpu', '--particles', '2', '--steps', '20', '--init', init, '--json']);
    const [a, b] = [await train(exported), await train(bare)];
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).particles).toEqual(JSON.parse(b.stdout).particles);
  });

  it('--params-out → --params: the same vectors to the bit, so the same results', async () => {
    const [a, b] = [join(dir, 'round-a.json'), join(dir, 'round-b.json')];
    const sharpness = (...args: string[]) => inProcess(['sharpness', '--engine', 'cpu', ...args, '--json']);
    const trained = await sharpness('--particles', '3', '--steps', '80', '--params-out', a);
    expect(trained.code, trained.stderr).toBe(0);
    const fileA = JSON.parse(readFileSync(a, 'utf8'));
    expect(fileA.model).toEqual({ widths: [3, 16, 1], activation: 'tanh', parameters: 81 });
    expect(fileA.particles.map((p: { index: number }) => p.index)).toEqual([0, 1, 2]);
    const once = await sharpness('--params', a, '--params-out', b);
    const twice = await sharpness('--params', b);
    expect(twice.code, twice.stderr).toBe(0);
    const fileB = JSON.parse(readFileSync(b, 'utf8'));
    expect(fileB.particles.map((p: { params: number[] }) => p.params)).toEqual(fileA.particles.map((p: { params: number[] }) => p.params));
    const [x, y, z] = [trained, once, twice].map((r) => JSON.parse(r.stdout));
    expect(z.particles).toEqual(y.particles);
    expect(z.sharpness).toEqual(y.sharpness);
    // trained or read, the same networks have the same sharpness (the training pass's own loss may differ in its last float32 bit)
    const top = (r: { particles: { topEigenvalue: number }[] }) => r.particles.map((p) => p.topEigenvalue);
    expect(top(y)).toEqual(top(x));
  });

  it.each([
    [
      'model.widths',
      { model: { widths: [3, 8, 1], activation: 'tanh', parameters: 41 } },
      /model\.widths is \[3,8,1\], but the run's model has \[3,16,1\]/,
    ],
    ['model.activation', { model: { widths: [3, 16, 1], activation: 'relu', parameters: 81 } }, /model\.activation is "relu"/],
    ['model.parameters', { model: { widths: [3, 16, 1], activation: 'tanh', parameters: 80 } }, /model\.parameters is 80/],
    ['format', { format: 'something-else' }, /format is "something-else", expected "basin-atlas-params"/],
    ['version', { format: 'basin-atlas-params', version: 9 }, /version is 9; this basin-atlas reads parameters files of version 1 to 1/],
    ['particles', { particles: [{ index: 0, params: [1, 2] }] }, /particles\[0\]\.params has 2 values, expected 81/],
    ['no vectors', { model: { widths: [3, 16, 1], activation: 'tanh' } }, /holds no "particles"/],
  ])('a file whose %s does not fit the run is one line naming the field', async (name, doc, message) => {
    const path = writeTemp(dir, `bad-${name.replace(/\W/g, '')}.json`, { ...doc });
    const r = await inProcess(['barriers', '--engine', 'cpu', '--params', path, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^basin-atlas: --params ${path}: `));
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
