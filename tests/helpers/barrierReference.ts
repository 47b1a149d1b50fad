import { lineBarrier } from '../../src/core/instruments/barriers/barrier';
import { paramCount } from '../../src/core/layout';
import { Mlp } from '../../src/core/mlp';
import type { Run } from '../../src/core/runs';

/** Every pair's barrier from 201 evenly spaced points, each network built and evaluated in float64 (on the training set, or probe set `set` − 1). */
export function reference201(run: Run, params: ArrayLike<number>, m: number, set = 0): Float64Array {
  const mlp = new Mlp(run.layout);
  const p = paramCount(run.layout);
  const ts = Array.from({ length: 201 }, (_, k) => k / 200);
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const losses = ts.map((t) => {
        const x = Float64Array.from({ length: p }, (_, k) => (1 - t) * params[i * p + k] + t * params[j * p + k]);
        return mlp.evaluate(x, set === 0 ? run.task.train : run.task.probes[set - 1].data)[0];
      });
      out[i * m + j] = out[j * m + i] = lineBarrier(losses, ts);
    }
  }
  return out;
}

/** The worst error of `barrier` against `reference` in units of (1% of the reference + `floor`), with the pair. */
export function worstAgainst(barrier: Float64Array, reference: Float64Array, m: number, floor: number) {
  let worst = { ratio: 0, i: 0, j: 0, got: 0, want: 0 };
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) {
      const [got, want] = [barrier[i * m + j], reference[i * m + j]];
      const ratio = Math.abs(got - want) / (0.01 * want + floor);
      if (!(ratio <= worst.ratio)) worst = { ratio, i, j, got, want };
    }
  }
  return worst;
}
