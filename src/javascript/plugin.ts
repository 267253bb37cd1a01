/**
 * The ESLint plugin (dist/eslint-plugin.js): the same rules the editor and `dbhealth lint` run, for
 * a project's own flat config:
 *
 *   import dbhealth from 'dbhealth/eslint-plugin';
 *   export default [dbhealth.configs.recommended];
 */
import type { TSESLint } from '@typescript-eslint/utils';
import * as tsParser from '@typescript-eslint/parser';
import { RULES, type RuleName } from '../engine/catalogue';
import { JAVASCRIPT_RULES } from './rules';

declare const DBHEALTH_VERSION: string;

const ESLINT_SEVERITY = { error: 'error', warning: 'warn', info: 'warn' } as const;

const rules = JAVASCRIPT_RULES as Record<string, TSESLint.LooseRuleDefinition>;

const recommendedRules: Record<string, 'error' | 'warn'> = {};
for (const name of Object.keys(JAVASCRIPT_RULES) as RuleName[]) {
  recommendedRules[`dbhealth/${name}`] = ESLINT_SEVERITY[RULES[name].defaultSeverity];
}

const plugin = {
  meta: { name: 'eslint-plugin-dbhealth', version: typeof DBHEALTH_VERSION === 'string' ? DBHEALTH_VERSION : '0.0.0' },
  rules,
  configs: {} as Record<string, unknown>,
};

/** Lints JS and TS with the typescript-eslint parser, without type information (no tsconfig needed). */
plugin.configs.recommended = {
  name: 'dbhealth/recommended',
  files: ['**/*.{js,cjs,mjs,jsx,ts,cts,mts,tsx}'],
  languageOptions: { parser: tsParser },
  plugins: { dbhealth: plugin },
  rules: recommendedRules,
};

export = plugin;
