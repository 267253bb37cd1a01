// Bundles the extension-host test suite (suite/index.ts and every suite/*.test.ts) into
// out/extension-host/suite/ with esbuild. `vscode` is provided by the host; mocha is loaded from
// node_modules at run time so its reporters and globals stay the package's own.
import * as esbuild from 'esbuild';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = path.resolve(here, '../..');
export const SUITE_OUT_DIR = path.join(PROJECT_ROOT, 'out', 'extension-host', 'suite');
/** The test module's path without extension, as VS Code's `extensionTestsPath` expects it. */
export const SUITE_ENTRY = path.join(SUITE_OUT_DIR, 'index');

export async function buildSuite() {
  const suiteDir = path.join(here, 'suite');
  const entries = (await readdir(suiteDir)).filter((name) => name === 'index.ts' || name.endsWith('.test.ts'));
  await esbuild.build({
    entryPoints: entries.map((name) => path.join(suiteDir, name)),
    outdir: SUITE_OUT_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    external: ['vscode', 'mocha', 'mocha/*'],
  });
  return entries.filter((name) => name !== 'index.ts');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tests = await buildSuite();
  console.log(`built ${tests.length} extension-host test file(s) into ${path.relative(PROJECT_ROOT, SUITE_OUT_DIR)}`);
}
