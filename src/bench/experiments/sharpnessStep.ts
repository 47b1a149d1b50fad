/**
 * Experiment (docs/PERFORMANCE.md, item 24): the step h of sharpness's central-difference
 * Hessian–vector products. Trains thneeb nets, builds each one's float64 dense Hessian (float64
 * differences of the exact float64 gradient, src/core/maths/denseHessian.ts), and for several h reports
 * the error of the engines' Hv against H·v: for random unit v relative to |λ_max|, and of the
 * Rayleigh quotient at the top eigenvector relative to λ_max (what a converged power iteration reports).
 *   npx tsx src/bench/experiments/sharpnessStep.ts   (PARTICLES=8 NETS='16;32,32' ACTS=tanh,relu to change)
 */
import { hessianVectorProducts } from '../../core/maths/hessianProducts';
import { DEFAULT_CONFIG } from '../../core/config';
import { CpuEngine } from '../../core/cpuEngine';
import type { Engine } from '../../core/engine';
import type { Activation } from '../../core/layout';
import { paramCount } from '../../core/layout';
import { makeRun, trainEnsemble } from '../../core/runs';
import { defaultKnobs, findPreset } from '../../core/tasks';
import { createNodeGpuEngine } from '../../node/nodeGpu';
import { denseHessian } from '../../core/maths/denseHessian';

const STEPS = [1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4];
const particles = Number(process.env.PARTICLES ?? 8);
const gpu = await createNodeGpuEngine();
const engines: [string, Engine][] = [['cpu', new CpuEngine()], ...(gpu ? [['gpu', gpu] as [string, Engine]] : [])];
const preset = findPreset('thneeb')!;
const task = preset.build(defaultKnobs(preset));

/** λ_max (largest |λ|) and its unit eigenvector, by power iteration on the dense matrix in float64. */
function topEigen(h: Float64Array, p: number): { lambda: number; v: Float64Array } {
  let v = Float64Array.from({ length: p }, (_, k) => Math.sin(k + 1));
  let lambda = 0;
  for (let it = 0; it < 20000; it++) {
    const hv = new Float64Array(p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) hv[i] += h[i * p + j] * v[j];
    const next = hv.reduce((s, x, k) => s + x * v[k], 0);
    const n = Math.hypot(...hv);
    v = hv.map((x) => x / n);
    if (Math.abs(next - lambda) <= 1e-13 * Math.abs(next)) return { lambda: next, v };
    lambda = next;
  }
  return { lambda, v };
}

const mat = (h: Float64Array, v: Float64Array, p: number) =>
  Float64Array.from({ length: p }, (_, i) => v.reduce((s, x, j) => s + h[i * p + j] * x, 0));

for (const act of (process.env.ACTS ?? 'tanh,relu').split(',') as Activation[]) {
  for (const hidden of (process.env.NETS ?? '16;32,32').split(';').map((s) => s.split(',').map(Number))) {
    const run = makeRun({ ...DEFAULT_CONFIG, hidden, activation: act, particles }, task);
    const ensemble = await trainEnsemble(new CpuEngine(), run);
    const p = paramCount(run.layout);
    const rows: { h: number; engine: string; random: number[]; rayleigh: number[] }[] = [];
    const tops: number[] = [];
    for (let i = 0; i < particles; i++) {
      const w = Float64Array.from(ensemble.params.subarray(i * p, (i + 1) * p));
      const H = denseHessian(run.layout, w, task.train);
      const { lambda, v: top } = topEigen(H, p);
      tops.push(lambda);
      const random = Array.from({ length: 4 }, (_, r) => {
        const v = Float64Array.from({ length: p }, (_, k) => Math.sin(7.1 * (k + 1) * (r + 2) + i));
        const n = Math.hypot(...v);
        return v.map((x) => x / n);
      });
      for (const h of STEPS) {
        for (const [name, engine] of engines) {
          const requests = [top, ...random].map((v) => ({ particle: i, v }));
          const hv = await hessianVectorProducts(engine, run, ensemble.params, requests, {}, h);
          const rayleigh = Math.abs(hv[0].reduce((s, x, k) => s + x * top[k], 0) - lambda) / Math.abs(lambda);
          const errs = random.map((v, r) => {
            const exact = mat(H, v, p);
            return Math.hypot(...exact.map((x, k) => x - hv[r + 1][k])) / Math.abs(lambda);
          });
          let row = rows.find((x) => x.h === h && x.engine === name);
          if (!row) rows.push((row = { h, engine: name, random: [], rayleigh: [] }));
          row.random.push(...errs);
          row.rayleigh.push(rayleigh);
        }
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const max = (xs: number[]) => Math.max(...xs);
    console.log(
      `\nthneeb ${run.layout.widths.join('-')} ${act}, ${particles} trained particles (P = ${p}), λ_max from ${Math.min(...tops).toExponential(2)} to ${Math.max(...tops).toExponential(2)}`,
    );
    console.log(
      `${'h'.padEnd(8)}${'engine'.padEnd(8)}${'|Hv error|/|λ| median'.padStart(24)}${'max'.padStart(10)}${'Rayleigh rel. error median'.padStart(30)}${'max'.padStart(10)}`,
    );
    for (const r of rows)
      console.log(
        `${r.h.toExponential(0).padEnd(8)}${r.engine.padEnd(8)}${med(r.random).toExponential(2).padStart(24)}${max(r.random).toExponential(2).padStart(10)}${med(r.rayleigh).toExponential(2).padStart(30)}${max(r.rayleigh).toExponential(2).padStart(10)}`,
      );
  }
}
process.exit(0);
