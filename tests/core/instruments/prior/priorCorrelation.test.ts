import { describe, expect, it } from 'vitest';
import { logProbabilityCorrelation, type FunctionRow } from '../../../../src/core/instruments/prior/prior';
import { seeded, testSeed } from '../../../helpers/random';

/** Functions with the given counts on each side (bits and error play no part in the correlation). */
const rows = (prior: number[], sgd: number[]): FunctionRow[] =>
  prior.map((p, i) => ({ bits: i.toString(16), generalisationError: 0, priorCount: p, sgdCount: sgd[i] }));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('logProbabilityCorrelation: the prior-vs-SGD estimator on cases with a known answer', () => {
  it('is 1 when SGD finds each function as often as the prior, −1 when in reverse order of log P, and ignores one-sided functions', () => {
    const prior = [1, 3, 9, 27, 81, 243, 5, 0];
    const same = logProbabilityCorrelation(rows(prior, [...prior.slice(0, 7), 4]), 369, 373, 1)!;
    expect(same.value).toBeCloseTo(1, 12);
    expect(same.spearman.value).toBeCloseTo(1, 12);
    expect(same.functions).toBe(7);
    const reversed = logProbabilityCorrelation(
      rows(
        prior,
        prior.map((p) => (p === 0 ? 0 : 729 / p)),
      ),
      369,
      1000,
      1,
    )!;
    expect(reversed.value).toBeCloseTo(-1, 12);
    expect(reversed.spearman.value).toBeCloseTo(-1, 12);
  });

  it('says nothing with fewer than 5 shared functions or one side all equal', () => {
    expect(logProbabilityCorrelation(rows([1, 2, 3, 4], [1, 2, 3, 4]), 10, 10, 1)).toBeNull();
    expect(logProbabilityCorrelation(rows([1, 2, 3, 4, 5], [2, 2, 2, 2, 2]), 15, 10, 1)).toBeNull();
  });

  it('recovers a known correlation of log-probabilities, its 95% bootstrap intervals covering the truth', () => {
    // log10 P_prior and log10 P_SGD of 50 functions drawn bivariate normal with correlation 0.7,
    // encoded as large counts so that counting adds no noise: Pearson's r of the logs is 0.7 and
    // Spearman's ρ is (6/π)·asin(0.7/2) = 0.6829 in the population
    const rho = 0.7;
    const rhoS = (6 / Math.PI) * Math.asin(rho / 2);
    const rand = seeded(testSeed('prior correlation known'));
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const replicates = 20;
    let coveredR = 0;
    let coveredS = 0;
    let meanR = 0;
    let meanS = 0;
    for (let k = 0; k < replicates; k++) {
      const prior: number[] = [];
      const sgd: number[] = [];
      for (let i = 0; i < 50; i++) {
        const a = gauss();
        const b = rho * a + Math.sqrt(1 - rho * rho) * gauss();
        prior.push(Math.round(1e8 * 10 ** a));
        sgd.push(Math.round(1e8 * 10 ** b));
      }
      const c = logProbabilityCorrelation(rows(prior, sgd), sum(prior), sum(sgd), k)!;
      if (c.low <= rho && rho <= c.high) coveredR++;
      if (c.spearman.low <= rhoS && rhoS <= c.spearman.high) coveredS++;
      meanR += c.value / replicates;
      meanS += c.spearman.value / replicates;
    }
    console.log(
      `covered: Pearson ${coveredR}/${replicates}, Spearman ${coveredS}/${replicates}; means ${meanR.toFixed(3)}, ${meanS.toFixed(3)}`,
    );
    // a 95% interval covers ~19 of 20 (a percentile bootstrap a little fewer; sd ~1.1): 15 or more unless it is broken
    expect(coveredR).toBeGreaterThanOrEqual(15);
    expect(coveredS).toBeGreaterThanOrEqual(15);
    // the mean of 20 estimates: each has a standard error of ~0.07, so the mean ~0.016
    expect(Math.abs(meanR - rho)).toBeLessThan(0.05);
    expect(Math.abs(meanS - rhoS)).toBeLessThan(0.05);
  });
});
