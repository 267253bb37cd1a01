import { after, describe, it } from 'node:test';
import { RuleTester } from '@typescript-eslint/rule-tester';

// RuleTester runs inside whatever test framework hands it these hooks: node:test here.
RuleTester.afterAll = after;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** A RuleTester with the typescript-eslint parser and no type information, as the plugin runs. */
export function createRuleTester(): RuleTester {
  return new RuleTester();
}

/** Test cases default to `file.ts`; these mark plain JavaScript, ES modules or CommonJS. */
export const js = (code: string) => ({ code, filename: 'file.mjs' });
export const cjs = (code: string) => ({ code, filename: 'file.cjs', languageOptions: { parserOptions: { sourceType: 'commonjs' as const } } });
export const ts = (code: string) => ({ code, filename: 'file.ts' });
export const cts = (code: string) => ({ code, filename: 'file.cts', languageOptions: { parserOptions: { sourceType: 'commonjs' as const } } });
