import { parseChoice } from '../core/config';
import { CpuEngine } from '../core/cpuEngine';
import type { Engine } from '../core/engine';
import { UserError } from '../core/errors';
import { createNodeGpuEngine } from '../node/nodeGpu';

export const ENGINES = ['auto', 'gpu', 'cpu'] as const;

export const INSTALL_HINT =
  "install Debian's chromium and libvulkan1 (apt-get install chromium libvulkan1) for SwiftShader, or run on a machine with a GPU";

/** auto: a GPU adapter when one exists (hardware first, SwiftShader after), else the CPU engine. */
export async function chooseEngine(raw: string | undefined, notice: (line: string) => void): Promise<Engine> {
  const choice = parseChoice('--engine', ENGINES, raw ?? 'auto');
  if (choice === 'cpu') return new CpuEngine();
  const gpu = await createNodeGpuEngine();
  if (gpu) return gpu;
  if (choice === 'gpu') throw new UserError(`--engine gpu: no WebGPU adapter found; ${INSTALL_HINT}`);
  notice(`no WebGPU adapter found, using the CPU engine (slower); ${INSTALL_HINT}`);
  return new CpuEngine();
}
