import type { FormValues } from './form';

/**
 * Per preset, settings at which minibatch noise alone splits one shared init between algorithms.
 * Measured with the CLI (docs/sandbox.md, "What to try first"): thneeb at its defaults (batch 16, lr 0.5)
 * is decided by the init — over 64 inits × 64 noise seeds, 0 inits gave both colour and shape to
 * ≥ 10% of their noise seeds and 51 gave one class to ≥ 90%; at batch 1, lr 0.8, 43 of 64 inits
 * split between colour and shape and 2 gave one class to ≥ 90%. (At lr ≥ 1.2, batch 1, every
 * run learns shape.) A preset without an entry has no such setting measured.
 */
export const NOISE_SPLITS: Readonly<Record<string, { readonly values: FormValues; readonly label: string }>> = {
  thneeb: { values: { shared: '1', batch: '1', lr: '0.8' }, label: 'batch 1, lr 0.8' },
};
