import type { LanguageFrontEnd } from '../engine/types';

export const JAVASCRIPT_EXTENSIONS = ['.js', '.cjs', '.mjs', '.jsx', '.ts', '.cts', '.mts', '.tsx'] as const;

/** Loads ESLint's Linter with the dbhealth plugin on first use; it is the heaviest part of the engine. */
export async function loadJavaScriptFrontEnd(): Promise<LanguageFrontEnd> {
  const { createJavaScriptFrontEnd } = await import('./frontend');
  return createJavaScriptFrontEnd();
}
