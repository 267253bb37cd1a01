import * as vscode from 'vscode';
import { isRuleName, type RuleName } from '../engine/catalogue';
import type { Fix } from '../engine/types';
import { languageFamily, ruleOfDiagnostic, type DocumentLinter } from './diagnostics';
import { suppressionEdit } from './suppression-edit';
import { minimalReplacement } from '../engine/text-diff';

/** `source.fixAll.dbhealth`: usable in `editor.codeActionsOnSave` and "Fix All". */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('dbhealth');

/**
 * Quick fixes come from the findings behind our diagnostics, looked up for the document's current
 * version only: after an edit the offsets no longer match, so nothing is offered until the new
 * lint lands.
 */
export class DbhealthCodeActionProvider implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  constructor(private readonly linter: DocumentLinter) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    if (!context.only || context.only.contains(vscode.CodeActionKind.QuickFix)) {
      for (const diagnostic of context.diagnostics) actions.push(...this.quickFixesFor(document, diagnostic));
    }
    if (context.only && (context.only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(context.only))) {
      try {
        const fixAll = await fixAllAction(this.linter, document, token);
        if (fixAll) actions.push(fixAll);
      } catch (error) {
        this.linter.output.appendLine(`fix all: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return actions;
  }

  private quickFixesFor(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
    const rule = ruleOfDiagnostic(diagnostic);
    if (!rule || !isRuleName(rule)) return [];
    const finding = this.linter.findings.lookup(document.uri.toString(), document.version, {
      rule,
      startLine: diagnostic.range.start.line,
      startCharacter: diagnostic.range.start.character,
      endLine: diagnostic.range.end.line,
      endCharacter: diagnostic.range.end.character,
      message: diagnostic.message,
    });
    if (!finding) return []; // stale: the diagnostic belongs to an older version of the text
    const actions: vscode.CodeAction[] = [];
    if (finding.fix) actions.push(editAction(document, diagnostic, finding.fix, true));
    for (const suggestion of finding.suggestions ?? []) actions.push(editAction(document, diagnostic, suggestion, false));
    const suppress = suppressAction(document, diagnostic, rule);
    if (suppress) actions.push(suppress);
    const docs = new vscode.CodeAction(`Show documentation for dbhealth/${rule}`, vscode.CodeActionKind.QuickFix);
    docs.diagnostics = [diagnostic];
    docs.command = { command: 'dbhealth.showRuleDocumentation', title: docs.title, arguments: [rule] };
    actions.push(docs);
    return actions;
  }
}

function editAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, fix: Fix, preferred: boolean): vscode.CodeAction {
  const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = preferred;
  action.edit = new vscode.WorkspaceEdit();
  for (const edit of fix.edits) {
    action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.text);
  }
  return action;
}

function suppressAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, rule: RuleName): vscode.CodeAction | undefined {
  const language = languageFamily(document);
  if (!language) return undefined;
  const edit = suppressionEdit({
    language,
    rule,
    line: diagnostic.range.start.line,
    lineText: (line) => document.lineAt(line).text,
    eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
  });
  const action = new vscode.CodeAction(`Disable dbhealth/${rule} for this line`, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.edit = new vscode.WorkspaceEdit();
  action.edit.replace(document.uri, new vscode.Range(edit.line, edit.startCharacter, edit.line, edit.endCharacter), edit.text);
  return action;
}

/** Every safe fix in the document, re-applied until stable, as one minimal edit; undefined when none applies. */
export async function fixAllAction(
  linter: DocumentLinter,
  document: vscode.TextDocument,
  token?: vscode.CancellationToken,
): Promise<vscode.CodeAction | undefined> {
  if (!linter.isLintable(document)) return undefined;
  const version = document.version;
  const before = document.getText();
  const { text: after } = await linter.client.fixAll(before, linter.enginePathOf(document), linter.lintConfig);
  if (token?.isCancellationRequested || document.version !== version) return undefined;
  const replacement = minimalReplacement(before, after);
  if (!replacement) return undefined;
  const action = new vscode.CodeAction('Fix all auto-fixable dbhealth problems', FIX_ALL_KIND);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.replace(
    document.uri,
    new vscode.Range(document.positionAt(replacement.start), document.positionAt(replacement.end)),
    replacement.text,
  );
  return action;
}

export function registerCodeActions(context: vscode.ExtensionContext, linter: DocumentLinter): void {
  const selector: vscode.DocumentSelector = ['python', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact'].map((language) => ({ language }));
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(selector, new DbhealthCodeActionProvider(linter), {
      providedCodeActionKinds: DbhealthCodeActionProvider.providedCodeActionKinds,
    }),
    vscode.commands.registerCommand('dbhealth.fixAll', async () => {
      const document = vscode.window.activeTextEditor?.document;
      if (!document || !linter.isLintable(document)) {
        void vscode.window.showInformationMessage('dbhealth: open a Python, JavaScript or TypeScript file to fix its problems.');
        return;
      }
      try {
        const action = await fixAllAction(linter, document);
        if (!action?.edit) {
          void vscode.window.showInformationMessage('dbhealth: nothing in this file can be fixed automatically.');
          return;
        }
        await vscode.workspace.applyEdit(action.edit);
      } catch (error) {
        void vscode.window.showErrorMessage(`dbhealth could not fix this file: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}
