/**
 * Companions for "the plane through these three": given the particles already chosen, the next one
 * is the first particle (by index) whose label (cluster or outcome) none of them has, so the plane
 * cuts across basins; with no such particle, the first one not yet chosen. -1 when none is left.
 */
export function nextThrough(chosen: readonly number[], labels: ArrayLike<number>): number {
  const taken = new Set(chosen.map((i) => labels[i]));
  let fallback = -1;
  for (let i = 0; i < labels.length; i++) {
    if (chosen.includes(i)) continue;
    if (!taken.has(labels[i]) && labels[i] >= 0) return i;
    if (fallback < 0) fallback = i;
  }
  return fallback;
}

/** Three particles for the plane, starting from `chosen` (one or two); undefined when there are fewer than three. */
export function throughThree(chosen: readonly number[], labels: ArrayLike<number>): [number, number, number] | undefined {
  const out = [...chosen];
  while (out.length < 3) {
    const next = nextThrough(out, labels);
    if (next < 0) return undefined;
    out.push(next);
  }
  return out as [number, number, number];
}
