/**
 * `npm run package` must produce a VSIX holding only what runs: the bundles, the wasm grammars,
 * media, rule docs, README, LICENSE and CHANGELOG — no sources, tests, source maps or node_modules.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { RULE_NAMES } from '../../../src/engine/catalogue';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** Reads a zip's central directory (a VSIX is a zip); enough for listing and reading small files. */
function readZipEntries(zip: Buffer): ZipEntry[] {
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(endOfDirectory >= 0, 'not a zip file: no end-of-central-directory record');
  const count = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'corrupt central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readZipText(zip: Buffer, entry: ZipEntry): string {
  const header = entry.localHeaderOffset;
  const dataStart = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  const data = zip.subarray(dataStart, dataStart + entry.compressedSize);
  return (entry.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

const projectRoot = path.resolve(__dirname, '../../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'dbhealth-vsix-'));
const vsixPath = path.join(scratch, 'dbhealth.vsix');
let zip: Buffer;
let names: string[];

before(() => {
  execFileSync(process.execPath, [path.join(projectRoot, 'scripts', 'package.mjs'), '--out', vsixPath], { cwd: projectRoot, stdio: 'pipe' });
  zip = readFileSync(vsixPath);
  names = readZipEntries(zip).map((entry) => entry.name);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

test('holds the bundles, wasm grammars, icon, rule docs and the three top-level documents', () => {
  const required = [
    'extension/package.json',
    'extension/dist/extension.js',
    'extension/dist/engine.js',
    'extension/dist/cli.js',
    'extension/dist/lint-worker.js',
    'extension/dist/db.js',
    'extension/dist/runbook.js',
    'extension/dist/webview.js',
    'extension/dist/web-tree-sitter.wasm',
    'extension/dist/tree-sitter-python.wasm',
    'extension/media/icon.png',
    'extension/readme.md',
    'extension/changelog.md',
    'extension/LICENSE.txt',
    ...RULE_NAMES.map((rule) => `extension/docs/rules/${rule}.md`),
  ];
  assert.deepEqual(required.filter((name) => !names.includes(name)), []);
});

test('holds no sources, tests, source maps, samples or node_modules', () => {
  const stray = names.filter((name) =>
    /^extension\/(src|test|webview|samples|scripts|bench|out|node_modules|\.vscode-test)\//.test(name) ||
    name.includes('/node_modules/') ||
    name.endsWith('.map') ||
    (name.endsWith('.ts') && !name.endsWith('.d.ts')) ||
    /^extension\/(tsconfig\.json|esbuild\.mjs|eslint\.config\.mjs|package-lock\.json|\.env)$/.test(name) ||
    // The ESLint plugin bundle serves npm users; the extension runs the same rules from engine.js.
    name === 'extension/dist/eslint-plugin.js',
  );
  assert.deepEqual(stray, []);
});

test('every file under extension/ is one the allow-list ships', () => {
  const shipped = /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt|dist\/[^/]+\.(js|wasm)|media\/.+|docs\/rules\/[a-z-]+\.md)$/;
  assert.deepEqual(names.filter((name) => name.startsWith('extension/') && !shipped.test(name)), []);
});

test("the packaged manifest points at bundles that are in the package", () => {
  const manifestEntry = readZipEntries(zip).find((entry) => entry.name === 'extension/package.json');
  assert.ok(manifestEntry);
  const manifest = JSON.parse(readZipText(zip, manifestEntry)) as { main: string; bin: Record<string, string>; icon: string };
  const inPackage = (relative: string) => names.includes(`extension/${path.posix.normalize(relative)}`);
  assert.ok(inPackage(manifest.main), `main ${manifest.main} is not in the VSIX`);
  for (const [command, file] of Object.entries(manifest.bin)) assert.ok(inPackage(file), `bin ${command} → ${file} is not in the VSIX`);
  assert.ok(inPackage(manifest.icon), `icon ${manifest.icon} is not in the VSIX`);
});
