/** Helpers shared by the extension-host tests. */
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dbhealth.dbhealth';

export function extensionUnderTest(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`The extension ${EXTENSION_ID} is not loaded in this extension host.`);
  return extension;
}

/** Absolute path of a file in samples/workspace/ of the checkout under test. */
export function samplePath(relativePath: string): string {
  return path.join(extensionUnderTest().extensionPath, 'samples', 'workspace', ...relativePath.split('/'));
}

/** Opens a sample file in an editor (so language-based activation and linting happen as for a user). */
export async function openSample(relativePath: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(samplePath(relativePath)));
  await vscode.window.showTextDocument(document);
  return document;
}

/**
 * Polls `probe` until it returns something other than undefined, or fails after `timeoutMs` with
 * a message that says what was awaited.
 */
export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The dbhealth diagnostics of a document, with their rule codes. */
export function dbhealthDiagnostics(uri: vscode.Uri): Array<vscode.Diagnostic & { rule: string }> {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'dbhealth')
    .map((diagnostic) => {
      const code = diagnostic.code;
      const rule = typeof code === 'object' && code !== null ? String(code.value) : String(code ?? '');
      return Object.assign(diagnostic, { rule });
    });
}
