/**
 * Waits until the queue has finished its submitted work, first sleeping through most of the time
 * that work is predicted to take (`predictedMs`, 0 when unknown).
 *
 * Why: Dawn in Node answers a pending onSubmittedWorkDone by polling on every turn of the event
 * loop (a setImmediate loop), which kept one core of a 2-core machine busy for the whole dispatch;
 * SwiftShader runs on those same cores and lost a third of its throughput (docs/PERFORMANCE.md).
 * A browser does not poll, and loses at most the prediction's error here.
 */
export async function queueDone(device: GPUDevice, predictedMs: number): Promise<void> {
  const sleepMs = 0.8 * predictedMs;
  if (sleepMs >= 2) await new Promise((resolve) => setTimeout(resolve, sleepMs));
  await device.queue.onSubmittedWorkDone();
}
