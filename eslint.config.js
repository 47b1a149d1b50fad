// ESLint flat config: JavaScript's and typescript-eslint's recommended rules, eslint-plugin-svelte's
// for components and rune modules. Formatting is Prettier's job (npm run format), not ESLint's.
// Non-null assertions (`x!`, written where an invariant the compiler cannot see holds) stay allowed:
// only typescript-eslint's strict set flags them.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/**
 * The layers (docs/architecture.md), enforced: each folder of src/ and the folders of src/ it must
 * not import, plus any package names it must not import. Specifiers are matched as written, so a
 * rule is made per folder depth: from src/core/maths/x.ts, `../engine` is core's own engine.ts
 * while `../../engine/gpuEngine` climbs to src/ and into the GPU engine.
 */
const LAYERS = [
  {
    layer: 'core',
    why: 'core is pure TypeScript: no GPU, no DOM, no Node, nothing above it',
    folders: ['engine', 'cli', 'worker', 'ui', 'node', 'bench', 'report'],
    packages: ['^node:', '^(webgpu|comlink|commander|svelte|regl|uplot|playwright-core)(/|$)'],
  },
  {
    layer: 'engine',
    why: 'the engine takes its GPUDevice from its caller and knows nothing above it',
    folders: ['cli', 'worker', 'ui', 'node', 'bench', 'report'],
    packages: ['^node:', '^(comlink|commander|svelte)(/|$)'],
  },
  {
    layer: 'worker',
    why: 'the worker serves the sandbox and knows nothing of its pages or of the CLI',
    folders: ['ui', 'cli', 'node', 'bench', 'report'],
    packages: ['^node:'],
  },
  {
    layer: 'ui',
    why: 'the sandbox reaches the engine only through the worker',
    folders: ['engine', 'cli', 'node', 'bench', 'report'],
    packages: ['^node:'],
  },
  {
    layer: 'cli',
    why: 'the command line runs on core and the engine, not on the sandbox, and nothing runs on the report or the benchmark',
    folders: ['ui', 'worker', 'bench', 'report'],
    packages: [],
  },
  {
    layer: 'node',
    why: "node/ is the engine's Node set-up (Dawn, files) that the CLI, the benchmark and the tests share: it knows none of them",
    folders: ['cli', 'worker', 'ui', 'bench', 'report'],
    packages: [],
  },
  {
    layer: 'report',
    why: 'the report says only what the command line measures: it runs the CLI as a child process and reads core, nothing else',
    folders: ['engine', 'cli', 'worker', 'ui', 'node', 'bench'],
    packages: ['^(webgpu|comlink|svelte)(/|$)'],
  },
  {
    layer: 'bench',
    why: 'the benchmark times core and the engine (set up by node/), not the front ends or the report',
    folders: ['cli', 'worker', 'ui', 'report'],
    packages: [],
  },
];

/** How deep a layer's folders go, and more: a rule is made for each depth (a deeper file is not checked). */
const MAX_DEPTH = 5;

function layerRules({ layer, why, folders, packages }) {
  return Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => ({
    files: [`src/${layer}/${'*/'.repeat(depth)}*.{ts,svelte}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^(\\.\\./){${depth + 1}}(${folders.join('|')})(/|$)`, message: `${why} (docs/architecture.md).` },
            ...packages.map((regex) => ({ regex, message: `${why} (docs/architecture.md).` })),
            { regex: '^(\\.\\./)+tests(/|$)', message: 'src never imports from tests/: what src needs lives in src.' },
          ],
        },
      ],
    },
  }));
}

export default defineConfig(
  globalIgnores(['dist/', 'scratch/', 'test-results/', 'screenshots/', '.vite/']),
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    // the same sources run in the page, in the worker and under Node (CLI, tests)
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a callback's signature, a destructured rest)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Playwright tests (and the benchmark that drives the page) read the page's debugging handle
    // through `(window as any)`: the page's types do not reach there
    files: ['tests/**', 'src/bench/mainThread.ts', 'src/bench/sandbox/sandboxRun.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...LAYERS.flatMap(layerRules),
);
