/** Small helpers around GPUBuffer: every buffer gets a label, so validation errors name the culprit. */

export function storageBuffer(device: GPUDevice, label: string, data: ArrayBufferView | number, extraUsage = 0): GPUBuffer {
  const size = typeof data === 'number' ? data : data.byteLength;
  const buffer = device.createBuffer({
    label,
    // WebGPU rejects zero-sized bindings; 4 bytes stand in for an empty array
    size: Math.max(4, Math.ceil(size / 4) * 4),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC | extraUsage,
    mappedAtCreation: typeof data !== 'number',
  });
  if (typeof data !== 'number') {
    new Uint8Array(buffer.getMappedRange(), 0, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    buffer.unmap();
  }
  return buffer;
}

/** A bind group with `buffers` at bindings 0, 1, 2, … in order: how every kernel here is bound. */
export function bindBuffers(device: GPUDevice, label: string, layout: GPUBindGroupLayout, buffers: GPUBuffer[]): GPUBindGroup {
  return device.createBindGroup({ label, layout, entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
}

/** Copies `bytes` bytes of `source` (from `offset`) back to the CPU. */
export async function readBuffer(device: GPUDevice, source: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
  const size = Math.max(4, Math.ceil(bytes / 4) * 4);
  const staging = device.createBuffer({
    label: `readback of ${source.label}`,
    size,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder({ label: `readback of ${source.label}` });
  encoder.copyBufferToBuffer(source, offset, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const copy = staging.getMappedRange().slice(0, bytes);
  staging.unmap();
  staging.destroy();
  return copy;
}
