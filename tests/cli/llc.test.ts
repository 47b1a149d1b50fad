import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noisyLogistic, taskCsv } from '../../src/core/tasks/noisyLogistic';
import { inProcess, tempDir, writeTemp } from './run';

const small = ['--engine', 'cpu', '--particles', '3', '--steps', '100', '--chains', '2', '--burnin', '20', '--draws', '50'];

describe('basin-atlas llc', () => {
  const dir = tempDir();

  it('writes llc, llcStd, llcBelow per particle and every estimator setting, in words', async () => {
    const r = await inProcess(['llc', ...small, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.kind).toBe('llc');
    expect(json.particles).toHaveLength(3);
    for (const p of json.particles) {
      expect(typeof p.llc).toBe('number');
      expect(typeof p.llcStd).toBe('number');
      expect(p.llcBelow).toBeGreaterThanOrEqual(0);
      expect(p.llcBelow).toBeLessThanOrEqual(1);
      expect(p.llcChains).toHaveLength(2);
      // the mean over chains is the estimate
      expect(p.llc).toBeCloseTo((p.llcChains[0] + p.llcChains[1]) / 2, 9);
      if (p.llcProblem !== undefined) expect(typeof p.llcProblem).toBe('string');
      // ε 'auto' by default: each particle's own, from its top Hessian eigenvalue
      expect(p.llcEps).toBeGreaterThan(0);
      expect(p.llcEps).toBeLessThanOrEqual(1e-2);
      expect(typeof p.llcTopEigenvalue).toBe('number');
    }
    const s = json.llc;
    expect(s).toMatchObject({ eps: 'auto', gamma: 1, chains: 2, burnin: 20, draws: 50 });
    expect(s.epsFrom).toMatch(/h_max/);
    expect(s.nbeta).toBeCloseTo(64 / Math.log(64), 9);
    expect(s.nbetaFrom).toMatch(/n \/ log n with n = 64/);
    expect(s.batch).toMatch(/^full/);
    expect(s.estimator).toMatch(/nβ·\(mean over the draws/);
    expect(s.sampler).toMatch(/γ·\(w − w\*\)/);
    expect(Object.keys(s.byClass)).toEqual(json.classes);
  });

  it('takes --llc-eps, --llc-gamma, --llc-beta (nβ itself) and --llc-batch, and prints a per-class table by default', async () => {
    const r = await inProcess(['llc', ...small, '--llc-eps', '0.001', '--llc-gamma', '5', '--llc-beta', '40', '--llc-batch', '16']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/local learning coeff\. +counted +median +IQR/);
    expect(r.stdout).toMatch(/SGLD: ε 0.001, γ 5, nβ 40.00, 2 chains × \(20 burn-in \+ 50 draws\), batch 16/);
    expect(r.stdout).toMatch(/d\/2 = 40.5 for this model/);
  });

  it('measures --params networks exactly as the ones it trains (same seeds, same estimate)', async () => {
    const paramsFile = join(dir, 'params.json');
    const trained = await inProcess(['llc', ...small, '--json', '--params-out', paramsFile]);
    expect(trained.code, trained.stderr).toBe(0);
    const given = await inProcess([
      'llc',
      ...small.filter((a, i) => a !== '--particles' && small[i - 1] !== '--particles'),
      '--json',
      '--params',
      paramsFile,
    ]);
    expect(given.code, given.stderr).toBe(0);
    const llcs = (out: string) => JSON.parse(out).particles.map((p: { llc: number }) => p.llc);
    expect(llcs(given.stdout)).toEqual(llcs(trained.stdout));
    expect(JSON.parse(readFileSync(paramsFile, 'utf8')).particles).toHaveLength(3);
  });

  it('refuses bad estimator flags with exit 2 and one line naming the flag', async () => {
    const bad: [string, string][] = [
      ['--llc-eps', '0'],
      ['--llc-eps', '2'],
      ['--llc-gamma', '-1'],
      ['--llc-beta', '0'],
      ['--chains', '0'],
      ['--chains', '65'],
      ['--draws', '0'],
      ['--burnin', '1.5'],
      ['--llc-batch', '65'],
      ['--llc-batch', 'half'],
    ];
    for (const [flag, value] of bad) {
      const r = await inProcess(['llc', '--engine', 'cpu', '--particles', '2', '--steps', '1', flag, value]);
      expect(r.code, `${flag} ${value}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), `${flag} ${value}`).toHaveLength(1);
      expect(r.stderr).toContain(`${flag} must be`);
      expect(r.stdout).toBe('');
    }
  });

  it('gives about d/2 for logistic regression (--hidden "") on a noisy-label CSV, at the default settings', async () => {
    const csv = writeTemp(dir, 'noisy.csv', taskCsv(noisyLogistic()));
    // the CLI wants a hypothesis: the training set itself stands in
    const train = [
      '--train',
      csv,
      '--probe',
      `same=${csv}`,
      '--hidden',
      '',
      '--opt',
      'adam',
      '--lr',
      '0.02',
      '--batch',
      'full',
      '--steps',
      '4000',
    ];
    const r = await inProcess(['llc', ...train, '--engine', 'cpu', '--particles', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.model.parameters).toBe(4);
    const mean = (json.particles[0].llc + json.particles[1].llc) / 2;
    expect(Math.abs(mean - 2) / 2, `λ̂ ${mean} vs d/2 = 2`).toBeLessThanOrEqual(0.25);
  });
});
