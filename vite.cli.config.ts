import { defineConfig } from 'vite';

/**
 * The command line built to one JavaScript file for the npm package (`npm run build:cli`, run by
 * `prepack`): dist/cli/basin-atlas.js, which bin/basin-atlas.js runs when the TypeScript sources
 * are not beside it. Node 20 runs it with no TypeScript compiler. The packages the package
 * declares as dependencies stay imports; the d3 colour scales the hypermap picture uses are
 * bundled (they are the web build's devDependencies). The file sits two folders below the
 * package root, as src/cli/ does, so the paths it reads relative to itself (shaders/*.wgsl,
 * public/digits.bin) are the same from the sources and from the build.
 */
export default defineConfig({
  // no public/ copying, no index.html: a library build for Node
  publicDir: false,
  ssr: { noExternal: ['d3-scale-chromatic', 'd3-interpolate', 'd3-color'] },
  build: {
    ssr: 'src/cli/entry.ts',
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: { output: { entryFileNames: 'basin-atlas.js', codeSplitting: false } },
  },
});
