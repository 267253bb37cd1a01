import * as path from 'node:path';
import * as vscode from 'vscode';
import { type RuleName } from '../engine/catalogue';
import type { Finding, LintConfig, LintOutcome } from '../engine/types';
import { enabledExcludeGlobs, isExcludedPath } from './exclusion';
import { FindingIndex } from './finding-index';
import { LintWorkerClient } from './lint-worker-client';
import { parseEditorSettings, SETTINGS_SECTION, type EditorSettings } from './settings';

/** Source shown in the Problems panel, and the filter for our diagnostics in code actions. */
export const DIAGNOSTIC_SOURCE = 'dbhealth';
/** Pause after the last keystroke before re-linting; short enough to feel live. */
const TYPING_DEBOUNCE_MS = 150;

/** VS Code language ids dbhealth analyses, with the extension the engine dispatches on for unsaved files. */
const LANGUAGES: Readonly<Record<string, { family: 'python' | 'javascript'; extensions: readonly string[] }>> = {
  python: { family: 'python', extensions: ['.py', '.pyi'] },
  javascript: { family: 'javascript', extensions: ['.js', '.cjs', '.mjs'] },
  javascriptreact: { family: 'javascript', extensions: ['.jsx'] },
  typescript: { family: 'javascript', extensions: ['.ts', '.cts', '.mts'] },
  typescriptreact: { family: 'javascript', extensions: ['.tsx'] },
};

export function languageFamily(document: vscode.TextDocument): 'python' | 'javascript' | undefined {
  return LANGUAGES[document.languageId]?.family;
}

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The command link behind a diagnostic's code: it opens the rule's page shipped in the extension. */
export function ruleDocumentationCommandUri(rule: RuleName): vscode.Uri {
  return vscode.Uri.parse(`command:dbhealth.showRuleDocumentation?${encodeURIComponent(JSON.stringify([rule]))}`);
}

function rangeOf(start: Finding['start'], end: Finding['end']): vscode.Range {
  return new vscode.Range(start.line - 1, start.column - 1, end.line - 1, end.column - 1);
}

export function toDiagnostic(finding: Finding, uri?: vscode.Uri): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(rangeOf(finding.start, finding.end), finding.message, SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.rule, target: ruleDocumentationCommandUri(finding.rule) };
  // The release some path skips, shown under the finding (related locations lie in the same file).
  if (uri && finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((related) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, rangeOf(related.start, related.end)), related.message));
  }
  return diagnostic;
}

/** The rule name of one of our diagnostics, or undefined for anyone else's. */
export function ruleOfDiagnostic(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}

/**
 * Owns the diagnostics: when to lint (open, debounced change or save, settings change), what to
 * skip (excluded files), and which results to keep (only those for the document's current version).
 */
