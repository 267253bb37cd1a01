import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { booleanValue, hasSpread, numericValue, objectProperty } from './ast';
import type { Creation } from './model';

/**
 * What the options of a pool or connection say about one option: set to a literal, set to
 * something we cannot evaluate, or absent. `unknowable` when the options are not a literal object
 * (a variable, a spread, a connection string): such configs are never flagged.
 */
export type OptionState =
  | { readonly state: 'absent' }
  | { readonly state: 'literal'; readonly value: number | boolean | string; readonly node: TSESTree.Node }
  | { readonly state: 'dynamic'; readonly node: TSESTree.Node }
  | { readonly state: 'unknowable' };

export function optionState(creation: Creation, name: string): OptionState {
  if (creation.noArguments) return { state: 'absent' };
  const options = creation.options;
  const direct = options ? objectProperty(options, name) : undefined;
  if (options && (direct || !hasSpread(options))) return direct ? propertyState(direct) : { state: 'absent' };
  // A variable, alternatives or spreads: judged only when every source is visible (option-sources.ts).
  const sources = creation.optionSources;
  if (!sources) return { state: 'unknowable' };
  const candidates: TSESTree.Node[] = sources.objects.flatMap((object) => objectProperty(object, name) ?? []);
  const assignment = sources.assigned.get(name);
  if (assignment) candidates.push(assignment);
  if (candidates.length === 0) return { state: 'absent' };
  if (candidates.length === 1 && candidates[0].type === AST_NODE_TYPES.Property) return propertyState(candidates[0]);
  const first = candidates[0];
  return { state: 'dynamic', node: first.type === AST_NODE_TYPES.Property ? first.value : first };
}

function propertyState(property: TSESTree.Property): OptionState {
  const value = property.value;
  const number = numericValue(value);
  if (number !== undefined) return { state: 'literal', value: number, node: value };
  const bool = booleanValue(value);
  if (bool !== undefined) return { state: 'literal', value: bool, node: value };
  if (value.type === AST_NODE_TYPES.Literal && typeof value.value === 'string') return { state: 'literal', value: value.value, node: value };
  return { state: 'dynamic', node: value };
}

/** Whether the creation's options can be edited by inserting a property (a literal object or no argument). */
export function canAddOption(creation: Creation): boolean {
  return creation.noArguments || (creation.options !== undefined && !hasSpread(creation.options));
}
