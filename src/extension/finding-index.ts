/**
 * The findings behind one document version's diagnostics. Code actions receive copies of the
 * diagnostics (they cross the process boundary), so a finding is found again by what the user
 * sees — rule, range and message — and only for the exact version it was computed on: a fix's
 * offsets are meaningless for any other text.
 */
import type { Finding } from '../engine/types';

export interface DiagnosticIdentity {
  readonly rule: string;
  /** 0-based, as VS Code ranges are. */
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  readonly message: string;
}

export function identityOfFinding(finding: Finding): DiagnosticIdentity {
  return {
    rule: finding.rule,
    startLine: finding.start.line - 1,
    startCharacter: finding.start.column - 1,
    endLine: finding.end.line - 1,
    endCharacter: finding.end.column - 1,
    message: finding.message,
  };
}

function keyOf(identity: DiagnosticIdentity): string {
  return JSON.stringify([identity.rule, identity.startLine, identity.startCharacter, identity.endLine, identity.endCharacter, identity.message]);
}

export class FindingIndex {
  private readonly byDocument = new Map<string, { version: number; findings: Map<string, Finding> }>();

  set(documentKey: string, version: number, findings: readonly Finding[]): void {
    this.byDocument.set(documentKey, { version, findings: new Map(findings.map((f) => [keyOf(identityOfFinding(f)), f])) });
  }

  delete(documentKey: string): void {
    this.byDocument.delete(documentKey);
  }

  /** The finding shown as `identity`, or undefined when `version` is not the one it was linted at. */
  lookup(documentKey: string, version: number, identity: DiagnosticIdentity): Finding | undefined {
    const entry = this.byDocument.get(documentKey);
    if (!entry || entry.version !== version) return undefined;
    return entry.findings.get(keyOf(identity));
  }

  /** Every finding of `documentKey` at `version`; empty when that version was not linted. */
  findingsAt(documentKey: string, version: number): Finding[] {
    const entry = this.byDocument.get(documentKey);
    return entry && entry.version === version ? [...entry.findings.values()] : [];
  }

  versionOf(documentKey: string): number | undefined {
    return this.byDocument.get(documentKey)?.version;
  }
}
