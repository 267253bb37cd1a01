// One build script for every bundle. `vscode` stays external (the host provides it); the engine,
// database layer and webview are separate bundles so activation loads only the thin glue.
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildDefines } from './scripts/build-defines.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const defines = await buildDefines();

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: defines,
  // Optional native add-ons that drivers probe for and fall back from.
  external: ['vscode', 'pg-native', 'cardinal', 'bufferutil', 'utf-8-validate'],
};

/**
 * The CLI and the lint worker load the engine, database and runbook layers from their sibling
 * bundles (dist/engine.js, db.js, runbook.js) instead of inlining them: each layer — above all the
 * TypeScript parser inside the engine — then ships once in the VSIX rather than once per entry.
 */
const LAYER_BUNDLES = new Map([
  [path.resolve('src/engine/index.ts'), './engine.js'],
  [path.resolve('src/db/index.ts'), './db.js'],
  [path.resolve('src/runbook/index.ts'), './runbook.js'],
]);
const useSiblingLayerBundles = {
  name: 'use-sibling-layer-bundles',
  setup(build) {
    build.onResolve({ filter: /(^|\/)(index|engine|db|runbook)$/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const candidate = path.resolve(args.resolveDir, args.path.endsWith('index') ? `${args.path}.ts` : `${args.path}/index.ts`);
      const bundle = LAYER_BUNDLES.get(candidate);
      return bundle ? { path: bundle, external: true } : undefined;
    });
  },
};

const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { engine: 'src/engine/index.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { 'lint-worker': 'src/engine/worker.ts' }, outdir: 'dist', plugins: [useSiblingLayerBundles] },
  { ...nodeCommon, entryPoints: { db: 'src/db/index.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { runbook: 'src/runbook/index.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { 'eslint-plugin': 'src/javascript/plugin.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' }, plugins: [useSiblingLayerBundles] },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
  },
];

/** Wasm the Python front end loads at run time, copied beside the bundles that load it. */
async function copyWasm() {
  await mkdir('dist', { recursive: true });
  const files = [
    require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
    path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  ];
  for (const file of files) await copyFile(file, path.join('dist', path.basename(file)));
}

await copyWasm();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