export class DocumentLinter implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  readonly findings = new FindingIndex();
  readonly output = vscode.window.createOutputChannel('dbhealth');
  private settings: EditorSettings = readSettings();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private reportedWorkerFailure = false;

  constructor(readonly client: LintWorkerClient) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((document) => void this.lintDocument(document)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && this.settings.lintOn === 'type') this.scheduleLint(event.document);
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (this.settings.lintOn === 'save') void this.lintDocument(document);
        void this.moduleChanged(document.uri);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.configureProject()),
      vscode.workspace.onDidCloseTextDocument((document) => this.forgetDocument(document)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SETTINGS_SECTION) || event.affectsConfiguration('files.exclude')) this.applySettings();
      }),
    );
    this.reportSettingsProblems();
    this.configureProject();
    // Files changed outside the editor (a checkout, a generator) change what importers see too.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{py,pyi,js,cjs,mjs,jsx,ts,cts,mts,tsx}');
    this.subscriptions.push(
      watcher,
      watcher.onDidChange((uri) => void this.moduleChanged(uri)),
      watcher.onDidCreate((uri) => void this.moduleChanged(uri)),
      watcher.onDidDelete((uri) => void this.moduleChanged(uri)),
    );
    // Documents already open at activation are linted right after it, so activate() stays cheap.
    const initial = setTimeout(() => {
      for (const document of vscode.workspace.textDocuments) void this.lintDocument(document);
    }, 0);
    this.subscriptions.push({ dispose: () => clearTimeout(initial) });
  }

  get lintConfig(): LintConfig {
    return this.settings.lintConfig;
  }

  isLintable(document: vscode.TextDocument): boolean {
    return languageFamily(document) !== undefined && document.uri.scheme !== 'output' && !this.isExcluded(document.uri);
  }

  isExcluded(uri: vscode.Uri): boolean {
    const filesExclude = enabledExcludeGlobs(vscode.workspace.getConfiguration('files', uri).get('exclude'));
    const globs = [...filesExclude, ...this.settings.exclude];
    const relative = vscode.workspace.getWorkspaceFolder(uri) ? vscode.workspace.asRelativePath(uri, false) : uri.path;
    return isExcludedPath(relative.replace(/\\/g, '/'), globs);
  }

  /** The path the engine sees: it picks the front end by extension, which unsaved files lack. */
  enginePathOf(document: vscode.TextDocument): string {
    const language = LANGUAGES[document.languageId];
    const filePath = document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.path;
    if (!language || language.extensions.includes(path.extname(filePath).toLowerCase())) return filePath;
    return `${filePath}${language.extensions[0]}`;
  }

  /** Lints the document's current version now; results for an older version are dropped. */
  async lintDocument(document: vscode.TextDocument): Promise<void> {
    this.cancelScheduled(document.uri);
    if (!this.isLintable(document)) {
      this.clear(document.uri);
      return;
    }
    const key = document.uri.toString();
    const result = await this.client.lint(key, document.version, document.getText(), this.enginePathOf(document), this.lintConfig);
    if (result.kind === 'superseded' || document.isClosed || document.version !== result.version) return;
    this.publish(document.uri, document.version, result.outcome);
  }

  /** Records an outcome for `uri` at `version` (-1 for a file linted from disk). */
  publish(uri: vscode.Uri, version: number, outcome: LintOutcome): void {
    const key = uri.toString();
    if (outcome.kind === 'linted') {
      this.findings.set(key, version, outcome.findings);
      this.collection.set(uri, outcome.findings.map((finding) => toDiagnostic(finding, uri)));
      return;
    }
    this.clear(uri);
    if (outcome.kind === 'failed') this.reportFailure(uri, outcome.reason);
  }

  clear(uri: vscode.Uri): void {
    this.findings.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
    this.output.dispose();
  }

  private scheduleLint(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.cancelScheduled(document.uri);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.lintDocument(document);
      }, TYPING_DEBOUNCE_MS),
    );
  }

  private cancelScheduled(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private forgetDocument(document: vscode.TextDocument): void {
    this.cancelScheduled(document.uri);
    this.client.forget(document.uri.toString());
    this.clear(document.uri);
  }

  /** The workspace folders on disk make up the project whose modules import each other. */
  private configureProject(): void {
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
    this.client.setProjectRoots(roots);
  }

  /**
   * A module was saved or changed on disk: the files that import it (directly or not) are linted
   * again, in the background, when what the module offers changed (`db.py` no longer exports a pool).
   */
  async moduleChanged(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file') return;
    let affected: readonly string[];
    try {
      affected = await this.client.fileChanged(uri.fsPath);
    } catch {
      return; // the worker is restarting: its next lints read the file afresh
    }
    for (const filePath of affected) {
      const open = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === filePath);
      if (open) {
        void this.lintDocument(open);
        continue;
      }
      const other = vscode.Uri.file(filePath);
      if (this.findings.versionOf(other.toString()) !== undefined) void this.lintFileOnDisk(other);
    }
  }

  /** Settings apply at once: open documents and files a workspace scan reported are re-linted. */
  private applySettings(): void {
    this.settings = readSettings();
    this.reportSettingsProblems();
    const open = new Set<string>();
    for (const document of vscode.workspace.textDocuments) {
      if (document.isClosed || languageFamily(document) === undefined) continue;
      open.add(document.uri.toString());
      void this.lintDocument(document);
    }
    const scanned: vscode.Uri[] = [];
    this.collection.forEach((uri) => {
      if (!open.has(uri.toString())) scanned.push(uri);
    });
    for (const uri of scanned) void this.lintFileOnDisk(uri);
  }

  /** Lints a file that is not open in an editor, from its saved content. */
  async lintFileOnDisk(uri: vscode.Uri): Promise<LintOutcome | undefined> {
    if (this.isExcluded(uri)) {
      this.clear(uri);
      return undefined;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      const outcome: LintOutcome = { kind: 'failed', cause: 'unreadable', reason: `cannot read the file: ${error instanceof Error ? error.message : String(error)}` };
      this.publish(uri, -1, outcome);
      return outcome;
    }
    const filePath = uri.scheme === 'file' ? uri.fsPath : uri.path;
    const result = await this.client.lint(uri.toString(), -1, text, filePath, this.lintConfig, false);
    if (result.kind === 'superseded') return undefined;
    // The user opened the file meanwhile: the editor's version owns its diagnostics.
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return result.outcome;
    this.publish(uri, -1, result.outcome);
    return result.outcome;
  }

  private reportFailure(uri: vscode.Uri, reason: string): void {
    this.output.appendLine(`${vscode.workspace.asRelativePath(uri, false)}: not analysed: ${reason}`);
    if (reason.includes('lint worker') && !this.reportedWorkerFailure) {
      this.reportedWorkerFailure = true;
      void vscode.window.showErrorMessage(`dbhealth could not analyse ${path.basename(uri.path)}: ${reason}. Details are in the dbhealth output channel.`);
    }
  }

  private reportSettingsProblems(): void {
    if (this.settings.problems.length === 0) return;
    for (const problem of this.settings.problems) this.output.appendLine(`settings: ${problem} (ignored)`);
    void vscode.window.showWarningMessage(`dbhealth ignored part of its settings: ${this.settings.problems.join('; ')}.`);
  }
}

function readSettings(): EditorSettings {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return parseEditorSettings({
    rules: configuration.get('rules'),
    exclude: configuration.get('exclude'),
    lintOn: configuration.get('lintOn'),
    lintTestFiles: configuration.get('lintTestFiles'),
  });
}
