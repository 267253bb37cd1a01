import type { LanguageFrontEnd } from '../engine/types';

export const PYTHON_EXTENSIONS = ['.py', '.pyi'] as const;

/** Loads the tree-sitter based Python front end on first use (it instantiates a wasm parser). */
export async function loadPythonFrontEnd(): Promise<LanguageFrontEnd> {
  const { createPythonFrontEnd } = await import('./frontend');
  return createPythonFrontEnd();
}
