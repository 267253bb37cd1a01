import * as vscode from 'vscode';
import { loadEngine } from './engine-loader';
import { RULE_NAMES, ruleDocsUrl, type RuleName } from '../engine/catalogue';
import type { Finding } from '../engine/types';

const SUPPORTED_LANGUAGES = new Set(['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact']);

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const range = new vscode.Range(finding.start.line - 1, finding.start.column - 1, finding.end.line - 1, finding.end.column - 1);
  const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
  diagnostic.source = 'dbhealth';
  diagnostic.code = { value: finding.rule, target: vscode.Uri.parse(ruleDocsUrl(finding.rule)) };
  return diagnostic;
}

function isLintable(document: vscode.TextDocument): boolean {
  return SUPPORTED_LANGUAGES.has(document.languageId) && (document.uri.scheme === 'file' || document.uri.scheme === 'vscode-remote');
}

function readRuleSettings(): Partial<Record<RuleName, 'off' | 'info' | 'warning' | 'error'>> {
  const configured = vscode.workspace.getConfiguration('dbhealth').get<Record<string, string>>('rules') ?? {};
  const rules: Partial<Record<RuleName, 'off' | 'info' | 'warning' | 'error'>> = {};
  for (const name of RULE_NAMES) {
    const value = configured[name];
    if (value === 'off' || value === 'info' || value === 'warning' || value === 'error') rules[name] = value;
  }
  return rules;
}

export function registerDiagnostics(context: vscode.ExtensionContext): void {
  const collection = vscode.languages.createDiagnosticCollection('dbhealth');
  context.subscriptions.push(collection);

  async function lintDocument(document: vscode.TextDocument): Promise<void> {
    if (!isLintable(document)) return;
    const version = document.version;
    const outcome = await loadEngine().lintText(document.getText(), document.uri.fsPath, { rules: readRuleSettings() });
    // The document moved on while we analysed: a newer run owns its diagnostics.
    if (document.isClosed || document.version !== version) return;
    collection.set(document.uri, outcome.kind === 'linted' ? outcome.findings.map(toDiagnostic) : []);
  }

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((document) => void lintDocument(document)),
    vscode.workspace.onDidChangeTextDocument((event) => void lintDocument(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => collection.delete(document.uri)),
  );
  for (const document of vscode.workspace.textDocuments) void lintDocument(document);
}
