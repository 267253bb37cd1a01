// Lint configuration for dbhealth's own code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'build/**', 'out/**', '.vscode-test/**', 'node_modules/**', 'samples/**', 'test/fixtures/**', 'test-results/**', 'bench/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
        Buffer: 'readonly', URL: 'readonly', performance: 'readonly', structuredClone: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The layering rule of DESIGN.md: only the extension glue may import the VS Code API, so the
      // engines, collectors, CLI and webview all run in plain Node or a browser and are tested there.
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension/ (the glue) and its tests may import vscode.' }] }],
    },
  },
  {
    files: ['src/extension/**', 'test/extension-host/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['webview/**'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', HTMLElement: 'readonly', customElements: 'readonly', acquireVsCodeApi: 'readonly', requestAnimationFrame: 'readonly', navigator: 'readonly' } },
  },
);
