import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Which test files run as the "device" project (each in a forked process), found from what they
 * import rather than from a list that a new test could forget: the WebGPU device (Dawn on SwiftShader, one native module per
 * process), a headless browser, or the CLI (a child process, or in process on the GPU). Every other
 * file is a unit test of pure code and runs in parallel threads.
 */
const DEVICE = [
  /playwright-core/, // the browser tests
  /helpers\/(browser|servedApp|gpu)'/, // a browser or the Dawn device, through the test helpers
  /src\/node\/nodeGpu'/, // the Dawn engine itself
  /node:child_process/,
  /from '(\.\/|\.\.\/cli\/)run'/, // the CLI test harness: child processes and in-process GPU runs
];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The test files (relative to `root`) that need the GPU, a browser or a child process. */
export function deviceTestFiles(root: string): string[] {
  return testFiles(join(root, 'tests'))
    .filter((path) => DEVICE.some((pattern) => pattern.test(readFileSync(path, 'utf8'))))
    .map((path) => relative(root, path))
    .sort();
}
