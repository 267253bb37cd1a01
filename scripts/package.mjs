// `npm run package`: a production build, then `vsce package` into dbhealth-<version>.vsix.
// Everything the extension needs at run time is bundled by esbuild, so the package carries no
// node_modules (--no-dependencies) and .vscodeignore lets in only the shipped files.
// Usage: node scripts/package.mjs [--out path/to/file.vsix]
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const vsixPath = path.resolve(outIndex === -1 ? path.join(projectRoot, `${name}-${version}.vsix`) : process.argv[outIndex + 1]);

function step(description, command, args) {
  console.log(`> ${description}`);
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`npm run package: ${description} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

const vsce = path.join(path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
step('production build', process.execPath, ['esbuild.mjs', '--production']);
step(`vsce package → ${path.relative(process.cwd(), vsixPath)}`, process.execPath, [
  vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsixPath,
]);
console.log(`${path.relative(process.cwd(), vsixPath)}: ${(statSync(vsixPath).size / 1024).toFixed(1)} KiB`);
