// Lint configuration for dbhealth's own code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const LAYERS = ['src/engine', 'src/python', 'src/javascript', 'src/db', 'src/runbook', 'src/protocol', 'src/cli', 'src/extension', 'webview'];

/**
 * One config per layer forbidding relative imports into every layer it may not use. Patterns are
 * matched against the import path, so each forbidden folder is named as it is reached from inside
 * the layer (`../db`, `../../db/...`).
 */
function layerBoundaries(allowed) {
  return Object.entries(allowed).map(([layer, uses]) => {
    const forbidden = LAYERS.filter((other) => other !== layer && !uses.includes(other));
    const folders = forbidden.map((other) => other.split('/').at(-1));
    return {
      files: [`${layer}/**/*.ts`],
      rules: {
        'no-restricted-imports': ['error', {
          paths: [{ name: 'vscode', message: 'Only src/extension/ (the glue) and its tests may import vscode.' }],
          patterns: folders.map((folder) => ({
            group: ['', '../', '../../', '../../../'].flatMap((up) => [`${up}../${folder}`, `${up}../${folder}/**`, `${up}../src/${folder}`, `${up}../src/${folder}/**`]),
            message: uses.length > 0 ? `${layer} may import only ${uses.join(', ')} (docs/decisions/layers.md).` : `${layer} imports no other layer (docs/decisions/layers.md).`,
          })),
        }],
      },
    };
  });
}

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
  // The layers below the glue (docs/decisions/layers.md): each folder imports only the folders
  // listed for it, so the engines, collectors and runbook stay usable from the CLI and in plain Node.
  ...layerBoundaries({
    'src/engine': ['src/python', 'src/javascript'],
    'src/python': ['src/engine'],
    'src/javascript': ['src/engine'],
    'src/db': [],
    'src/runbook': ['src/db'],
    'src/protocol': ['src/db'],
    'src/cli': ['src/engine', 'src/db', 'src/runbook'],
    'webview': ['src/protocol'],
  }),
  {
    files: ['webview/**'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', HTMLElement: 'readonly', customElements: 'readonly', acquireVsCodeApi: 'readonly', requestAnimationFrame: 'readonly', navigator: 'readonly' } },
  },
);
