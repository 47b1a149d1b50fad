import { paramCount } from '../../src/core/layout';
import type { Task } from '../../src/core/task';

/**
 * A seed for random test inputs, printed so a failure can be replayed with TEST_SEED=... . By
 * default a fixed one per name, so `npm test` gives the same inputs on every machine and every run;
 * TEST_SEED=random (`npm run test:seeds`) draws fresh ones, the sweep that finds a tolerance set
 * too tight; TEST_SEED=<n> replays a printed seed.
 */
export function testSeed(name: string): number {
  const asked = process.env.TEST_SEED;
  const seed = asked === 'random' ? (Math.random() * 0xffffffff) >>> 0 : asked ? Number(asked) >>> 0 : fixedSeed(name);
  console.log(`${name}: TEST_SEED=${seed}`);
  return seed;
}

/** FNV-1a of the name: a different fixed seed for each test, the same on every run. */
function fixedSeed(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32: a tiny seeded generator for test inputs (not the project's RNG under test). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random task: `inputs` features in [-1, 1], labels in 0..classes-1, two probe sets. */
export function randomTask(rand: () => number, inputs: number, classes: number, rows: number): Task {
  const set = (n: number) => {
    const x = new Float32Array(n * inputs).map(() => 2 * rand() - 1);
    const y = Int32Array.from({ length: n }, () => Math.floor(rand() * classes));
    return { x, y, rows: n };
  };
  return {
    name: 'random',
    description: 'random test data',
    inputs,
    classes,
    train: set(rows),
    probes: [
      { name: 'a', data: set(rows) },
      { name: 'b', data: set(Math.max(1, rows >> 1)) },
    ],
    params: {},
  };
}

export function randomParams(rand: () => number, widths: number[], count: number, scale = 1): Float32Array {
  return new Float32Array(paramCount(widths) * count).map(() => (2 * rand() - 1) * scale);
}

/** Largest |a - b| / (atol + rtol·|b|) over all entries, with the index where it happens. */
export function worstMismatch(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  atol: number,
  rtol: number,
): { ratio: number; at: number; a: number; b: number } {
  let worst = { ratio: 0, at: -1, a: 0, b: 0 };
  for (let i = 0; i < b.length; i++) {
    const ratio = Math.abs(a[i] - b[i]) / (atol + rtol * Math.abs(b[i]));
    if (!(ratio <= worst.ratio)) worst = { ratio, at: i, a: a[i], b: b[i] };
  }
  return worst;
}

/** max |a − b| / (1 + |b|); NaN on both sides is skipped (a particle diverged on both engines, which its flags check) */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let k = 0; k < b.length; k++) {
    if (Number.isNaN(a[k]) && Number.isNaN(b[k])) continue;
    const e = Math.abs(a[k] - b[k]) / (1 + Math.abs(b[k]));
    if (!(e <= worst)) worst = e;
  }
  return worst;
}
