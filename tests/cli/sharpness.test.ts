import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcess, tempDir } from './run';

const dir = tempDir();
const SMALL = ['--engine', 'cpu', '--particles', '12', '--steps', '60'];

describe('basin-atlas sharpness', () => {
  it('writes each particle’s top eigenvalue, iterations and convergence, a per-class summary and the method', async () => {
    const out = join(dir, 'sharpness.json');
    const r = await inProcess(['sharpness', ...SMALL, '--trace', '--trace-samples', '8', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/top eigenvalue\s+particles\s+converged\s+median\s+IQR/);
    expect(r.stdout).toMatch(/did not converge within 100 iterations/);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.kind).toBe('sharpness');
    expect(result.config).toMatchObject({ particles: 12, steps: 60 });
    expect(result.sharpness).toMatchObject({ h: expect.any(Number), tol: 1e-3, maxIter: 100, startVectorSeed: 1, traceSamples: 8 });
    expect(result.sharpness.quantity).toMatch(/weight decay is not included/);
    expect(result.particles).toHaveLength(12);
    for (const p of result.particles) {
      expect(p).toMatchObject({ outcome: expect.any(String), iterations: expect.any(Number), converged: expect.any(Boolean) });
      expect(p.iterations).toBeGreaterThanOrEqual(1);
      expect(p.iterations).toBeLessThanOrEqual(100);
      // an eigenvalue only where the iteration converged
      if (p.converged) expect(p.topEigenvalue).toEqual(expect.any(Number));
      else expect(p.topEigenvalue).toBeNull();
      expect(p.trace).toEqual(expect.any(Number));
      expect(p.traceStdErr).toBeGreaterThanOrEqual(0);
    }
    const counted = Object.values(result.summary).reduce((n: number, s) => n + (s as { particles: number }).particles, 0);
    expect(counted).toBe(12);
  });

  it('marks a particle that ran out of iterations as not converged, with no eigenvalue', async () => {
    const r = await inProcess(['sharpness', ...SMALL, '--max-iter', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.sharpness.maxIter).toBe(1);
    for (const p of result.particles) expect(p).toMatchObject({ converged: false, topEigenvalue: null, iterations: 1 });
    expect(result.particles[0].trace).toBeUndefined();
  });

  it('measures given networks (--params) exactly as the ones it trained', async () => {
    const params = join(dir, 'params.json');
    const trained = await inProcess(['sharpness', ...SMALL, '--params-out', params, '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    const given = await inProcess(['sharpness', '--engine', 'cpu', '--params', params, '--json']);
    expect(given.code, given.stderr).toBe(0);
    const eigen = (stdout: string) => JSON.parse(stdout).particles.map((p: { topEigenvalue: number | null }) => p.topEigenvalue);
    expect(eigen(given.stdout)).toEqual(eigen(trained.stdout));
    expect(JSON.parse(given.stdout).paramsFile).toBe(params);
  });

  for (const [flags, message] of [
    [['--max-iter', '0'], /^basin-atlas: --max-iter must be an integer from 1 to 10000, got "0"\n$/],
    [['--max-iter', '2.5'], /^basin-atlas: --max-iter must be an integer/],
    [['--tol', '0'], /^basin-atlas: --tol must be a positive number up to 1, got "0"\n$/],
    [['--tol', 'abc'], /^basin-atlas: --tol must be/],
    [['--trace', '--trace-samples', '1'], /^basin-atlas: --trace-samples must be an integer from 2 to 100000, got "1"\n$/],
    [['--trace-samples', '10'], /^basin-atlas: --trace-samples applies with --trace/],
    [['--particles', '70000'], /^basin-atlas: --particles must be an integer from 1 to 65536, got "70000"\n$/],
  ] as [string[], RegExp][]) {
    it(`refuses ${flags.join(' ')} with exit status 2, naming the flag`, async () => {
      const r = await inProcess(['sharpness', '--engine', 'cpu', ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
});
