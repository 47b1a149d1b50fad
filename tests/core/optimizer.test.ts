import { describe, expect, it } from 'vitest';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPS, applyUpdate, type Hyper } from '../../src/core/optimizer';
import type { OptimizerName } from '../../src/core/layout';
import { expectAllClose } from './helpers';

// Two coordinates, two steps: p0 = [1, −2], gradients g1 = [0.5, 0.3] then g2 = [−0.2, 0.4],
// lr 0.1, weight decay 0.1 (added to the gradient), momentum 0.9. Expected values worked out by hand
// (and checked in Python) from PyTorch's update rules.
const P0 = [1, -2];
const G1 = [0.5, 0.3];
const G2 = [-0.2, 0.4];
const hyper = (optimizer: OptimizerName, weightDecay = 0.1): Hyper => ({ optimizer, lr: 0.1, momentum: 0.9, weightDecay, batch: 'full' });

function twoSteps(h: Hyper) {
  const p = Float64Array.from(P0);
  const m = new Float64Array(2);
  const v = new Float64Array(2);
  applyUpdate(h, p, Float64Array.from(G1), m, v, 1);
  const after1 = { p: Array.from(p), m: Array.from(m), v: Array.from(v) };
  applyUpdate(h, p, Float64Array.from(G2), m, v, 2);
  return { after1, after2: { p: Array.from(p), m: Array.from(m), v: Array.from(v) } };
}

const TOL = { rel: 1e-12, abs: 1e-15 };

