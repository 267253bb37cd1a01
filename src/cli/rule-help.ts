/**
 * Each rule's page as markdown, for SARIF's rule help: compiled into the bundle
 * (scripts/build-defines.mjs), read from docs/rules/ when run from source.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ruleDocsPath, type RuleName } from '../engine/catalogue';

declare const DBHEALTH_RULE_DOCS: Readonly<Record<string, string>> | undefined;

export function ruleHelpMarkdown(rule: RuleName): string | undefined {
  if (typeof DBHEALTH_RULE_DOCS !== 'undefined') return DBHEALTH_RULE_DOCS[rule];
  try {
    return readFileSync(path.join(__dirname, '..', '..', ruleDocsPath(rule)), 'utf8');
  } catch {
    return undefined;
  }
}
