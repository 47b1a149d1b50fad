/**
 * Dawn's Node bindings answer a pending onSubmittedWorkDone by polling on every turn of the event
 * loop (a setImmediate loop). That kept one core of a 2-core machine busy for the whole dispatch,
 * and SwiftShader, which runs on those same cores, lost a third of its throughput.
 */
const RUNTIME_POLLS = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/**
 * Waits until the queue has finished its submitted work. Under Node it first sleeps through most
 * of the time that work is predicted to take (`predictedMs`, 0 when unknown), so nothing polls
 * meanwhile (docs/PERFORMANCE.md). Browsers do not poll; and in Chromium, sleeping before asking
 * delayed the work itself: the calibration measured 1 GFLOP/s instead of 26.
 */
export async function queueDone(device: GPUDevice, predictedMs: number): Promise<void> {
  const sleepMs = 0.8 * predictedMs;
  if (RUNTIME_POLLS && sleepMs >= 2) await new Promise((resolve) => setTimeout(resolve, sleepMs));
  await device.queue.onSubmittedWorkDone();
}
