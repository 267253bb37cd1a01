/**
 * The project index: for each module of the project, what its names hold and what its functions do
 * with connections (see facts.ts), computed once per file version and shared by every lint of the run
 * (the CLI, Lint Workspace) or of the session (the editor's worker).
 *
 * Facts are computed lazily: linting a file asks for the modules it imports, which are read and
 * summarised then (and theirs in turn); a module being summarised that is asked for again (an import
 * cycle) answers "nothing known". Attributes assigned a handle somewhere in the project
 * (`app.state.pool = …`, `bot.db = …`) are collected from every file of the project that mentions a
 * database library, the first time any lint asks for one, so the answer never depends on which files
 * happened to be linted before.
 *
 * Design record: docs/decisions/project-index.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { factsKey, mergeAttributeFacts, own, type FunctionFacts, type Holding, type ModuleFacts, type ObjectFacts } from './facts';
import { diskView, isInside, JavaScriptResolver, resolvePythonModule, type FileSystemView } from './resolve';

export type ProjectLanguage = 'python' | 'javascript';

/** One language's way of reading a module into facts; the front end registers it when it loads. */
export interface ModuleSummarizer {
  readonly language: ProjectLanguage;
  readonly extensions: readonly string[];
  /** The module's facts; `view` answers the module's own imports. Must not throw on any text. */
  summarize(text: string, filePath: string, view: ProjectView): ModuleFacts;
  /** Whether a file's text can hold a fact others need at all (it names a database library): a cheap pre-check. */
  mayHoldFacts(text: string): boolean;
}

/** What an imported name turned out to be. */
export type Imported =
  | { readonly kind: 'holding'; readonly holding: Holding }
  | { readonly kind: 'function'; readonly facts: FunctionFacts }
  | { readonly kind: 'class'; readonly facts: ObjectFacts }
  | { readonly kind: 'module'; readonly facts: ModuleFacts; readonly file: string };

/** The index as one file sees it: its imports are resolved from where it lives. */
export interface ProjectView {
  /** The module `specifier` names (`app.db`, `./db`), with its facts, when it is a file of the project. */
  module(specifier: string): { readonly facts: ModuleFacts; readonly file: string } | undefined;
  /**
   * What `name` exported by `specifier` is (`default` for a default export or `module.exports =`).
   * Python's `from pkg import name` also finds a submodule `pkg.name`.
   */
  imported(specifier: string, name: string): Imported | undefined;
  /** What `name` of an already resolved module (`file`) is: `db.pool` after `import db`. */
  member(file: string, name: string): Imported | undefined;
  /** What an attribute of that name holds wherever the project assigns one, when that is one kind of handle. */
  attribute(name: string): Holding | undefined;
}

/** Folders that hold dependencies, caches or build output, never the project's own modules. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', '.mypy_cache',
  'dist', 'build', 'out', '.vscode-test', 'site-packages', '.next', 'coverage',
]);

/** How many files the project-wide attribute scan reads at most: a property of the tree, the same on every machine. */
export const MAX_SCANNED_FILES = 50_000;

/** Files larger than this are not read for facts (generated or vendored code). */
const MAX_FACT_FILE_BYTES = 2 * 1024 * 1024;

interface Entry {
  readonly stamp: string;
  readonly facts: ModuleFacts;
}

export interface ProjectIndexOptions {
  /** Folders whose files make up the project; nothing outside them is read. */
  readonly roots: readonly string[];
  /** Files never read for facts (the editor's `dbhealth.exclude`). */
  readonly exclude?: (file: string) => boolean;
  readonly fsView?: FileSystemView;
}

export class ProjectIndex {
  readonly roots: readonly string[];
  private readonly summarizers = new Map<ProjectLanguage, ModuleSummarizer>();
  private readonly entries = new Map<string, Entry>();
  private readonly inProgress = new Set<string>();
  /** Module → the files that read its facts (directly). */
  private readonly importers = new Map<string, Set<string>>();
  private readonly attributeTables = new Map<ProjectLanguage, Map<string, Holding | null>>();
  private readonly jsResolver: JavaScriptResolver;
  private readonly fsView: FileSystemView;
  private readonly exclude: (file: string) => boolean;
  /** Summaries computed, for the benchmark and tests. */
  summaries = 0;

  constructor(options: ProjectIndexOptions) {
    this.roots = [...new Set(options.roots.map((root) => path.resolve(root)))];
    this.fsView = options.fsView ?? diskView;
    this.exclude = options.exclude ?? (() => false);
    this.jsResolver = new JavaScriptResolver(this.roots, this.fsView);
  }

  register(summarizer: ModuleSummarizer): void {
    this.summarizers.set(summarizer.language, summarizer);
  }

  hasLanguage(language: ProjectLanguage): boolean {
    return this.summarizers.has(language);
  }

