import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Folders that hold dependencies or build output, never the user's own code. */
const SKIPPED_DIRECTORIES = new Set([
  'node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache',
  'dist', 'build', 'out', '.vscode-test', 'site-packages',
]);

/**
 * Expands the CLI's paths into the supported files beneath them. Paths named explicitly are kept
 * even when unsupported so the caller can report them; missing paths are returned separately.
 */
export async function collectFiles(
  inputs: readonly string[],
  cwd: string,
  isSupported: (file: string) => boolean,
): Promise<{ files: string[]; missing: string[] }> {
  const files = new Set<string>();
  const missing: string[] = [];
  async function walk(directory: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(directory, { withFileTypes: true });
    } catch {
      missing.push(directory);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(full);
      } else if (entry.isFile() && isSupported(full)) {
        files.add(full);
      }
    }
  }
  for (const input of inputs.length > 0 ? inputs : ['.']) {
    const full = path.resolve(cwd, input);
    let stat;
    try {
      stat = await fs.stat(full);
    } catch {
      missing.push(input);
      continue;
    }
    if (stat.isDirectory()) await walk(full);
    else files.add(full);
  }
  return { files: [...files], missing };
}
