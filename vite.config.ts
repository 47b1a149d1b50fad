import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

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
    include: ['tests/**/*.test.ts'],
    // SwiftShader is slow and machines differ, so no test is timed; but a hung GPU call must fail
    // CI rather than hang it: ten minutes is several times the slowest test on a 2-core machine
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // the native Dawn module is happiest in a forked process, and GPU tests share 2 cores
    pool: 'forks',
    fileParallelism: false,
  },
});