  /** The index as `filePath` sees it. */
  view(filePath: string, language: ProjectLanguage): ProjectView {
    const from = path.resolve(filePath);
    return {
      module: (specifier) => {
        const file = this.resolve(from, specifier, language);
        if (!file) return undefined;
        const facts = this.factsOf(file, from);
        return facts ? { facts, file } : undefined;
      },
      imported: (specifier, name) => this.importedName(from, specifier, name, language, 0),
      member: (file, name) => this.importedFrom(from, file, name, language, 0),
      attribute: (name) => this.attributeTable(language).get(name) ?? undefined,
    };
  }

  /** Resolutions by importing folder and specifier (`null`: not a module of the project). Cleared when files change. */
  private readonly resolutions = new Map<string, string | null>();

  resolve(fromFile: string, specifier: string, language: ProjectLanguage): string | undefined {
    // Python relative and absolute imports resolve the same way from every file of one folder; so do JS ones.
    const key = `${language}\0${path.dirname(fromFile)}\0${specifier}`;
    const cached = this.resolutions.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const found = language === 'python' ? resolvePythonModule(fromFile, specifier, this.roots, this.fsView) : this.jsResolver.resolve(fromFile, specifier);
    this.resolutions.set(key, found ?? null);
    return found;
  }

  /** A module's facts (computed now if its file changed since). `importer` is recorded as depending on it. */
  factsOf(file: string, importer?: string): ModuleFacts | undefined {
    if (importer !== undefined && importer !== file) {
      let set = this.importers.get(file);
      if (!set) this.importers.set(file, (set = new Set()));
      set.add(importer);
    }
    if (this.inProgress.has(file) || this.exclude(file)) return undefined;
    const summarizer = this.summarizerFor(file);
    if (!summarizer) return undefined;
    const stamp = this.stampOf(file);
    if (stamp === undefined) return undefined;
    const cached = this.entries.get(file);
    if (cached && cached.stamp === stamp) return cached.facts;
    const text = this.fsView.readText(file);
    if (text === undefined) return undefined;
    this.inProgress.add(file);
    try {
      const facts = summarizer.summarize(text, file, this.view(file, summarizer.language));
      this.summaries++;
      this.entries.set(file, { stamp, facts });
      return facts;
    } finally {
      this.inProgress.delete(file);
    }
  }

  /**
   * Forgets what was read of a file (it was saved or changed on disk). Returns the files whose lint
   * may change as a result — its importers, transitively — when its facts changed, else nothing.
   */
  invalidate(file: string): string[] {
    const resolved = path.resolve(file);
    const before = this.entries.get(resolved);
    this.entries.delete(resolved);
    this.stamps.delete(resolved);
    // A file created or deleted can change what an import resolves to.
    if (!before) this.resolutions.clear();
    const after = this.factsOf(resolved);
    if (before && after && factsKey(before.facts) === factsKey(after)) return [];
    if (!before && !after) return [];
    const beforeAttributes = factsKey(before?.facts.attributes ?? {});
    const afterAttributes = factsKey(after?.attributes ?? {});
    if (beforeAttributes !== afterAttributes) {
      this.attributeTables.clear();
      // An attribute fact can reach any file: every file linted so far may change.
      const everyone = new Set<string>();
      for (const set of this.importers.values()) for (const importer of set) everyone.add(importer);
      for (const key of this.entries.keys()) everyone.add(key);
      everyone.delete(resolved);
      return [...everyone].sort();
    }
    return this.importersOf(resolved);
  }

  /** Files that read `file`'s facts, directly or through other modules. */
  importersOf(file: string): string[] {
    const found = new Set<string>();
    const queue = [path.resolve(file)];
    while (queue.length > 0) {
      const current = queue.pop()!;
      for (const importer of this.importers.get(current) ?? []) {
        if (found.has(importer)) continue;
        found.add(importer);
        // Its own facts may have changed too: drop them so they are read again.
        this.entries.delete(importer);
        queue.push(importer);
      }
    }
    found.delete(path.resolve(file));
    return [...found].sort();
  }

  /** Records that a linted file reads a module, so saving that module re-lints it. */
  noteImporter(module: string, importer: string): void {
    let set = this.importers.get(module);
    if (!set) this.importers.set(module, (set = new Set()));
    set.add(importer);
  }

  /** Modules summarised so far and their facts (for tests and the benchmark). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Builds the whole index now: every file under the roots that mentions a database library is
   * summarised (with what it imports). The CLI and Lint Workspace call this first, so its time is
   * measured apart from linting.
   */
  buildAll(): void {
    for (const language of this.summarizers.keys()) this.attributeTable(language);
  }

