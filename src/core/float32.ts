/** The largest finite float32, (2 − 2⁻²³)·2¹²⁷: past it, a value stored as float32 becomes Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Finite *as a float32*: the CPU engine computes in float64 but must call a particle diverged
 * exactly where the float32 GPU engine overflows, or the two would disagree on `diverged`.
 */
export const isFiniteF32 = (x: number): boolean => Math.abs(x) <= FLOAT32_MAX;
