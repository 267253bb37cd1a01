import * as vscode from 'vscode';
import type { DocumentLinter } from './diagnostics';
import { summarizeWorkspaceLint, type FileTally } from './workspace-summary';

/**
 * `dbhealth: Lint Workspace`: every supported file that neither `files.exclude` nor
 * `dbhealth.exclude` hides, one at a time through the lint worker, into the Problems panel.
 * Open documents are linted from the editor's text, others from disk.
 */
export async function lintWorkspace(linter: DocumentLinter): Promise<string | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('dbhealth: open a folder to lint a workspace.');
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'dbhealth: linting workspace', cancellable: true },
    async (progress, token) => {
      const extensions = await linter.client.supportedExtensions();
      const include = `**/*.{${extensions.map((extension) => extension.slice(1)).join(',')}}`;
      // `undefined` keeps files.exclude applied by findFiles itself; dbhealth.exclude is checked below.
      const found = await vscode.workspace.findFiles(include, undefined, undefined, token);
      const files = found.filter((uri) => !linter.isExcluded(uri)).sort((a, b) => a.path.localeCompare(b.path));
      const tallies: FileTally[] = [];
      for (const [index, uri] of files.entries()) {
        if (token.isCancellationRequested) break;
        progress.report({ message: `${index + 1}/${files.length} ${vscode.workspace.asRelativePath(uri, false)}`, increment: 100 / files.length });
        const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
        if (open) {
          await linter.lintDocument(open);
          const findings = linter.findings.findingsAt(uri.toString(), open.version);
          tallies.push({ outcome: { kind: 'linted', findings } });
        } else {
          const outcome = await linter.lintFileOnDisk(uri);
          if (outcome) tallies.push({ outcome });
        }
      }
      const summary = summarizeWorkspaceLint(tallies, files.length, token.isCancellationRequested);
      linter.output.appendLine(summary);
      void vscode.window.showInformationMessage(summary);
      return summary;
    },
  );
}

export function registerWorkspaceLint(context: vscode.ExtensionContext, linter: DocumentLinter): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dbhealth.lintWorkspace', async () => {
      try {
        return await lintWorkspace(linter);
      } catch (error) {
        void vscode.window.showErrorMessage(`dbhealth could not lint the workspace: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    }),
  );
}
