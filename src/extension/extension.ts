import type * as vscode from 'vscode';
import { registerEditorFeatures } from './editor';
import { registerPanel } from './panel/register';
import { registerRunbook } from './runbook/register';

/**
 * Registers listeners and commands and returns. No parsing and no database connection happen here:
 * the lint worker starts on the first supported document, the database layer on the first panel.
 */
export function activate(context: vscode.ExtensionContext): void {
  registerEditorFeatures(context);
  registerPanel(context);
  registerRunbook(context);
}

export function deactivate(): void {
  // Everything registered is disposed through context.subscriptions.
}