  private importedName(from: string, specifier: string, name: string, language: ProjectLanguage, depth: number): Imported | undefined {
    const file = this.resolve(from, specifier, language);
    if (file) {
      const found = this.importedFrom(from, file, name, language, depth);
      if (found) return found;
    }
    if (language === 'python' && !file) {
      // `from app import db` where app is a namespace package: only the submodule exists.
      const prefix = specifier.endsWith('.') ? specifier : `${specifier}.`;
      const submodule = this.resolve(from, `${prefix}${name}`, language);
      const subfacts = submodule ? this.factsOf(submodule, from) : undefined;
      if (submodule && subfacts) return { kind: 'module', facts: subfacts, file: submodule };
    }
    return undefined;
  }

  /** What `name` of the module in `file` is, following re-exports; `importer` depends on what it reads. */
  importedFrom(importer: string, file: string, name: string, language: ProjectLanguage, depth: number): Imported | undefined {
    if (depth > 16) return undefined;
    const facts = this.factsOf(file, importer);
    if (facts) {
      const holding = own(facts.names, name);
      if (holding) return { kind: 'holding', holding };
      const fn = own(facts.functions, name);
      if (fn) return { kind: 'function', facts: fn };
      const cls = own(facts.classes, name);
      if (cls) return { kind: 'class', facts: cls };
      const through = own(facts.reexports, name) ?? own(facts.reexports, '*');
      if (through) {
        const target = this.resolve(file, through.specifier, language);
        const found = target ? this.importedFrom(file, target, through.name === '*' ? name : through.name, language, depth + 1) : undefined;
        if (found) {
          this.noteImporter(target!, importer);
          return found;
        }
      }
    }
    if (language === 'python' && path.basename(file).startsWith('__init__.')) {
      // `from app import db` / `app.db` where db is a submodule of the package app.
      const directory = path.dirname(file);
      for (const candidate of [path.join(directory, `${name}.py`), path.join(directory, name, '__init__.py')]) {
        if (!this.fsView.isFile(candidate)) continue;
        const subfacts = this.factsOf(candidate, importer);
        if (subfacts) return { kind: 'module', facts: subfacts, file: candidate };
      }
    }
    return undefined;
  }

  private attributeTable(language: ProjectLanguage): Map<string, Holding | null> {
    const cached = this.attributeTables.get(language);
    if (cached) return cached;
    const table = new Map<string, Holding | null>();
    // Set before filling: a summary asked for during the scan sees the attributes found so far
    // only through its own module, never a half-built table from another file.
    this.attributeTables.set(language, table);
    const summarizer = this.summarizers.get(language);
    if (!summarizer) return table;
    const collected = new Map<string, Holding | null>();
    for (const file of this.projectFiles(summarizer.extensions)) {
      const text = this.fsView.readText(file);
      if (text === undefined || !summarizer.mayHoldFacts(text)) continue;
      const facts = this.factsOf(file);
      if (facts) mergeAttributeFacts(collected, facts.attributes);
    }
    for (const [name, holding] of collected) table.set(name, holding);
    return table;
  }

  /** Every file of the given extensions under the roots, in a fixed order, at most MAX_SCANNED_FILES. */
  private projectFiles(extensions: readonly string[]): string[] {
    const found: string[] = [];
    const seen = new Set<string>();
    const visit = (directory: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(directory, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (found.length >= MAX_SCANNED_FILES) return;
        const full = path.join(directory, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) visit(full);
        } else if (entry.isFile() && extensions.includes(path.extname(entry.name).toLowerCase()) && !seen.has(full) && !this.exclude(full)) {
          seen.add(full);
          found.push(full);
        }
      }
    };
    for (const root of this.roots) {
      if (this.fsView.isDirectory(root)) visit(root);
      else if (this.fsView.isFile(root) && !seen.has(root)) {
        seen.add(root);
        found.push(root);
      }
    }
    return found;
  }

  private summarizerFor(file: string): ModuleSummarizer | undefined {
    const extension = path.extname(file).toLowerCase();
    for (const summarizer of this.summarizers.values()) if (summarizer.extensions.includes(extension)) return summarizer;
    return undefined;
  }

  /**
   * A file's modification stamp, read once per index: later changes reach the index through
   * `invalidate` (the editor reports saves and changes on disk; a CLI run reads each file once).
   */
  private readonly stamps = new Map<string, string | null>();

  private stampOf(file: string): string | undefined {
    const known = this.stamps.get(file);
    if (known !== undefined) return known ?? undefined;
    let stamp: string | undefined;
    if (isInside(file, this.roots)) {
      try {
        const stat = fs.statSync(file);
        if (stat.isFile() && stat.size <= MAX_FACT_FILE_BYTES) stamp = `${stat.mtimeMs}:${stat.size}`;
      } catch {
        stamp = undefined;
      }
    }
    this.stamps.set(file, stamp ?? null);
    return stamp;
  }
}

export type { FunctionFacts, Holding, ModuleFacts, ObjectFacts } from './facts';
