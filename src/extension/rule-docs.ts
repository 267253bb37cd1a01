import * as vscode from 'vscode';
import { isRuleName, RULE_NAMES, RULES, ruleDocsPath, type RuleName } from '../engine/catalogue';

/**
 * Opens a rule's page from the copy shipped inside the extension, rendered by VS Code's markdown
 * preview: it works offline and always matches the installed version's rules.
 */
export async function showRuleDocumentation(extensionUri: vscode.Uri, requested?: unknown): Promise<void> {
  const rule = typeof requested === 'string' && isRuleName(requested) ? requested : await pickRule();
  if (!rule) return;
  const page = vscode.Uri.joinPath(extensionUri, ruleDocsPath(rule));
  try {
    await vscode.workspace.fs.stat(page);
  } catch {
    void vscode.window.showErrorMessage(`dbhealth: the documentation of ${rule} is missing from this installation (${ruleDocsPath(rule)}).`);
    return;
  }
  try {
    await vscode.commands.executeCommand('markdown.showPreview', page);
  } catch {
    // The built-in markdown extension can be disabled; the page is still readable as text.
    await vscode.window.showTextDocument(page, { preview: true });
  }
}

async function pickRule(): Promise<RuleName | undefined> {
  const picked = await vscode.window.showQuickPick(
    RULE_NAMES.map((name) => ({ label: name, detail: RULES[name].description })),
    { title: 'dbhealth: show rule documentation', matchOnDetail: true },
  );
  return picked?.label as RuleName | undefined;
}

export function registerRuleDocumentation(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dbhealth.showRuleDocumentation', (rule?: unknown) => showRuleDocumentation(context.extensionUri, rule)),
  );
}
