import { type TSESLint } from '@typescript-eslint/utils';
import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';
import { RULES, ruleDocsUrl, type RuleName, type Severity } from '../../engine/catalogue';

/** Extra `meta.docs` fields of dbhealth rules, read from the catalogue. */
export interface DbhealthRuleDocs {
  readonly description: string;
  readonly defaultSeverity: Exclude<Severity, 'off'>;
}

const createRule = RuleCreator<DbhealthRuleDocs>((name) => ruleDocsUrl(name as RuleName));

export type DbhealthRuleModule = TSESLint.RuleModule<string, [], DbhealthRuleDocs>;

/**
 * Declares a rule whose name, description, default severity, docs URL and fixability come from the
 * catalogue, so the plugin, the editor and the CLI cannot disagree about them.
 */
export function createDbhealthRule<MessageIds extends string>(
  name: RuleName,
  spec: {
    readonly messages: Record<MessageIds, string>;
    readonly hasSuggestions?: boolean;
    readonly create: (context: Readonly<TSESLint.RuleContext<MessageIds, []>>) => TSESLint.RuleListener;
  },
): TSESLint.RuleModule<MessageIds, [], DbhealthRuleDocs> {
  const meta = RULES[name];
  return createRule<[], MessageIds>({
    name,
    meta: {
      type: 'problem',
      docs: { description: meta.description, defaultSeverity: meta.defaultSeverity },
      messages: spec.messages,
      schema: [],
      ...(meta.fixableIn.includes('javascript') ? { fixable: 'code' as const } : {}),
      ...(spec.hasSuggestions ? { hasSuggestions: true } : {}),
    },
    defaultOptions: [],
    create: spec.create,
  });
}
