import * as vscode from 'vscode';
import { registerDiagnostics } from './diagnostics';

/**
 * Registers listeners and commands and returns. No parsing and no database connection happen here:
 * the engine bundle loads on the first supported document, the database layer on the first panel.
 */
export function activate(context: vscode.ExtensionContext): void {
  registerDiagnostics(context);
}

export function deactivate(): void {
  // Everything registered is disposed through context.subscriptions.
}
