/**
 * Which Fourier frequencies a modular-addition network uses (Nanda et al. 2023; Gromov 2023): a
 * net that has learned a + b mod p embeds each residue r as cos(2πkr/p), sin(2πkr/p) for a few
 * "key" frequencies k. Measured on the first layer: each hidden unit's weights from the one-hot of
 * a (inputs 0 … p − 1) and of b (inputs p … 2p − 1) are two functions of the residue; their
 * discrete Fourier transform over the p residues says which frequency the unit uses.
 */

/**
 * A frequency is "key" for a network when the units dominated by it hold at least this share of
 * the first layer's power (DC left out): a stray unit of noise does not make a new set.
 */
export const KEY_SHARE = 0.05;

/** Power |Σ_r v_r e^(−2πikr/p)|² at k = 1 … ⌊p/2⌋ (index k − 1): k and p − k carry the same power for real v. */
export function residuePower(v: ArrayLike<number>, p: number): Float64Array {
  const out = new Float64Array(Math.floor(p / 2));
  for (let k = 1; k <= out.length; k++) {
    let re = 0;
    let im = 0;
    for (let r = 0; r < p; r++) {
      const angle = (2 * Math.PI * k * r) / p;
      re += v[r] * Math.cos(angle);
      im -= v[r] * Math.sin(angle);
    }
    out[k - 1] = re * re + im * im;
  }
  return out;
}

export interface NetworkFrequencies {
  /** the key frequencies, ascending (1 … ⌊p/2⌋) */
  readonly frequencies: number[];
  /** share of the first layer's non-DC power at each unit's own dominant frequency: 1 = every unit one pure frequency */
  readonly concentration: number;
}

/**
 * The key frequencies of one network from its first-layer weights, [hidden][2p] row-major (a
 * 2p–N–… network's first N·2p parameters, PyTorch's order). Each unit's spectrum is the sum of
 * its two blocks' (a's and b's); its dominant frequency is the one of most power.
 */
export function keyFrequencies(weights: ArrayLike<number>, p: number, hidden: number): NetworkFrequencies {
  const half = Math.floor(p / 2);
  const heldBy = new Float64Array(half);
  let total = 0;
  let atDominant = 0;
  for (let j = 0; j < hidden; j++) {
    const row = Array.from({ length: 2 * p }, (_, i) => weights[j * 2 * p + i]);
    const a = residuePower(row.slice(0, p), p);
    const b = residuePower(row.slice(p), p);
    let unit = 0;
    let best = 0;
    for (let k = 0; k < half; k++) {
      const s = a[k] + b[k];
      unit += s;
      if (s > a[best] + b[best]) best = k;
    }
    heldBy[best] += unit;
    total += unit;
    atDominant += a[best] + b[best];
  }
  if (!(total > 0)) return { frequencies: [], concentration: NaN };
  const frequencies: number[] = [];
  heldBy.forEach((h, k) => {
    if (h >= KEY_SHARE * total) frequencies.push(k + 1);
  });
  return { frequencies, concentration: atDominant / total };
}

export interface FrequencySet {
  readonly frequencies: number[];
  readonly count: number;
}

/** The distinct frequency sets among networks, most common first (ties by the sets' order). */
export function frequencySets(sets: readonly (readonly number[])[]): FrequencySet[] {
  const counts = new Map<string, FrequencySet>();
  for (const s of sets) {
    const key = s.join(',');
    const seen = counts.get(key);
    counts.set(key, { frequencies: [...s], count: (seen?.count ?? 0) + 1 });
  }
  return [...counts.values()].sort((x, y) => y.count - x.count || x.frequencies.join(',').localeCompare(y.frequencies.join(',')));
}

/**
 * The key frequencies of the networks `indices` of an ensemble (flat vectors of `parameters`
 * values each, a 2p–hidden–… layout) and how many distinct sets they found. With none to measure
 * it says so instead of counting.
 */
export function ensembleFrequencies(
  params: Float32Array,
  parameters: number,
  p: number,
  hidden: number,
  indices: readonly number[],
  firstParticle = 0,
) {
  const particles = indices.map((i) => ({
    index: firstParticle + i,
    ...keyFrequencies(params.subarray(i * parameters, i * parameters + 2 * p * hidden), p, hidden),
  }));
  const sets = frequencySets(particles.map((x) => x.frequencies));
  return {
    keyShare: KEY_SHARE,
    measured: particles.length,
    distinctSets: particles.length > 0 ? sets.length : null,
    sets,
    particles,
    ...(particles.length === 0 ? { note: 'no particle to measure: the frequency sets cannot be compared' } : {}),
  };
}
