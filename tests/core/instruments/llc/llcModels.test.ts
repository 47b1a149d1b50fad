import { describe, expect, it } from 'vitest';
import { reducedRank, reducedRankLambda } from '../../../../src/core/instruments/llc/llcModels';
import { Mlp } from '../../../../src/core/mlp';

describe("reduced-rank regression's learning coefficient (Aoyagi & Watanabe 2005)", () => {
  it('gives the regular count at full rank: rank-H maps of N × M form a set of dimension H(M + N − H)', () => {
    for (const [M, N, H] of [
      [3, 5, 2],
      [5, 3, 2],
      [4, 4, 3],
      [2, 6, 1],
    ])
      expect(reducedRankLambda(M, N, H, H), `M ${M} N ${N} H ${H}`).toBe((H * (M + N - H)) / 2);
  });

  it('gives min(M, N)/2 for one hidden unit and a true zero map (K ∝ |a|²|b|², a normal crossing)', () => {
    for (const [M, N] of [
      [2, 1],
      [2, 3],
      [3, 3],
      [5, 2],
    ])
      expect(reducedRankLambda(M, N, 1, 0), `M ${M} N ${N}`).toBe(Math.min(M, N) / 2);
  });

  it('gives MN/2 when there are more hidden units than needed for any map (every N × M map is reachable)', () => {
    expect(reducedRankLambda(2, 2, 5, 1)).toBe(2);
  });

  it("is 2 for the table's case, M = N = H = 2, r = 1, an identity 2-2-2 network without biases", () => {
    const model = reducedRank(50, 1);
    expect(model.lambda).toBe(2);
    expect(model.layout).toEqual({ widths: [2, 2, 2], activation: 'identity', bias: false });
    // the network is the product B·A: outputs are linear in the inputs
    const mlp = new Mlp(model.layout, 'mse');
    const w = Float64Array.of(1, 2, 3, 4, 0.5, -1, 2, 0.25); // A = [[1, 2], [3, 4]], B = [[0.5, −1], [2, 0.25]]
    // A·(1, −1) = (−1, −1); B·(A·x) = (0.5, −2.25): the squared error against exactly that is 0
    const data = { x: Float32Array.of(1, -1), y: new Int32Array(1), rows: 1, targets: Float32Array.of(0.5, -2.25) };
    expect(mlp.example(w, data, 0)[0]).toBe(0);
    expect(mlp.example(w, { ...data, targets: Float32Array.of(0.5, -1.25) }, 0)[0]).toBe(0.5);
  });
});
