// `npm run build:packages [-- --out DIR]`: the npm packages beside the VSIX, each holding only what
// runs, staged under DIR (default build/packages/) from packages/<name>/ (manifest, README) ready
// for `npm pack` or `npm publish`.
//  - packages/cli: `dbhealth`, one minified bundle with every layer inlined (no dependencies to
//    install) and the Python grammar's wasm beside it.
//  - packages/eslint-plugin: `eslint-plugin-dbhealth`, the rules bundled, ESLint a peer and the
//    typescript-eslint packages dependencies, so a project shares its own copies with the plugin.
import * as esbuild from 'esbuild';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildDefines } from './build-defines.mjs';

const require = createRequire(import.meta.url);
const outIndex = process.argv.indexOf('--out');
const outRoot = path.resolve(outIndex === -1 ? 'build/packages' : process.argv[outIndex + 1]);
const defines = await buildDefines();
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, legalComments: 'none', logLevel: 'warning', define: defines };

const { version } = JSON.parse(await readFile('package.json', 'utf8'));
for (const name of ['cli', 'eslint-plugin']) {
  const manifest = JSON.parse(await readFile(`packages/${name}/package.json`, 'utf8'));
  // Both packages carry the extension's version.
  if (manifest.version !== version) throw new Error(`packages/${name}/package.json is at ${manifest.version}, the extension at ${version}: keep them together`);
  const staged = path.join(outRoot, name);
  await rm(staged, { recursive: true, force: true });
  await mkdir(path.join(staged, 'dist'), { recursive: true });
  for (const file of ['package.json', 'README.md']) await copyFile(path.join('packages', name, file), path.join(staged, file));
  await copyFile('LICENSE', path.join(staged, 'LICENSE'));
}

await esbuild.build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: path.join(outRoot, 'cli', 'dist'),
  banner: { js: '#!/usr/bin/env node' },
  // Optional native add-ons the drivers probe for and fall back from.
  external: ['pg-native', 'cardinal', 'bufferutil', 'utf-8-validate'],
});
for (const wasm of [require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm')]) {
  await copyFile(wasm, path.join(outRoot, 'cli', 'dist', path.basename(wasm)));
}

await esbuild.build({
  ...common,
  entryPoints: { index: 'src/javascript/plugin.ts' },
  outdir: path.join(outRoot, 'eslint-plugin', 'dist'),
  external: ['eslint', '@typescript-eslint/*', 'typescript'],
});
console.log(`packages staged in ${path.relative(process.cwd(), outRoot) || '.'}/cli and /eslint-plugin`);
