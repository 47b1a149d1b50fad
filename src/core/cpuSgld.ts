import type { RunOptions, SgldResult, SgldSpec } from './engine';
import { isFiniteF32 } from './float32';
import { paramCount } from './layout';
import { Mlp } from './mlp';
import { PURPOSE_SGLD_BATCH, PURPOSE_SGLD_NOISE, randNormal, randU32 } from './rng';
import { Slices } from './slices';
import { taskLoss } from './task';

/**
 * SGLD chains on the CPU, in float64: the oracle for shaders/sgld.wgsl, drawing the same rows and
 * the same Gaussian noise (see SgldSpec for the keys). One chain at a time; the loss of each draw
 * is the batch loss at the chain's position before that step's update, as devinterp records it.
 */
export async function sampleSgldCpu(spec: SgldSpec, options: RunOptions = {}): Promise<SgldResult> {
  const { layout, task, centers, particles, noiseSeed, firstParticle } = spec;
  const { gamma, nbeta, chains, burnin, draws, batch } = spec.sgld;
  const train = task.train;
  const p = paramCount(layout);
  const rows = batch === 'full' ? train.rows : batch;
  const steps = burnin + draws;
  const mlp = new Mlp(layout, taskLoss(task));
  const centerLoss = new Float64Array(particles);
  const meanLoss = new Float64Array(particles * chains);
  const below = new Float64Array(particles * chains);
  const diverged = new Uint8Array(particles * chains);
  const w = new Float64Array(p);
  const grad = new Float64Array(p);
  const slices = new Slices(options);
  for (let i = 0; i < particles; i++) {
    const center = centers.subarray(i * p, (i + 1) * p);
    const lStar = mlp.evaluate(center, train)[0];
    centerLoss[i] = lStar;
    const particle = firstParticle + i;
    const eps = spec.epsByParticle?.[i] ?? spec.sgld.eps;
    const noiseScale = Math.sqrt(eps);
    for (let c = 0; c < chains; c++) {
      const j = i * chains + c;
      w.set(center);
      // the sum of (batch loss − L(w*)): differences keep the GPU's float32 sum accurate, and the CPU follows it
      let sum = 0;
      let under = 0;
      for (let t = 0; t < steps; t++) {
        const key = c * steps + t;
        grad.fill(0);
        let loss = 0;
        for (let b = 0; b < rows; b++) {
          const row = batch === 'full' ? b : randU32(noiseSeed, particle, PURPOSE_SGLD_BATCH, key, b) % train.rows;
          loss += mlp.example(w, train, row, grad)[0];
        }
        loss /= rows;
        let finite = isFiniteF32(loss);
        for (let k = 0; k < p; k++) {
          grad[k] /= rows;
          finite &&= isFiniteF32(grad[k]);
        }
        if (finite && t >= burnin) {
          sum += loss - lStar;
          if (loss < lStar) under++;
        }
        for (let k = 0; k < p && finite; k++) {
          w[k] +=
            -0.5 * eps * (nbeta * grad[k] + gamma * (w[k] - center[k])) +
            noiseScale * randNormal(noiseSeed, particle, PURPOSE_SGLD_NOISE, key, k);
          finite = isFiniteF32(w[k]);
        }
        if (!finite) {
          diverged[j] = 1;
          break;
        }
        if (slices.due()) await slices.pause((j + (t + 1) / steps) / (particles * chains));
      }
      meanLoss[j] = diverged[j] ? NaN : lStar + sum / draws;
      below[j] = diverged[j] ? NaN : under / draws;
    }
  }
  options.onProgress?.(1);
  return { centerLoss, meanLoss, below, diverged };
}
