import { build } from 'esbuild';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Bundles an entry the way esbuild.mjs does, into a test's own temporary directory, so tests never
 * race with other people's builds of dist/.
 */
export async function bundleEntry(entry: string, outfile: string): Promise<void> {
  const { buildDefines } = await import('../../../scripts/build-defines.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    define: await buildDefines(REPOSITORY_ROOT),
    external: ['vscode', 'pg-native', 'cardinal', 'bufferutil', 'utf-8-validate'],
  });
}

export const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');

/** The CLI bundled into `directory` with the Python front end's wasm beside it, as esbuild.mjs lays out dist/; returns its path. */
export async function bundleCli(directory: string): Promise<string> {
  const cli = path.join(directory, 'cli.js');
  await bundleEntry(path.join(REPOSITORY_ROOT, 'src', 'cli', 'main.ts'), cli);
  const wasm = [
    require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
    path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  ];
  for (const file of wasm) await copyFile(file, path.join(directory, path.basename(file)));
  return cli;
}
