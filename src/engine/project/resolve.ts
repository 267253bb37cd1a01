/**
 * Module resolution without a compiler: which file of the project an import names. Only files under
 * the project's roots are ever answered; a library (site-packages, node_modules) or a built-in
 * resolves to nothing, and the engines treat what it gives as unknown.
 *
 * Python (after pyright's and ruff's order, docs/decisions/project-index.md): relative imports from
 * the importing file's package; absolute ones from the top of the importing file's package tree,
 * then each root and its `src/`, then the importing file's own folder (scripts importing a sibling).
 * A folder with `__init__.py` is a package, `name.py` a module, a folder without `__init__.py` a
 * namespace package.
 *
 * JS/TS (after TypeScript's "bundler" resolution): relative paths with extension substitution
 * (`./db.js` finds `db.ts`), folders through `package.json` `main`/`exports` or `index`, tsconfig or
 * jsconfig `paths`/`baseUrl`, and workspace packages by their `package.json` name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type FileSystemView = {
  isFile(file: string): boolean;
  isDirectory(directory: string): boolean;
  readText(file: string): string | undefined;
};

export const diskView: FileSystemView = {
  isFile(file) {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  },
  isDirectory(directory) {
    try {
      return fs.statSync(directory).isDirectory();
    } catch {
      return false;
    }
  },
  readText(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

export function isInside(file: string, roots: readonly string[]): boolean {
  return roots.some((root) => file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
}

// ---------------------------------------------------------------------------------------------
// Python

const PYTHON_SOURCE_EXTENSIONS = ['.py', '.pyi'];

/** The folder above the topmost package that holds `file` (the folder an absolute import starts from). */
function packageTreeTop(file: string, fsView: FileSystemView, roots: readonly string[]): string {
  let directory = path.dirname(file);
  while (fsView.isFile(path.join(directory, '__init__.py')) && isInside(path.dirname(directory), roots)) directory = path.dirname(directory);
  return directory;
}

/** `a/b/c` under `base` as a module file or a package's `__init__.py`; namespace folders pass through. */
function pythonModuleUnder(base: string, parts: readonly string[], fsView: FileSystemView): string | undefined {
  if (parts.length === 0) {
    const init = path.join(base, '__init__.py');
    return fsView.isFile(init) ? init : undefined;
  }
  const joined = path.join(base, ...parts);
  for (const extension of PYTHON_SOURCE_EXTENSIONS) if (fsView.isFile(joined + extension)) return joined + extension;
  for (const init of ['__init__.py', '__init__.pyi']) if (fsView.isFile(path.join(joined, init))) return path.join(joined, init);
  return undefined;
}

/**
 * The file a Python import names: `specifier` is the module as written (`app.db`, `.database`,
 * `..config`). Undefined when it is not a module of the project.
 */
export function resolvePythonModule(fromFile: string, specifier: string, roots: readonly string[], fsView: FileSystemView = diskView): string | undefined {
  const dots = specifier.length - specifier.replace(/^\.+/, '').length;
  const rest = specifier.slice(dots);
  const parts = rest === '' ? [] : rest.split('.');
  if (dots > 0) {
    let base = path.dirname(fromFile);
    for (let i = 1; i < dots; i++) base = path.dirname(base);
    if (!isInside(base, roots)) return undefined;
    const found = pythonModuleUnder(base, parts, fsView);
    return found && isInside(found, roots) ? found : undefined;
  }
  if (parts.length === 0) return undefined;
  const bases = [packageTreeTop(fromFile, fsView, roots)];
  for (const root of roots) bases.push(root, path.join(root, 'src'));
  bases.push(path.dirname(fromFile));
  for (const base of new Set(bases)) {
    const found = pythonModuleUnder(base, parts, fsView);
    if (found && isInside(found, roots)) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// JavaScript / TypeScript

const JS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** What an import written with a JS extension may really name in a TypeScript project. */
const SUBSTITUTIONS: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.jsx': ['.tsx', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
};

function jsFile(candidate: string, fsView: FileSystemView): string | undefined {
  if (fsView.isFile(candidate) && JS_EXTENSIONS.includes(path.extname(candidate))) return candidate;
  const extension = path.extname(candidate);
  const substitutes = SUBSTITUTIONS[extension];
  if (substitutes) {
    const stem = candidate.slice(0, -extension.length);
    for (const substitute of substitutes) if (fsView.isFile(stem + substitute)) return stem + substitute;
  }
  for (const extension of JS_EXTENSIONS) if (fsView.isFile(candidate + extension)) return candidate + extension;
  return undefined;
}

interface PackageManifest {
  readonly name?: string;
  readonly main?: string;
  readonly module?: string;
  readonly source?: string;
  readonly types?: string;
  readonly exports?: unknown;
}

function readJson<T>(file: string, fsView: FileSystemView): T | undefined {
  const text = fsView.readText(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(stripJsonComments(text)) as T;
  } catch {
    return undefined;
  }
}

/** tsconfig.json allows comments and trailing commas. */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (char === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) i++;
      i++;
    } else out += char;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** The source entry of a package's `exports["."]`: `import`, `require`, `default`, `types`, nested. */
