import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Bundles an entry the way esbuild.mjs does, into a test's own temporary directory, so tests never
 * race with other people's builds of dist/.
 */
export async function bundleEntry(entry: string, outfile: string): Promise<void> {
  const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    define: { DBHEALTH_VERSION: JSON.stringify(version) },
    external: ['vscode', 'pg-native', 'cardinal', 'bufferutil', 'utf-8-validate'],
  });
}

export const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');
