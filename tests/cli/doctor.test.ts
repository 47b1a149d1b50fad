import { describe, expect, it } from 'vitest';
import { doctorLines, doctorVerdict, type DoctorFacts } from '../../src/cli/commands/doctor';
import { vulkanDrivers } from '../../src/node/vulkanDrivers';
import { cli, tempDir, writeTemp } from './run';

const dir = tempDir();
const base: DoctorFacts = { version: '0.1.0', node: 'v20', platform: 'linux x64', loader: '/usr/lib/libvulkan.so.1', drivers: [] };
const nvidia = { file: '/etc/vulkan/icd.d/nvidia_icd.json', name: 'NVIDIA', software: false };
const swiftshader = { file: '/usr/lib/chromium/vk_swiftshader_icd.json', name: 'SwiftShader', software: true };

describe('doctor: which engine --engine auto uses, and why', () => {
  it('a hardware adapter: the GPU engine on it', () => {
    const v = doctorVerdict({ ...base, drivers: [nvidia], adapter: { description: 'NVIDIA H100 (WebGPU via Dawn)', software: false } });
    expect(v).toEqual({ engine: 'gpu', adapterKind: 'hardware', why: 'a hardware GPU, NVIDIA H100 (WebGPU via Dawn)' });
  });

  it('SwiftShader with no hardware driver visible: a software fallback, and the container capability that would mount one', () => {
    const facts = { ...base, drivers: [swiftshader], adapter: { description: 'SwiftShader (WebGPU via Dawn, software)', software: true } };
    const v = doctorVerdict(facts);
    expect(v).toMatchObject({ engine: 'gpu', adapterKind: 'software' });
    expect(v.why).toMatch(/software.*slow.*no hardware Vulkan driver is visible.*NVIDIA_DRIVER_CAPABILITIES includes graphics/);
    expect(doctorLines(facts, v).at(-1)).toMatch(/^--engine auto uses the GPU engine: .*SwiftShader/);
  });

  it('SwiftShader although a hardware driver is installed: says the driver found no GPU', () => {
    const v = doctorVerdict({ ...base, drivers: [nvidia, swiftshader], adapter: { description: 'SwiftShader', software: true } });
    expect(v.why).toMatch(/hardware Vulkan drivers are installed \(NVIDIA\) but none gave an adapter: no GPU they drive is visible here$/);
  });

  it("Mesa's hardware drivers but not NVIDIA's (the container image on a GPU node without the graphics capability): says so", () => {
    const intel = { file: '/usr/share/vulkan/icd.d/intel_icd.json', name: 'Intel (Mesa)', software: false };
    const v = doctorVerdict({ ...base, drivers: [intel, swiftshader], adapter: { description: 'llvmpipe', software: true } });
    expect(v.why).toMatch(/installed \(Intel \(Mesa\)\) but none gave an adapter.*no NVIDIA Vulkan driver is visible: .*includes graphics/);
  });

  it('no adapter: the CPU engine, the reason, and what to install (the loader first when it is missing)', () => {
    const v = doctorVerdict({ ...base, loader: undefined, problem: 'Dawn found no adapter' });
    expect(v).toMatchObject({ engine: 'cpu', adapterKind: 'none' });
    expect(v.why).toMatch(/Dawn found no adapter.*libvulkan\.so\.1 is missing \(Debian: apt-get install libvulkan1\)/);
  });

  it('lists the driver manifests the loader would read, and those VK_LOADER_DRIVERS_DISABLE hides', () => {
    const manifest = { file_format_version: '1.0.0', ICD: { library_path: 'libvulkan_lvp.so' } };
    const lvp = writeTemp(dir, 'lvp_icd.x86_64.json', manifest);
    const nv = writeTemp(dir, 'nvidia_icd.json', manifest);
    const notManifest = writeTemp(dir, 'other.json', { hello: 1 });
    const drivers = vulkanDrivers({
      VK_ICD_FILENAMES: [lvp, nv, notManifest, `${dir}/missing.json`].join(':'),
      VK_LOADER_DRIVERS_DISABLE: '*lvp_icd*',
    });
    expect(drivers).toEqual([
      { file: lvp, name: 'Mesa lavapipe', software: true, disabledBy: '*lvp_icd*' },
      { file: nv, name: 'NVIDIA', software: false },
    ]);
  });

  it('basin-atlas doctor here: SwiftShader, the software fallback (the test machines have no GPU)', async () => {
    const r = await cli(['doctor']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^basin-atlas \d+\.\d+\.\d+ · Node v\d+/);
    expect(r.stdout).toMatch(/^ {2}SwiftShader +software +\/usr\/lib\/chromium\/vk_swiftshader_icd\.json$/m);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^--engine auto uses the GPU engine: a software Vulkan fallback .*SwiftShader/);
  });

  it('basin-atlas doctor --json with no Vulkan driver: the CPU engine', async () => {
    const r = await cli(['doctor', '--json'], { ...process.env, VK_ICD_FILENAMES: `${dir}/missing.json` });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ drivers: [], verdict: { engine: 'cpu', adapterKind: 'none' } });
    expect(report.adapter).toBeUndefined();
  });

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
