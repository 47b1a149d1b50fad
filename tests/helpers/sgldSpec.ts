import type { SgldSettings, SgldSpec } from '../../src/core/engine';
import { outputsFor, type Activation } from '../../src/core/layout';
import { randomParams, randomTask, seeded } from './random';

/**
 * SGLD chains on a random task of 3 inputs and `rows` training rows, around `particles` random
 * centres of a 3-…-outputs net, with random noise streams; `sgld` over ε 1e-3, γ 1, nβ 8.
 */
export function randomSgldSpec(
  seed: number,
  net: { hidden: number[]; activation: Activation; classes: number },
  size: { rows: number; particles: number },
  sgld: Omit<SgldSettings, 'eps' | 'gamma' | 'nbeta'> & Partial<SgldSettings>,
): SgldSpec {
  const rand = seeded(seed);
  const task = randomTask(rand, 3, net.classes, size.rows);
  const widths = [3, ...net.hidden, outputsFor(net.classes)];
  return {
    layout: { widths, activation: net.activation },
    task,
    centers: randomParams(rand, widths, size.particles),
    particles: size.particles,
    noiseSeed: Math.floor(rand() * 1000),
    firstParticle: Math.floor(rand() * 1000),
    sgld: { eps: 1e-3, gamma: 1, nbeta: 8, ...sgld },
  };
}