describe('optimizers (PyTorch semantics, float64)', () => {
  it("uses PyTorch's Adam defaults", () => {
    expect([ADAM_BETA1, ADAM_BETA2, ADAM_EPS]).toEqual([0.9, 0.999, 1e-8]);
  });

  it('sgd: p ← p − lr·(g + wd·p); optimizer state untouched', () => {
    const { after1, after2 } = twoSteps(hyper('sgd'));
    // step 1: 1 − 0.1·(0.5 + 0.1) = 0.94;  −2 − 0.1·(0.3 − 0.2) = −2.01
    expectAllClose(after1.p, [0.94, -2.01], TOL, 'sgd step 1');
    // step 2: 0.94 − 0.1·(−0.2 + 0.094) = 0.9506;  −2.01 − 0.1·(0.4 − 0.201) = −2.0299
    expectAllClose(after2.p, [0.9506, -2.0299], TOL, 'sgd step 2');
    expect([...after2.m, ...after2.v]).toEqual([0, 0, 0, 0]);
  });

  it('sgd without weight decay is plain gradient descent', () => {
    const { after2 } = twoSteps(hyper('sgd', 0));
    // 1 − 0.05 + 0.02 = 0.97;  −2 − 0.03 − 0.04 = −2.07
    expectAllClose(after2.p, [0.97, -2.07], TOL, 'sgd, wd 0');
  });

  it('momentum: buf ← μ·buf + g + wd·p (no dampening, first step buf = g), p ← p − lr·buf', () => {
    const { after1, after2 } = twoSteps(hyper('momentum'));
    // step 1: buf = [0.6, 0.1]; p = [0.94, −2.01]
    expectAllClose(after1.m, [0.6, 0.1], TOL, 'momentum buffer after step 1');
    expectAllClose(after1.p, [0.94, -2.01], TOL, 'momentum step 1');
    // step 2: buf = 0.9·0.6 + (−0.2 + 0.094) = 0.434;  0.9·0.1 + (0.4 − 0.201) = 0.289
    //         p = 0.94 − 0.0434 = 0.8966;  −2.01 − 0.0289 = −2.0389
    expectAllClose(after2.m, [0.434, 0.289], TOL, 'momentum buffer after step 2');
    expectAllClose(after2.p, [0.8966, -2.0389], TOL, 'momentum step 2');
  });

  it('adam: moments of g + wd·p, bias-corrected with t, eps outside the square root', () => {
    const { after1, after2 } = twoSteps(hyper('adam'));
    // step 1: g' = [0.6, 0.1]; m = 0.1·g' = [0.06, 0.01]; v = 0.001·g'² = [3.6e-4, 1e-5]
    //         m̂ = g', v̂ = g'²: p = p − 0.1·g'/(|g'| + 1e-8) = [1 − 0.1·0.6/0.60000001, −2 − 0.1·0.1/0.10000001]
    expectAllClose(after1.m, [0.06, 0.01], TOL, 'adam m after step 1');
    expectAllClose(after1.v, [3.6e-4, 1e-5], TOL, 'adam v after step 1');
    expectAllClose(after1.p, [0.9000000016666666, -2.09999999], TOL, 'adam step 1');
    // step 2: g' = [−0.2 + 0.1·0.90000000167, 0.4 − 0.1·2.09999999] = [−0.10999999983, 0.190000001]
    //         m = 0.9·m + 0.1·g' = [0.04300000001666665, 0.0280000001]
    //         v = 0.999·v + 0.001·g'² = [3.7173999996e-4, 4.609000038e-5]
    //         p −= 0.1·(m/0.19) / (√(v/0.001999) + 1e-8)
    expectAllClose(after2.m, [0.04300000001666665, 0.028000000099999985], TOL, 'adam m after step 2');
    expectAllClose(after2.v, [0.00037173999996333365, 4.609000038000001e-5], TOL, 'adam v after step 2');
    expectAllClose(after2.p, [0.8475190629593703, -2.1970526503578327], TOL, 'adam step 2');
  });

  it('adam: the first step moves each coordinate by ≈ lr whatever the gradient scale (bias correction)', () => {
    for (const g of [1e-3, 1, 1e3]) {
      const p = Float64Array.of(0, 0);
      applyUpdate({ ...hyper('adam', 0), lr: 0.01 }, p, Float64Array.of(g, -g), new Float64Array(2), new Float64Array(2), 1);
      expectAllClose(Array.from(p), [-0.01, 0.01], { rel: 1e-4 }, `gradient ±${g}`);
    }
  });

  it('adam: t enters only through the bias correction', () => {
    // same state, t = 1 vs t = 10: the step differs by the ratio of the corrections
    const run = (t: number) => {
      const p = Float64Array.of(0);
      applyUpdate(hyper('adam', 0), p, Float64Array.of(1), Float64Array.of(0.5), Float64Array.of(0.25), t);
      return p[0];
    };
    const step = (t: number) => {
      const m = 0.9 * 0.5 + 0.1;
      const v = 0.999 * 0.25 + 0.001;
      return (-0.1 * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
    };
    expectAllClose([run(1), run(10)], [step(1), step(10)], TOL, 'adam step at t = 1, 10');
  });
  it('adamw: p ← p·(1 − lr·wd), then Adam on the raw gradient with the given betas', () => {
    const { after1, after2 } = twoSteps({ ...hyper('adamw'), beta1: 0.9, beta2: 0.98 });
    // step 1: p = [0.99, −1.98]; m = 0.1·g1 = [0.05, 0.03]; v = 0.02·g1² = [0.005, 0.0018];
    //         m̂ = g1, v̂ = g1²: p −= 0.1·g1/(|g1| + 1e-8) = [0.99 − 0.0999999980, −1.98 − 0.0999999967]
    expectAllClose(after1.m, [0.05, 0.03], TOL, 'adamw m after step 1');
    expectAllClose(after1.v, [0.005, 0.0018], TOL, 'adamw v after step 1');
    expectAllClose(after1.p, [0.890000002, -2.079999996666667], TOL, 'adamw step 1');
    // step 2: p ·= 0.99; m = 0.9·m + 0.1·g2 = [0.025, 0.067]; v = 0.98·v + 0.02·g2² = [0.0057, 0.004964]
    //         p −= 0.1·(m/0.19) / (√(v/0.0396) + 1e-8) (checked in Python)
    expectAllClose(after2.m, [0.025, 0.067], TOL, 'adamw m after step 2');
    expectAllClose(after2.v, [0.0057, 0.004964], TOL, 'adamw v after step 2');
    expectAllClose(after2.p, [0.8464186067014711, -2.158798519228892], TOL, 'adamw step 2');
  });
});
