import type { LanguageFrontEnd } from '../engine/types';

// Placeholder until the python analysis lands (its own issue); it finds nothing rather than guessing.
export async function createPythonFrontEnd(): Promise<LanguageFrontEnd> {
  return { language: 'python', extensions: [], lint: async () => ({ kind: 'linted', findings: [] }) };
}
