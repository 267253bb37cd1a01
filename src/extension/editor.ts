import * as path from 'node:path';
import type * as vscode from 'vscode';
import { registerCodeActions } from './code-actions';
import { DocumentLinter } from './diagnostics';
import { LintWorkerClient } from './lint-worker-client';
import { registerRuleDocumentation } from './rule-docs';
import { registerWorkspaceLint } from './workspace-lint';

/**
 * The in-editor linting: diagnostics, quick fixes, fix-all, workspace scan and rule docs. The lint
 * worker (dist/lint-worker.js) starts with the first document linted, not here.
 */
export function registerEditorFeatures(context: vscode.ExtensionContext): void {
  const client = new LintWorkerClient(path.join(__dirname, 'lint-worker.js'));
  const linter = new DocumentLinter(client);
  context.subscriptions.push(linter, { dispose: () => void client.dispose() });
  registerCodeActions(context, linter);
  registerWorkspaceLint(context, linter);
  registerRuleDocumentation(context);
}