function exportsEntry(exports: unknown, subpath: string): string | undefined {
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (!exports || typeof exports !== 'object') return undefined;
  const record = exports as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 0 && keys.every((key) => key.startsWith('.'))) return exportsEntry(record[subpath], '.');
  for (const condition of ['source', 'import', 'require', 'node', 'default', 'types']) {
    const found = exportsEntry(record[condition], '.');
    if (found) return found;
  }
  return undefined;
}

function jsDirectory(directory: string, fsView: FileSystemView, subpath = '.'): string | undefined {
  const manifest = readJson<PackageManifest>(path.join(directory, 'package.json'), fsView);
  if (manifest) {
    const entries = [exportsEntry(manifest.exports, subpath), ...(subpath === '.' ? [manifest.source, manifest.module, manifest.main, manifest.types] : [])];
    for (const entry of entries) {
      if (typeof entry !== 'string') continue;
      const found = jsFile(path.join(directory, entry), fsView) ?? jsSourceOfBuildOutput(directory, entry, fsView);
      if (found) return found;
    }
  }
  if (subpath !== '.') return jsFile(path.join(directory, subpath), fsView) ?? jsIndex(path.join(directory, subpath), fsView);
  return jsIndex(directory, fsView);
}

/** `main: "dist/index.js"` of a workspace package whose sources sit in `src/`. */
function jsSourceOfBuildOutput(directory: string, entry: string, fsView: FileSystemView): string | undefined {
  const normalized = entry.replace(/^\.\//, '');
  const match = /^(dist|build|lib|out)\/(.*)$/.exec(normalized);
  if (!match) return undefined;
  return jsFile(path.join(directory, 'src', match[2]), fsView);
}

function jsIndex(directory: string, fsView: FileSystemView): string | undefined {
  if (!fsView.isDirectory(directory)) return undefined;
  for (const extension of JS_EXTENSIONS) {
    const index = path.join(directory, 'index' + extension);
    if (fsView.isFile(index)) return index;
  }
  return undefined;
}

function jsPath(candidate: string, fsView: FileSystemView): string | undefined {
  return jsFile(candidate, fsView) ?? jsDirectory(candidate, fsView);
}

interface CompilerPaths {
  readonly baseUrl?: string;
  readonly paths: readonly { readonly prefix: string; readonly suffix: string; readonly wildcard: boolean; readonly targets: readonly string[] }[];
  /** Folder that relative `paths` targets start from. */
  readonly pathsBase: string;
}

/** `compilerOptions.baseUrl` and `paths` of a tsconfig/jsconfig, following `extends` to files of the project. */
function compilerPaths(configFile: string, fsView: FileSystemView, depth = 0): CompilerPaths | undefined {
  const config = readJson<{ extends?: string | string[]; compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } }>(configFile, fsView);
  if (!config) return undefined;
  const directory = path.dirname(configFile);
  let inherited: CompilerPaths | undefined;
  const parents = typeof config.extends === 'string' ? [config.extends] : (config.extends ?? []);
  for (const parent of parents) {
    if (depth > 8 || !parent.startsWith('.')) continue;
    const parentFile = parent.endsWith('.json') ? path.resolve(directory, parent) : path.resolve(directory, parent + '.json');
    inherited = compilerPaths(parentFile, fsView, depth + 1) ?? inherited;
  }
  const options = config.compilerOptions ?? {};
  const baseUrl = options.baseUrl !== undefined ? path.resolve(directory, options.baseUrl) : inherited?.baseUrl;
  if (!options.paths) return inherited || baseUrl ? { baseUrl, paths: inherited?.paths ?? [], pathsBase: inherited?.pathsBase ?? directory } : undefined;
  const paths = Object.entries(options.paths).map(([pattern, targets]) => {
    const star = pattern.indexOf('*');
    return {
      prefix: star === -1 ? pattern : pattern.slice(0, star),
      suffix: star === -1 ? '' : pattern.slice(star + 1),
      wildcard: star !== -1,
      targets: Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : [],
    };
  });
  return { baseUrl, paths, pathsBase: baseUrl ?? directory };
}

