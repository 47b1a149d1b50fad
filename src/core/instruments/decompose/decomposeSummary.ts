import type { DecompositionFields } from './decomposeJson';

const pct = (x: number | null) => (x !== null && Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
const bits = (x: number) => x.toFixed(3);

/** The decomposition's lines in words, from its JSON: one wording for `decompose` and for `merge` of its shards. */
export function decompositionLines(d: DecompositionFields): string[] {
  const split = d.purity.filter((p) => p < 0.9).length;
  return [
    `  outcome entropy H = ${bits(d.H)} bits; within an init ${bits(d.HGivenInit)}, within a noise stream ${bits(d.HGivenNoise)}`,
    `  init share  ${pct(d.initShare.value)}  [${pct(d.initShare.low)}, ${pct(d.initShare.high)}]`,
    `  noise share ${pct(d.noiseShare.value)}  [${pct(d.noiseShare.low)}, ${pct(d.noiseShare.high)}]   (95% crossed bootstrap, ${d.bootstrap.resamples} resamples)`,
    `  with the cells shuffled (no structure at all) the same estimator gives ${pct(d.shuffledShare.init)} and ${pct(d.shuffledShare.noise)}: a share near these is no evidence`,
    `  ${split} of ${d.inits} inits have no class at 90% of their noise streams`,
  ];
}
