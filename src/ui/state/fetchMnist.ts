import { MNIST_FILE } from '../../core/tasks/mnistImages';

/**
 * The mnist preset's 28×28 images (0.6 MB gzipped, 3.1 MB raw), fetched from the page's own
 * origin only when that preset is chosen, so the first paint never waits for them. A server that
 * sends the file with `Content-Encoding: gzip` has the browser unzip it already: the gzip magic
 * bytes tell which.
 */
export async function fetchMnistBytes(): Promise<Uint8Array> {
  const response = await fetch(MNIST_FILE);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const unzipped = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(unzipped).arrayBuffer());
}
