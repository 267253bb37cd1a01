/**
 * Which files dbhealth leaves alone: `files.exclude` (the patterns set to `true`) plus
 * `dbhealth.exclude`. Patterns are workspace-relative globs as VS Code writes them; as with
 * `files.exclude`, a pattern that matches a folder excludes everything inside it.
 */
import { minimatch } from 'minimatch';

/** The globs of a `files.exclude` value that are switched on; `when` clauses are not evaluated. */
export function enabledExcludeGlobs(filesExclude: unknown): string[] {
  if (!filesExclude || typeof filesExclude !== 'object') return [];
  return Object.entries(filesExclude as Record<string, unknown>)
    .filter(([, enabled]) => enabled === true)
    .map(([glob]) => glob);
}

/**
 * `relativePath` uses `/` separators and is relative to its workspace folder. Each ancestor folder
 * is tested as well as the file, so `node_modules` or `**\/build` exclude whole trees.
 */
export function isExcludedPath(relativePath: string, globs: readonly string[]): boolean {
  if (globs.length === 0) return false;
  const segments = relativePath.split('/').filter((segment) => segment !== '');
  for (let length = 1; length <= segments.length; length++) {
    const candidate = segments.slice(0, length).join('/');
    if (globs.some((glob) => minimatch(candidate, stripLeadingSlash(glob), { dot: true, nocomment: true }))) return true;
  }
  return false;
}

function stripLeadingSlash(glob: string): string {
  return glob.startsWith('/') ? glob.slice(1) : glob;
}
