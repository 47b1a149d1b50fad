import { barrierAnalysis } from '../../src/core/instruments/barriers/barrierAnalysis';
import { permuteUnits } from '../../src/core/instruments/barriers/weightMatching';
import { outcomeClasses } from '../../src/core/classify';
import { DEFAULT_CONFIG } from '../../src/core/config';
import type { Engine } from '../../src/core/engine';
import { Mlp } from '../../src/core/mlp';
import { makeRun } from '../../src/core/runs';
import { randomParams, randomTask, seeded } from './random';

/** A random 3-8-6-1 net, labels set to its own predictions, and the same net with its hidden units randomly permuted: one function, two points. */
export function netAndPermutation(seed: number) {
  const rand = seeded(seed);
  const task = randomTask(rand, 3, 2, 32);
  const run = makeRun({ ...DEFAULT_CONFIG, hidden: [8, 6], particles: 2 }, task);
  const a = randomParams(rand, [...run.layout.widths], 1, 2);
  // labels are a's own predictions: a fits every set, and a line to an unaligned copy leaves that function
  const mlp = new Mlp(run.layout);
  const w = Float64Array.from(a);
  for (const data of [task.train, ...task.probes.map((probe) => probe.data)]) {
    for (let r = 0; r < data.rows; r++) {
      data.y[r] = 0;
      const zero = mlp.example(w, data, r)[0];
      data.y[r] = 1;
      if (zero < mlp.example(w, data, r)[0]) data.y[r] = 0;
    }
  }
  const perms = [8, 6].map((h) => derangement(h, rand));
  const params = new Float32Array(2 * a.length);
  params.set(a);
  params.set(permuteUnits(run.layout, a, perms), a.length);
  const ensemble = {
    classes: outcomeClasses(task),
    outcomes: new Uint8Array(2),
    metrics: new Float32Array(0),
    diverged: new Uint8Array(2),
    params,
  };
  return { run, ensemble };
}

/**
 * A random permutation that moves every unit (Fisher–Yates, drawn again while any unit stays put):
 * the identity, which a shuffle by a random comparator sometimes gives, would leave nothing to align.
 */
function derangement(n: number, rand: () => number): Int32Array {
  for (;;) {
    const p = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [p[i], p[j]] = [p[j], p[i]];
    }
    if (p.every((v, i) => v !== i)) return p;
  }
}

export async function alignedAgainstUnaligned(engine: Engine, seed: number) {
  const { run, ensemble } = netAndPermutation(seed);
  const settings = { points: 10, minBarrier: 0.01 };
  const unaligned = await barrierAnalysis(engine, run, ensemble, settings);
  const aligned = await barrierAnalysis(engine, run, ensemble, { ...settings, align: true });
  const onProbe = await barrierAnalysis(engine, run, ensemble, { ...settings, align: true, set: 1 });
  return { unaligned: unaligned.barrier[1], aligned: aligned.barrier[1], onProbe: onProbe.barrier[1], alignedText: aligned.aligned };
}
