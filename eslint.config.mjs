// ESLint (flat config): the recommended JavaScript and typescript-eslint rules, with globals set per
// area (browser for the plugin and the demo page, node for the tools and tests). Formatting is
// Prettier's job: eslint-config-prettier, last, turns off every rule that would fight it.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // Build output, dependencies and generated or binary files (demo/media holds MPEG-TS segments
    // whose .ts extension would otherwise make them TypeScript).
    ignores: ['dist/', 'coverage/', 'test-results/', 'demo/media/']
  },
  js.configs.recommended,
  // Not the type-checked set (recommendedTypeChecked): it triples the run time and, on this code,
  // reports mostly noise: unbound-method on the plugin's closure-based objects and on vitest's
  // expect(obj.method), no-unsafe-* wherever video.js's types or page.evaluate give `any`.
  tseslint.configs.recommended,

  // The plugin: browser code, TypeScript strict. No console (it logs through the player's logger),
  // no `any`.
  {
    files: ['src/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'error'
    }
  },

  // The tests run in node (vitest; the unit tests with happy-dom's window and document).
  {
    files: ['test/**/*.{ts,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  },
  // The browser tests drive pages through Playwright: the callbacks given to page.evaluate run in
  // the page and reach its globals through `(window as any)`.
  {
    files: ['test/browser/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  // Page scripts of the browser tests and of the demo, loaded by script tags after video.js (the
  // demo's app.js, a module, declares its `videojs` global itself).
  {
    files: ['test/browser/pages/**/*.js', 'demo/page/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser }
  },
  {
    files: ['test/browser/pages/**/*.js'],
    languageOptions: { globals: { videojs: 'readonly' } }
  },
  {
    files: ['demo/page/app.js'],
    languageOptions: { sourceType: 'module' }
  },

  // Node: the demo server and API emulator, the build and test configs.
  {
    files: ['demo/*.mjs', 'demo/emulator/**/*.mjs', '*.mjs'],
    languageOptions: { globals: globals.node }
  },
  // Node scripts that drive Chromium through Playwright: the benchmark and the docs screenshot, whose
  // page.evaluate callbacks run in the page.
  {
    files: ['bench/**/*.mjs', 'docs/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } }
  },

  prettier
);
