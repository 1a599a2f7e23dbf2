// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import litA11y from 'eslint-plugin-lit-a11y';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'custom-elements.json'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'suite', 'test'] },
          ],
        },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports only.' },
      ],
    },
  },
  // Web components: the widget and the PWA's views.
  {
    files: ['src/widget/**/*.ts', 'src/app/**/*.ts'],
    ...litConfigs['flat/recommended'],
  },
  { files: ['src/widget/**/*.ts', 'src/app/**/*.ts'], ...wcConfigs['flat/recommended'] },
  { files: ['src/widget/**/*.ts', 'src/app/**/*.ts'], ...litA11y.configs.recommended },
  // The layering of ../shared/DESIGN.md: protocol imports nothing; widget, sdk, server and mocks
  // never reach into each other; nothing but its own entry points imports app or server.
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*'], message: 'src/protocol imports nothing else.' }] },
      ],
    },
  },
  ...['widget', 'sdk', 'server', 'mocks'].map((part) => ({
    files: [`src/${part}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['widget', 'sdk', 'app', 'server', 'mocks']
                .filter((other) => other !== part)
                .map((other) => `**/${other}/**`),
              message: `src/${part} may import only src/protocol.`,
            },
          ],
        },
      ],
    },
  })),
  // Configuration files and scripts are plain JavaScript run by Node.
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['**/*.config.js', '**/*.config.mjs', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  prettier,
);
