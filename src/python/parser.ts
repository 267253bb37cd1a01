import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
// The CommonJS build on purpose: bundled into a CJS file, the ESM build reads `import.meta.url`,
// which does not exist there, and fails to find its wasm.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import TreeSitter = require('web-tree-sitter');

/**
 * Where the wasm files are: beside the bundle (dist/engine.js, where esbuild.mjs copies them), or in
 * node_modules when running from source (tests, benchmarks).
 */
function locate(fileName: string, packageDirectory: string): string {
  const candidates = [
    path.join(__dirname, fileName),
    path.join(__dirname, '..', '..', 'node_modules', packageDirectory, fileName),
    path.join(process.cwd(), 'node_modules', packageDirectory, fileName),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`cannot find ${fileName} (looked in ${candidates.join(', ')})`);
  return found;
}

let loading: Promise<Parser> | undefined;

/** One parser per process: the wasm module is large and parsers are reusable between files. */
export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    const runtime = locate('web-tree-sitter.wasm', 'web-tree-sitter');
    await TreeSitter.Parser.init({ locateFile: () => runtime });
    const language = await TreeSitter.Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python'));
    const parser = new TreeSitter.Parser();
    parser.setLanguage(language);
    return parser;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