/**
 * Resolution state of one project: configs and workspace packages found once, reused for every import.
 */
export class JavaScriptResolver {
  private readonly configByDirectory = new Map<string, CompilerPaths | null>();
  private packagesByName: Map<string, string> | undefined;

  constructor(
    private readonly roots: readonly string[],
    private readonly fsView: FileSystemView = diskView,
  ) {}

  resolve(fromFile: string, specifier: string): string | undefined {
    const found = this.resolveAny(fromFile, specifier);
    return found && isInside(found, this.roots) ? found : undefined;
  }

  private resolveAny(fromFile: string, specifier: string): string | undefined {
    if (specifier.startsWith('.') || specifier.startsWith('/')) return jsPath(path.resolve(path.dirname(fromFile), specifier), this.fsView);
    if (specifier.startsWith('node:')) return undefined;
    const config = this.configFor(path.dirname(fromFile));
    if (config) {
      const matches = config.paths
        .filter((p) => (p.wildcard ? specifier.startsWith(p.prefix) && specifier.endsWith(p.suffix) && specifier.length >= p.prefix.length + p.suffix.length : specifier === p.prefix))
        .sort((a, b) => b.prefix.length - a.prefix.length);
      for (const match of matches) {
        const captured = match.wildcard ? specifier.slice(match.prefix.length, specifier.length - match.suffix.length) : '';
        for (const target of match.targets) {
          const found = jsPath(path.resolve(config.pathsBase, target.replace('*', captured)), this.fsView);
          if (found) return found;
        }
      }
      if (config.baseUrl) {
        const found = jsPath(path.resolve(config.baseUrl, specifier), this.fsView);
        if (found) return found;
      }
    }
    const parts = specifier.split('/');
    const packageName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    const directory = this.workspacePackages().get(packageName);
    if (directory) {
      const subpath = specifier === packageName ? '.' : '.' + specifier.slice(packageName.length);
      return jsDirectory(directory, this.fsView, subpath);
    }
    return undefined;
  }

  /** The nearest tsconfig.json / jsconfig.json above a folder, within the roots. */
  private configFor(directory: string): CompilerPaths | undefined {
    const cached = this.configByDirectory.get(directory);
    if (cached !== undefined) return cached ?? undefined;
    let found: CompilerPaths | undefined;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = path.join(directory, name);
      if (this.fsView.isFile(file)) {
        found = compilerPaths(file, this.fsView);
        if (found) break;
      }
    }
    const parent = path.dirname(directory);
    if (!found && parent !== directory && isInside(parent, this.roots)) found = this.configFor(parent);
    this.configByDirectory.set(directory, found ?? null);
    return found;
  }

  /** `package.json` names of the project's own packages (monorepo workspaces), found under the roots. */
  private workspacePackages(): Map<string, string> {
    if (this.packagesByName) return this.packagesByName;
    const found = new Map<string, string>();
    const visit = (directory: string, depth: number): void => {
      if (depth > 4) return;
      const manifest = readJson<PackageManifest>(path.join(directory, 'package.json'), this.fsView);
      if (manifest?.name && !found.has(manifest.name)) found.set(manifest.name, directory);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(directory, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'build') continue;
        visit(path.join(directory, entry.name), depth + 1);
      }
    };
    for (const root of this.roots) visit(root, 0);
    this.packagesByName = found;
    return found;
  }
}
