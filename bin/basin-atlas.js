#!/usr/bin/env node
// The command line runs the TypeScript sources directly (tsx), reading the same shaders/*.wgsl
// files the browser build inlines: no build step between a change and a run.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/entry.ts');
