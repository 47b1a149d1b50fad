// ESLint flat config: JavaScript's and typescript-eslint's recommended rules, eslint-plugin-svelte's
// for components and rune modules. Formatting is Prettier's job (npm run format), not ESLint's.
// Non-null assertions (`x!`, written where an invariant the compiler cannot see holds) stay allowed:
// only typescript-eslint's strict set flags them.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

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
    files: ['tests/**', 'bench/mainThread.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
