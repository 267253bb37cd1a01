import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Folders that hold dependencies or build output, never the user's own code. */
const SKIPPED_DIRECTORIES = new Set([
  'node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache',
  'dist', 'build', 'out', '.vscode-test', 'site-packages',
]);

/** A path the CLI was given, or a folder beneath one, that could not be read. */
export interface UnreadablePath {
  readonly path: string;
  /** The system's error code (ENOENT, EACCES, ELOOP…), or undefined when it gave none. */
  readonly code: string | undefined;
}

/** What each system error code means, in words. */
const ERROR_CODE_MEANINGS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links (a link loop)',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the path is too long',
  EISDIR: 'is a folder',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

/** `no such file or directory (ENOENT)`: the system's reason, in words, with its code. */
export function describeReadError(error: unknown): { code: string | undefined; reason: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code) return { code, reason: `${ERROR_CODE_MEANINGS[code] ?? 'cannot be read'} (${code})` };
  return { code: undefined, reason: `cannot be read: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * Expands the CLI's paths into the supported files beneath them. Paths named explicitly are kept
 * even when unsupported so the caller can report them. A path or folder that cannot be read is
 * returned with its reason, and the others are still expanded: one bad path does not stop a run.
 */
export async function collectFiles(
  inputs: readonly string[],
  cwd: string,
  isSupported: (file: string) => boolean,
): Promise<{ files: string[]; unreadable: UnreadablePath[] }> {
  const files = new Set<string>();
  const unreadable: UnreadablePath[] = [];
  async function walk(directory: string): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(directory, { withFileTypes: true });
    } catch (error) {
      unreadable.push({ path: directory, code: (error as NodeJS.ErrnoException).code });
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
    } catch (error) {
      unreadable.push({ path: full, code: (error as NodeJS.ErrnoException).code });
      continue;
    }
    if (stat.isDirectory()) await walk(full);
    else files.add(full);
  }
  return { files: [...files], unreadable };
}
