/**
 * The rule catalogue: every rule's metadata, declared once. The CLI, SARIF output, the editor's
 * diagnostics, the ESLint plugin, settings and the docs all read from here, so a rule's name,
 * description and default severity cannot drift between consumers.
 */

export const RULE_NAMES = [
  'no-leaked-connection',
  'no-connect-per-request',
  'require-acquire-timeout',
  'require-connect-timeout',
  'require-statement-timeout',
  'require-pool-recycle',
  'no-io-while-holding-connection',
  'require-retry-backoff',
  'no-swallowed-db-error',
  'no-open-transaction',
  'sane-pool-size',
] as const;

export type RuleName = (typeof RULE_NAMES)[number];

/** Severity as users configure it. `off` disables the rule. */
export type Severity = 'off' | 'info' | 'warning' | 'error';
export const SEVERITIES: readonly Severity[] = ['off', 'info', 'warning', 'error'];

export type Language = 'python' | 'javascript';

export interface RuleMeta {
  readonly name: RuleName;
  /** One sentence, imperative, shown in rule lists, SARIF and the ESLint plugin's docs.description. */
  readonly description: string;
  readonly defaultSeverity: Exclude<Severity, 'off'>;
  /** Languages with an implementation of this rule. */
  readonly languages: readonly Language[];
  /**
   * Languages in which some findings of this rule carry an automatic fix: an edit that is *safe*,
   * keeping what the code does when nothing fails (moving a release into `finally`). Fix-all, the
   * editor's source.fixAll and `eslint --fix` apply only these, unattended. Every other edit is a
   * suggestion the user picks in a quick fix: a new timeout, a pre-ping or a bigger pool changes how
   * a running service behaves, which nobody should get without reading it
   * (docs/decisions/fix-safety.md). The engine demotes any other fix to a suggestion.
   */
  readonly fixableIn: readonly Language[];
}

/** Where rule docs live in the repository; the extension opens the copy shipped in the VSIX. */
export const DOCS_BASE_URL = 'https://github.com/dbhealth/dbhealth/blob/main/docs/rules/';

export function ruleDocsUrl(rule: RuleName): string {
  return `${DOCS_BASE_URL}${rule}.md`;
}

/** Relative path of a rule's doc page inside the repository and the packaged extension. */
export function ruleDocsPath(rule: RuleName): string {
  return `docs/rules/${rule}.md`;
}

const BOTH: readonly Language[] = ['python', 'javascript'];
const NONE: readonly Language[] = [];

export const RULES: Readonly<Record<RuleName, RuleMeta>> = {
  'no-leaked-connection': {
    name: 'no-leaked-connection',
    description: 'Release every connection, pooled client or checkout on every path (finally, with, async with, .finally()).',
    defaultSeverity: 'error',
    languages: BOTH,
    fixableIn: BOTH,
  },
  'no-connect-per-request': {
    name: 'no-connect-per-request',
    description: 'Open connections and pools once per process, not inside request handlers or loops.',
    defaultSeverity: 'warning',
    languages: BOTH,
    fixableIn: NONE,
  },
  'require-acquire-timeout': {
    name: 'require-acquire-timeout',
    description: 'Bound how long a pool checkout may wait when the pool is exhausted.',
    defaultSeverity: 'warning',
    languages: BOTH,
    fixableIn: NONE,
  },
  'require-connect-timeout': {
    name: 'require-connect-timeout',
    description: 'Set a connect timeout where the driver would otherwise wait indefinitely or very long.',
    defaultSeverity: 'warning',
    languages: BOTH,
    fixableIn: NONE,
  },
  'require-statement-timeout': {
    name: 'require-statement-timeout',
    description: 'Give long-lived pools and connections a statement or command timeout.',
    defaultSeverity: 'info',
    languages: BOTH,
    fixableIn: NONE,
  },
  'require-pool-recycle': {
    name: 'require-pool-recycle',
    description: 'Recycle or pre-ping pooled connections so idle ones closed by the server or network are not handed out.',
    defaultSeverity: 'warning',
    languages: BOTH,
    fixableIn: NONE,
  },
  'no-io-while-holding-connection': {
    name: 'no-io-while-holding-connection',
    description: 'Do not make network calls or sleep while a connection is checked out.',
    defaultSeverity: 'warning',
    languages: BOTH,
    fixableIn: NONE,
  },
  'require-retry-backoff': {
    name: 'require-retry-backoff',
    description: 'Retry connects and queries with a growing, capped delay, and only on transient errors.',
    defaultSeverity: 'warning',
    languages: BOTH,
    fixableIn: NONE,
  },
  'no-swallowed-db-error': {
    name: 'no-swallowed-db-error',
    description: 'Do not catch database errors and drop them without logging or re-raising.',
    defaultSeverity: 'warning',
    languages: BOTH,
    fixableIn: NONE,
  },
  'no-open-transaction': {
    name: 'no-open-transaction',
    description: 'Roll back or close a transaction on every error path so the session is not left idle in transaction.',
    defaultSeverity: 'error',
    languages: BOTH,
    fixableIn: NONE,
  },
  'sane-pool-size': {
    name: 'sane-pool-size',
    description: 'Pool bounds must be satisfiable: min not above max, max within what a server can grant.',
    defaultSeverity: 'error',
    languages: BOTH,
    fixableIn: NONE,
  },
};

export function isRuleName(value: string): value is RuleName {
  return (RULE_NAMES as readonly string[]).includes(value);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
