import { RULES, type RuleName, type Severity } from './catalogue';
import type { LintConfig } from './types';

/** The severity a rule runs at under `config`; `off` means the rule must not run at all. */
export function effectiveSeverity(rule: RuleName, config: LintConfig): Severity {
  return config.rules?.[rule] ?? RULES[rule].defaultSeverity;
}

export function isRuleEnabled(rule: RuleName, config: LintConfig): boolean {
  return effectiveSeverity(rule, config) !== 'off';
}
