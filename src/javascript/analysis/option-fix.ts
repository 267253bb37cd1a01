import type { TSESLint } from '@typescript-eslint/utils';
import { insertOptionsArgument, insertProperty } from './edits';
import type { Creation } from './model';

/** A fix that sets `name: value` on a creation's options, adding the options object when there is none. */
export function addOptionFix(sourceCode: Readonly<TSESLint.SourceCode>, creation: Creation, name: string, value: string) {
  return (fixer: TSESLint.RuleFixer): TSESLint.RuleFix | null =>
    creation.options ? insertProperty(fixer, sourceCode, creation.options, name, value) : insertOptionsArgument(fixer, sourceCode, creation.node, name, value);
}

/** A fix that replaces an option's current value. */
export function replaceOptionFix(node: Parameters<TSESLint.RuleFixer['replaceText']>[0], value: string) {
  return (fixer: TSESLint.RuleFixer): TSESLint.RuleFix => fixer.replaceText(node, value);
}
