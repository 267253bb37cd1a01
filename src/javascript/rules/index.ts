import type { RuleName } from '../../engine/catalogue';
import type { DbhealthRuleModule } from './create-rule';
import noLeakedConnection from './no-leaked-connection';

/** Every JS/TS rule, keyed by its catalogue name (the ESLint rule id is `dbhealth/<name>`). */
export const JAVASCRIPT_RULES: Partial<Record<RuleName, DbhealthRuleModule>> = {
  'no-leaked-connection': noLeakedConnection as unknown as DbhealthRuleModule,
};
