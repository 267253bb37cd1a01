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

/**
 * The runtime's exported cursor functions, which read and write the cursor through a shared
 * transfer buffer. web-tree-sitter's TreeCursor copies the cursor into that buffer and back around
 * every call (about three quarters of the tree copy's time in a CPU profile); the copy calls them
 * directly instead (src/python/tree.ts), and falls back to TreeCursor when they are not there.
 */
export interface CursorExports {
  readonly HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_named_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const CURSOR_FUNCTIONS = [
  '_ts_init', '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_current_node_is_named_wasm', '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm',
] as const;

let cursorExports: { readonly functions: CursorExports; readonly transferBuffer: number } | undefined;

/** The direct cursor functions and the transfer buffer's address, when the runtime exposed them to us. */
export function directCursor(): { readonly functions: CursorExports; readonly transferBuffer: number } | undefined {
  return cursorExports;
}

/** Describes a text change to a previous tree before an incremental parse. */
export const TreeEdit = TreeSitter.Edit;

let loading: Promise<Parser> | undefined;

/** One parser per process: the wasm module is large and parsers are reusable between files. */
export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    const runtime = locate('web-tree-sitter.wasm', 'web-tree-sitter');
    // The Emscripten runtime puts its exports on the options object it is initialised with.
    const runtimeModule: Record<string, unknown> = { locateFile: () => runtime };
    await TreeSitter.Parser.init(runtimeModule);
    if (CURSOR_FUNCTIONS.every((name) => typeof runtimeModule[name] === 'function') && runtimeModule.HEAP32 instanceof Int32Array) {
      const functions = runtimeModule as unknown as CursorExports;
      cursorExports = { functions, transferBuffer: functions._ts_init() };
    }
    const language = await TreeSitter.Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python'));
    const parser = new TreeSitter.Parser();
    parser.setLanguage(language);
    return parser;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
