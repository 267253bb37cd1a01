/**
 * The extension's settings as typed data, parsed from whatever the user wrote. Plain functions of
 * raw values (no `vscode`), so unit tests cover them and the manifest test can check the names.
 */
import { isRuleName, SEVERITIES, type RuleName, type Severity } from '../engine/catalogue';
import type { LintConfig } from '../engine/types';

export const SETTINGS_SECTION = 'dbhealth';
export const SETTING_KEYS = { rules: 'rules', exclude: 'exclude', lintOn: 'lintOn', lintTestFiles: 'lintTestFiles' } as const;

export type LintTrigger = 'type' | 'save';

export interface EditorSettings {
  readonly lintConfig: LintConfig;
  readonly exclude: readonly string[];
  readonly lintOn: LintTrigger;
  /** Entries of `dbhealth.rules` that were ignored, described for a warning to the user. */
  readonly problems: readonly string[];
}

function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

export function parseEditorSettings(raw: { rules?: unknown; exclude?: unknown; lintOn?: unknown; lintTestFiles?: unknown }): EditorSettings {
  const problems: string[] = [];
  const rules: Partial<Record<RuleName, Severity>> = {};
  if (raw.rules !== undefined && raw.rules !== null) {
    if (typeof raw.rules !== 'object' || Array.isArray(raw.rules)) {
      problems.push('dbhealth.rules must be an object such as { "no-leaked-connection": "warning" }');
    } else {
      for (const [key, value] of Object.entries(raw.rules)) {
        const name = key.startsWith('dbhealth/') ? key.slice('dbhealth/'.length) : key;
        if (!isRuleName(name)) problems.push(`dbhealth.rules: "${key}" is not a dbhealth rule`);
        else if (!isSeverity(value)) problems.push(`dbhealth.rules: "${key}" must be one of ${SEVERITIES.join(', ')}`);
        else rules[name] = value;
      }
    }
  }
  const exclude = Array.isArray(raw.exclude) ? raw.exclude.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
  const lintOn: LintTrigger = raw.lintOn === 'save' ? 'save' : 'type';
  // Tests, examples and benchmarks are skipped unless asked for (docs/decisions/test-files.md).
  const includeTests = raw.lintTestFiles === true;
  return { lintConfig: { rules, includeTests }, exclude, lintOn, problems };
}
