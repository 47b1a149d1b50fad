import type { Command } from 'commander';
import { isSoftwareAdapter } from '../../engine/describeAdapter';
import { findNodeAdapter, openNodeDevice } from '../../node/nodeGpu';
import { packageVersion } from '../../node/packageVersion';
import { vulkanDrivers, vulkanLoader, type VulkanDriver } from '../../node/vulkanDrivers';
import { INSTALL_HINT } from '../engineChoice';

export const DOCTOR_SUMMARY = 'say which engine and adapter --engine auto would use here, and why (hardware GPU, software fallback, CPU)';

/** What the doctor found on this machine; pure data, so the verdict can be tested for every case. */
export interface DoctorFacts {
  version: string;
  node: string;
  platform: string;
  /** libvulkan.so.1's path, when found */
  loader?: string;
  drivers: VulkanDriver[];
  /** the adapter Dawn gave, with the device opened on it */
  adapter?: { description: string; software: boolean };
  /** why there is no adapter (or no device on it) */
  problem?: string;
}

export interface DoctorVerdict {
  /** what --engine auto runs on */
  engine: 'gpu' | 'cpu';
  /** a hardware GPU, a software Vulkan (SwiftShader), or no adapter */
  adapterKind: 'hardware' | 'software' | 'none';
  why: string;
}

const NVIDIA_HINT =
  'in a container on a GPU node the NVIDIA container toolkit mounts the Vulkan driver only when NVIDIA_DRIVER_CAPABILITIES includes graphics (compute,utility,graphics)';

export function doctorVerdict(f: DoctorFacts): DoctorVerdict {
  const hardware = f.drivers.filter((d) => !d.software && !d.disabledBy).map((d) => d.name);
  // Mesa installs drivers for GPUs a machine may not have: an NVIDIA GPU needs NVIDIA's own
  const nvidia = hardware.some((name) => name === 'NVIDIA') ? '' : `; no NVIDIA Vulkan driver is visible: ${NVIDIA_HINT}`;
  const noHardware = hardware.length
    ? `hardware Vulkan drivers are installed (${[...new Set(hardware)].join(', ')}) but none gave an adapter: no GPU they drive is visible here${nvidia}`
    : `no hardware Vulkan driver is visible; ${NVIDIA_HINT}`;
  if (f.adapter && !f.adapter.software) return { engine: 'gpu', adapterKind: 'hardware', why: `a hardware GPU, ${f.adapter.description}` };
  if (f.adapter)
    return {
      engine: 'gpu',
      adapterKind: 'software',
      why: `a software Vulkan fallback (slow: a few GFLOP/s): ${f.adapter.description}; ${noHardware}`,
    };
  const loader = f.loader ? '' : 'the Vulkan loader libvulkan.so.1 is missing (Debian: apt-get install libvulkan1); ';
  return { engine: 'cpu', adapterKind: 'none', why: `no WebGPU adapter (${f.problem ?? 'none found'}); ${loader}${INSTALL_HINT}` };
}

/** The report as lines: facts first, the verdict last. */
export function doctorLines(f: DoctorFacts, v: DoctorVerdict): string[] {
  const hidden = (d: VulkanDriver) => (d.disabledBy ? ` (hidden by VK_LOADER_DRIVERS_DISABLE=${d.disabledBy})` : '');
  return [
    `basin-atlas ${f.version} · Node ${f.node} · ${f.platform}`,
    `Vulkan loader: ${f.loader ?? 'not found (libvulkan.so.1)'}`,
    f.drivers.length ? 'Vulkan drivers:' : 'Vulkan drivers: none found',
    ...f.drivers.map((d) => `  ${d.name.padEnd(18)}${(d.software ? 'software' : 'hardware').padEnd(10)}${d.file}${hidden(d)}`),
    `WebGPU adapter: ${f.adapter ? f.adapter.description : `none (${f.problem ?? 'not found'})`}`,
    `--engine auto uses the ${v.engine === 'gpu' ? 'GPU' : 'CPU'} engine: ${v.why}`,
  ];
}

/** Looks: the loader, the driver manifests, and the adapter and device the engine would open. */
export async function gatherDoctorFacts(env: NodeJS.ProcessEnv): Promise<DoctorFacts> {
  const base = { version: packageVersion(), node: process.version, platform: `${process.platform} ${process.arch}` };
  // findNodeAdapter sets the variables the engine sets (SwiftShader added, lavapipe hidden) before
  // the drivers are listed, so the list is what the engine's Vulkan loader sees
  const found = await findNodeAdapter();
  const facts = { ...base, loader: vulkanLoader(env), drivers: vulkanDrivers(env) };
  if (!('adapter' in found)) return { ...facts, problem: found.problem };
  try {
    const gpu = await openNodeDevice(found.adapter);
    gpu.device.destroy();
    return { ...facts, adapter: { description: gpu.description, software: isSoftwareAdapter(found.adapter.info) } };
  } catch (e) {
    return { ...facts, problem: `the adapter ${found.adapter.info.description || 'found'} gave no device: ${(e as Error).message}` };
  }
}

export function doctorCommand(program: Command, write: (text: string) => void, env: NodeJS.ProcessEnv): void {
  program
    .command('doctor')
    .description(DOCTOR_SUMMARY)
    .option('--json', 'print the findings as JSON')
    .action(async (raw: { json?: boolean }) => {
      const facts = await gatherDoctorFacts(env);
      const verdict = doctorVerdict(facts);
      write(raw.json ? `${JSON.stringify({ ...facts, verdict })}\n` : `${doctorLines(facts, verdict).join('\n')}\n`);
    });
}
