#!/usr/bin/env node
// In a git checkout the command line runs the TypeScript sources directly (tsx, a devDependency),
// reading the same shaders/*.wgsl files the browser build inlines: no build step between a change
// and a run, and never a stale build. The npm package has no sources: it runs the JavaScript that
// `npm pack` built (vite.cli.config.ts), with no TypeScript compiler at run time.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/entry.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import('../dist/cli/basin-atlas.js');
}
