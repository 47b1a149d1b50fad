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
    // SwiftShader is slow and machines differ: tests never carry a wall-clock limit
    testTimeout: 0,
    hookTimeout: 0,
    // the native Dawn module is happiest in a forked process, and GPU tests share 2 cores
    pool: 'forks',
    fileParallelism: false,
  },
});
