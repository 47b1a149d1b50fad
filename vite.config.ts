import { availableParallelism } from 'node:os';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { deviceTestFiles } from './tests/testKinds';

const device = deviceTestFiles(import.meta.dirname);

export default defineConfig({
  plugins: [svelte()],
  // relative asset paths: the build works from any static file server, in any folder
  base: './',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // two pages: the sandbox and the in-browser benchmark
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  test: {
    // SwiftShader is slow and machines differ, so no test is timed; but a hung GPU call must fail
    // CI rather than hang it: ten minutes is several times the slowest test on a loaded 2-core machine
    testTimeout: 600_000,
    hookTimeout: 600_000,
    projects: [
      {
        // pure code: no GPU, no browser, no child process; files run side by side in threads, one
        // per core (Vitest's default leaves one core to its main process, which idles here: on
        // two cores that would run them one at a time)
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: device,
          pool: 'threads',
          maxWorkers: availableParallelism(),
          sequence: { groupOrder: 0 },
        },
      },
      {
        // the Dawn device (one native module per process), headless Chromium and the CLI: each file in
        // a forked process of its own, after the unit tests. Two at a time on two cores: such a file
        // keeps 1.3-1.6 cores busy on average (measured: its CPU seconds over its wall time, idle), so
        // one at a time left a third of the machine idle; nothing in them depends on timing.
        extends: true,
        test: {
          name: 'device',
          include: device,
          pool: 'forks',
          maxWorkers: Math.min(2, availableParallelism()),
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
