import { describe, expect, it } from 'vitest';
import {
  linearRegression,
  reducedRank,
  tanhRegular,
  tanhSingular,
  type KnownLlcModel,
} from '../../../../src/core/instruments/llc/llcModels';
import { STEP_BOUND } from '../../../../src/core/instruments/llc/llcStepSize';
import { CpuEngine } from '../../../../src/core/cpuEngine';
import { llcAtDefaults } from '../../../helpers/llcModels';
import { seeded, testSeed } from '../../../helpers/random';

const ROWS = 1000;
/** reduced-rank regression on 300 rows: −10% as at 1,000 rows (−9%), in a third of the time (docs/instruments/llc.md) */
const RRR_ROWS = 300;

/**
 * The validation table of docs/instruments/llc.md as tests, at the default settings on fresh data:
 * the regular models within 10% of λ; the singular ones wider, from what was measured over seeds:
 * a·tanh(b·x) on 0 within 25% (its bias is −15%), reduced-rank regression within 20% (−9% to −16%;
 * see the doc).
 */
describe('the LLC at its defaults on models with a known learning coefficient (CPU engine)', () => {
  const cases: [string, (seed: number) => KnownLlcModel, number][] = [
    ['linear regression, d = 5 (λ = 2.5)', (s) => linearRegression(5, ROWS, s), 0.1],
    ['linear regression, d = 10 (λ = 5)', (s) => linearRegression(10, ROWS, s), 0.1],
    ['a·tanh(b·x) on tanh(2x), regular (λ = 1)', (s) => tanhRegular(ROWS, s), 0.1],
    ['a·tanh(b·x) on 0, singular (λ = 1/2)', (s) => tanhSingular(ROWS, s), 0.25],
    ['reduced-rank regression 2-2-2, rank 1, singular (λ = 2, Aoyagi & Watanabe 2005)', (s) => reducedRank(RRR_ROWS, s), 0.2],
  ];
  for (const [name, make, tolerance] of cases) {
    it(name, async () => {
      const rand = seeded(testSeed(`llc known ${name}`));
      const model = make(Math.floor(rand() * 1e6));
      const { a, mean } = await llcAtDefaults(new CpuEngine(), model, 1 + Math.floor(rand() * 1e6));
      expect(a.problems, 'particles with a problem').toBe(0);
      // the chosen ε holds ε·nβ·h_max at the stated bound
      a.epsByParticle.forEach((eps, i) => expect(eps * a.sgld.nbeta * a.topEigenvalue![i]).toBeLessThanOrEqual(STEP_BOUND * (1 + 1e-9)));
      expect(Math.abs(mean - model.lambda) / model.lambda, `λ̂ ${mean} vs λ ${model.lambda}`).toBeLessThanOrEqual(tolerance);
    });
  }
});
