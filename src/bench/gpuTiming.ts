import { queueDone } from '../engine/queueWait';

/**
 * Wall-clock time of GPU work: submit, then wait until the queue has finished it, through
 * queueDone as the engine waits (under Node it sleeps through most of `predictedMs` first), so the
 * yardstick is measured the way the trainer is.
 */
export async function timeSubmit(
  device: GPUDevice,
  encode: (encoder: GPUCommandEncoder) => void,
  label: string,
  predictedMs = 0,
): Promise<number> {
  const encoder = device.createCommandEncoder({ label });
  encode(encoder);
  const t0 = performance.now();
  device.queue.submit([encoder.finish()]);
  await queueDone(device, predictedMs);
  return performance.now() - t0;
}

/**
 * Grows `size` (doubling) until one run of `measure(size)` takes at least `minMs`, then returns
 * the best of `repeats` runs at that size: the best, since on a shared machine the noise only
 * ever adds time.
 */
export async function scaleAndTime(
  measure: (size: number, predictedMs: number) => Promise<number>,
  start: number,
  minMs: number,
  maxSize: number,
  repeats = 5,
): Promise<{ size: number; ms: number }> {
  let size = start;
  let ms = await measure(size, 0);
  while (ms < minMs && size < maxSize) {
    size = Math.min(maxSize, size * Math.max(2, Math.min(16, Math.ceil(minMs / Math.max(ms, 0.1)))));
    ms = await measure(size, 0);
  }
  // each repeat may sleep through most of the best time so far (see queueDone); the first ones,
  // predicted from a measurement slowed by polling, may oversleep, so there are several
  for (let r = 1; r < repeats; r++) ms = Math.min(ms, await measure(size, ms));
  return { size, ms };
}
