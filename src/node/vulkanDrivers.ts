import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** A Vulkan driver manifest (ICD) the loader would find, as the doctor command lists it. */
export interface VulkanDriver {
  /** the manifest file (…/icd.d/*.json) */
  readonly file: string;
  /** "NVIDIA", "SwiftShader", "Mesa lavapipe"…: from the file's name */
  readonly name: string;
  /** a CPU implementation: slow, and a sign that no hardware driver is visible */
  readonly software: boolean;
  /** the pattern of VK_LOADER_DRIVERS_DISABLE that hides it, if one does */
  readonly disabledBy?: string;
}

/** Where the Vulkan loader looks for driver manifests on Linux when no variable overrides it. */
const ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d'];

/** The loader itself (Debian's libvulkan1): Dawn dlopens it; without it there is no Vulkan at all. */
const LOADER_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu'];

const KNOWN: [RegExp, string, boolean][] = [
  // before the generic names: nvidia_icd.json is NVIDIA's own driver, nouveau_icd / nvk Mesa's
  [/nouveau|nvk/i, 'NVIDIA (Mesa nvk)', false],
  [/nvidia/i, 'NVIDIA', false],
  [/swiftshader/i, 'SwiftShader', true],
  [/lvp/i, 'Mesa lavapipe', true],
  [/radeon|amd/i, 'AMD (Mesa radv)', false],
  [/intel/i, 'Intel (Mesa)', false],
  [/virtio/i, 'virtio-gpu (Mesa venus)', false],
  [/gfxstream/i, 'gfxstream (Mesa)', false],
];

function classify(file: string): { name: string; software: boolean } {
  const hit = KNOWN.find(([pattern]) => pattern.test(basename(file)));
  return hit ? { name: hit[1], software: hit[2] } : { name: basename(file, '.json'), software: /software|llvmpipe/i.test(file) };
}

/** A VK_LOADER_DRIVERS_DISABLE pattern (globs with *, comma-separated) matched against a manifest's file name. */
function disabledBy(file: string, disable: string | undefined): string | undefined {
  for (const pattern of (disable ?? '').split(',').filter(Boolean)) {
    const re = new RegExp(
      `^${pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    if (re.test(basename(file)) || re.test(file)) return pattern;
  }
  return undefined;
}

const listed = (value: string | undefined) => (value ?? '').split(':').filter(Boolean);

/**
 * The driver manifests the Vulkan loader would read with this environment: VK_ICD_FILENAMES or
 * VK_DRIVER_FILES replace the standard folders; VK_ADD_DRIVER_FILES adds to them.
 */
export function vulkanDrivers(env: NodeJS.ProcessEnv): VulkanDriver[] {
  const replaced = listed(env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES);
  const files =
    replaced.length > 0
      ? replaced
      : [
          ...ICD_DIRS.flatMap((dir) => {
            try {
              return readdirSync(dir)
                .filter((f) => f.endsWith('.json'))
                .sort()
                .map((f) => join(dir, f));
            } catch {
              return [];
            }
          }),
          ...listed(env.VK_ADD_DRIVER_FILES),
        ];
  return files
    .filter((file) => existsSync(file) && isManifest(file))
    .map((file) => {
      const disabled = disabledBy(file, env.VK_LOADER_DRIVERS_DISABLE);
      return { file, ...classify(file), ...(disabled ? { disabledBy: disabled } : {}) };
    });
}

function isManifest(file: string): boolean {
  try {
    return typeof JSON.parse(readFileSync(file, 'utf8'))?.ICD === 'object';
  } catch {
    return false;
  }
}

/** Where libvulkan.so.1 is, in the usual folders or LD_LIBRARY_PATH; undefined when it is nowhere there. */
export function vulkanLoader(env: NodeJS.ProcessEnv): string | undefined {
  return [...listed(env.LD_LIBRARY_PATH), ...LOADER_DIRS].map((dir) => join(dir, 'libvulkan.so.1')).find((path) => existsSync(path));
}
