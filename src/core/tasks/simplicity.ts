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
  const width = 2 / slabs;
  // slab s covers [-1 + s·width, -1 + (s+1)·width]; even slabs are class 0, odd slabs class 1
  const slabValue = (label: number): number => {
    const choices = [...Array(slabs).keys()].filter((s) => s % 2 === label);
    const s = choices[Math.floor(u(1) * choices.length)];
    return -1 + (s + 0.1 + 0.8 * u(2)) * width;
  };
  const linearValue = (label: number): number => (label === 1 ? 1 : -1) * (margin + (1 - margin) * u(0));
  const trainX: number[][] = [];
  const trainY: number[] = [];
  for (let i = 0; i < examples; i++, row++) {
    const y = i % 2;
    trainX.push([linearValue(y), slabValue(y)]);
    trainY.push(y);
  }
  const probeX: number[][] = [];
  const byLinear: number[] = [];
  const bySlab: number[] = [];
  for (let i = 0; i < examples; i++, row++) {
    const y = i % 2;
    probeX.push([linearValue(y), slabValue(1 - y)]);
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
