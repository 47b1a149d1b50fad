import type { GeometryResult } from '../../../worker/protocol';

/** One particle's sharpness, width and LLC in words, as the inspector shows them. */
export interface ParticleMeasures {
  readonly topEigenvalue: string;
  readonly r50: string;
  /** absent when the LLC was skipped; `problem` is core's llcProblem, when there is one */
  readonly llc?: { readonly value: string; readonly problem?: string };
}

const num = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toPrecision(3));

/** Particle `i` of a measurement: a value, or why there is none ("did not converge", "> r-max", its llcProblem). */
export function particleMeasures(r: GeometryResult, i: number): ParticleMeasures {
  const s = r.sharpness;
  const topEigenvalue = s.converged[i]
    ? num(s.topEigenvalue[i])
    : s.iterations[i] === 0
      ? 'not measured (parameters not finite)'
      : `did not converge in ${s.maxIter} products`;
  const x = r.width.r50[i];
  const r50 = Number.isNaN(x)
    ? 'none (diverged)'
    : x === Infinity
      ? `> ${r.width.rMax} (r-max: beyond the grid)`
      : x === 0
        ? `< ${r.width.rMin} (r-min: below the grid)`
        : num(x);
  const l = r.llc;
  if (!l) return { topEigenvalue, r50 };
  const value = Number.isFinite(l.llc[i]) ? `${num(l.llc[i])} ± ${Number.isFinite(l.llcStd[i]) ? num(l.llcStd[i]) : '—'}` : 'none';
  const problem = l.problems[i];
  return { topEigenvalue, r50, llc: problem ? { value, problem } : { value } };
}
