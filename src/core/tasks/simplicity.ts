import { PURPOSE_DATA, randUniform } from '../rng';
import { makeDataset, type Task } from '../task';

export interface SimplicityKnobs {
  /** the linear coordinate is ±[margin, 1]: smaller margin, less salient */
  margin: number;
  /** number of slabs of the nonlinear coordinate (odd, ≥ 3) */
  slabs: number;
  examples: number;
  dataSeed: number;
}

export const SIMPLICITY_DEFAULTS: SimplicityKnobs = { margin: 0.1, slabs: 3, examples: 64, dataSeed: 0 };

/** Uniform draws in [0, 1), by slot: each call site numbers its own. */
export type Draw = (slot: number) => number;

/**
 * A k-slab coordinate of class `label` (Shah et al. 2020): slab s covers [-1 + s·w, -1 + (s+1)·w]
 * with w = 2/k; even slabs are class 0, odd slabs class 1; values fill each slab's central 80%.
 * Uses slots `slot` and `slot + 1`.
 */
export function slabValue(u: Draw, slot: number, slabs: number, label: number): number {
  const width = 2 / slabs;
  const choices = [...Array(slabs).keys()].filter((s) => s % 2 === label);
  const s = choices[Math.floor(u(slot) * choices.length)];
  return -1 + (s + 0.1 + 0.8 * u(slot + 1)) * width;
}

/** The linear coordinate of class `label`: ±[margin, 1], + for class 1. */
export function linearValue(u: Draw, slot: number, margin: number, label: number): number {
  return (label === 1 ? 1 : -1) * (margin + (1 - margin) * u(slot));
}

/**
 * Shah et al. 2020, "The Pitfalls of Simplicity Bias": inputs [linear, slab]. The linear
 * coordinate separates the classes with a margin; the slab coordinate separates them too, but
 * only with k alternating slabs (a nonlinear rule). Probes pair one coordinate of one class with
 * the other coordinate of the other class.
 */
export function simplicity(knobs: SimplicityKnobs = SIMPLICITY_DEFAULTS): Task {
  const { margin, slabs, examples, dataSeed } = knobs;
  let row = 0;
  const u = (slot: number) => randUniform(dataSeed, 0, PURPOSE_DATA, row, slot);
  const trainX: number[][] = [];
  const trainY: number[] = [];
  for (let i = 0; i < examples; i++, row++) {
    const y = i % 2;
    trainX.push([linearValue(u, 0, margin, y), slabValue(u, 1, slabs, y)]);
    trainY.push(y);
  }
  const probeX: number[][] = [];
  const byLinear: number[] = [];
  const bySlab: number[] = [];
  for (let i = 0; i < examples; i++, row++) {
    const y = i % 2;
    probeX.push([linearValue(u, 0, margin, y), slabValue(u, 1, slabs, 1 - y)]);
    byLinear.push(y);
    bySlab.push(1 - y);
  }
  return {
    name: 'simplicity',
    description: 'a linear coordinate and a k-slab coordinate both separate the classes (Shah et al. 2020); nets lean on the linear one',
    inputs: 2,
    classes: 2,
    train: makeDataset(trainX, trainY),
    probes: [
      { name: 'linear', data: makeDataset(probeX, byLinear) },
      { name: 'slab', data: makeDataset(probeX, bySlab) },
    ],
    params: { ...knobs },
  };
}
