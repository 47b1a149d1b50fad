#!/usr/bin/env node
// `npm test`: the browser tests (tests/ui: they mostly wait on a headless Chromium) and everything
// else (Dawn, the CLI, the CPU engine) as two Vitest runs side by side, each one file at a time
// (vite.config.ts). One run alone left a 2-core machine two thirds idle; within each run GPU work
// and browser pages still never compete with their own kind. With arguments (a file, a filter),
// one run takes them all.
import { spawn } from 'node:child_process';

const extra = process.argv.slice(2);
const lanes =
  extra.length > 0
    ? [['tests', ['vitest', 'run', ...extra]]]
    : [
        ['browser', ['vitest', 'run', 'tests/ui']],
        ['node', ['vitest', 'run', '--exclude', 'tests/ui/**']],
      ];

const runs = lanes.map(
  ([name, args]) =>
    new Promise((resolve) => {
      const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      // each line prefixed with its lane, so the two interleaved outputs stay readable
      const prefix = (stream, out) => {
        let rest = '';
        stream.on('data', (chunk) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop();
          for (const line of lines) out.write(`[${name}] ${line}\n`);
        });
        stream.on('end', () => rest && out.write(`[${name}] ${rest}\n`));
      };
      prefix(child.stdout, process.stdout);
      prefix(child.stderr, process.stderr);
      child.on('close', (code, signal) => resolve({ name, code: code ?? (signal ? 1 : 0) }));
    }),
);

const results = await Promise.all(runs);
for (const { name, code } of results) console.log(`${name} tests: ${code === 0 ? 'passed' : `failed (exit ${code})`}`);
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
