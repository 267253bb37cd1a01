/**
 * Where a pool's or connection's options come from when they are not one object literal written in
 * the call: `const config = {...}; new Pool(config)`, `new Pool({ ...credentials, max: 10 })` with
 * `credentials` one of several literals, a config object filled in property by property before the
 * client is built, `new Pool(connectionData())` with a local function returning literals.
 *
 * The answer is every object literal the options can be built from, plus the option names assigned
 * to the variable afterwards (`config.ssl = ...`). It is given only when all of that is visible in
 * this file: a variable that is exported, reassigned, passed to a function (which may add options),
 * or built from a parameter, an import or a call to anything but such a local function gives no
 * answer, and the option rules then judge nothing. Found on real code (a driver of a SQL tool
 * building its pg client from a local config, a plugin server's pool built from a local function
 * returning one literal per environment), where the option rules stayed silent.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { propertyName, unwrapValue, walk } from './ast';

export interface OptionSources {
  /** Every object literal the options may take properties from (alternatives and spreads alike). */
  readonly objects: readonly TSESTree.ObjectExpression[];
  /** Option names assigned to a source variable outside its literal, with the assigned value. */
  readonly assigned: ReadonlyMap<string, TSESTree.Node>;
}

/** How deep aliases, alternatives and spreads are followed: configs are shallow; this bounds cycles. */
const MAX_DEPTH = 6;

type VariableOf = (identifier: TSESTree.Identifier) => TSESLint.Scope.Variable | undefined;

/**
 * The sources of the options expression `argument` (the factory's first argument), or undefined when
 * any part is not visible. Every variable looked at is added to `consulted`, visible or not: the
 * editor's re-analysis treats their uses as able to change this call's findings.
 */
export function optionSources(argument: TSESTree.Node, variableOf: VariableOf, consulted: Set<TSESLint.Scope.Variable>): OptionSources | undefined {
  const objects: TSESTree.ObjectExpression[] = [];
  const assigned = new Map<string, TSESTree.Node>();
  const seen = new Set<TSESLint.Scope.Variable>();
  // The expressions whose value flows into the options: a use of a source variable there is the build itself.
  const flowing = new Set<TSESTree.Node>();

  function collect(expression: TSESTree.Node, depth: number): boolean {
    if (depth > MAX_DEPTH) return false;
    flowing.add(expression);
    const value = unwrapValue(expression);
    flowing.add(value);
    switch (value.type) {
      case AST_NODE_TYPES.ObjectExpression:
        objects.push(value);
        for (const property of value.properties) {
          if (property.type === AST_NODE_TYPES.SpreadElement) {
            if (!collect(property.argument, depth + 1)) return false;
          } else if (property.computed && property.key.type !== AST_NODE_TYPES.Literal) return false;
        }
        return true;
      case AST_NODE_TYPES.ConditionalExpression:
        return collect(value.consequent, depth + 1) && collect(value.alternate, depth + 1);
      case AST_NODE_TYPES.Identifier:
        return collectVariable(value, depth);
      case AST_NODE_TYPES.CallExpression:
        return collectReturned(value, depth);
      default:
        return false;
    }
  }

  /** `connectionData()`: a function of this file that returns fresh literals (one per environment, say). */
  function collectReturned(call: TSESTree.CallExpression, depth: number): boolean {
    if (call.callee.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = variableOf(call.callee);
    if (!variable) return false;
    // Its body decides the options: the editor must re-lint the whole file when that body changes.
    consulted.add(variable);
    const fn = localFunction(variable);
    if (!fn) return false;
    if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return collect(fn.body, depth + 1);
    const returned = returnedValues(fn.body);
    return returned !== undefined && returned.length > 0 && returned.every((value) => collect(value, depth + 1));
  }

  function collectVariable(identifier: TSESTree.Identifier, depth: number): boolean {
    const variable = variableOf(identifier);
    if (!variable || variable.defs.length !== 1 || seen.has(variable)) return false;
    seen.add(variable);
    consulted.add(variable);
    const def = variable.defs[0];
    if (def.type !== 'Variable' || def.node.type !== AST_NODE_TYPES.VariableDeclarator) return false;
    const declarator = def.node;
    if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return false;
    // Another module may add options to an exported object.
    if (def.parent?.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) return false;
    for (const reference of variable.references) {
      if (reference.init) continue;
      if (reference.isWrite()) return false;
      if (!flowing.has(reference.identifier) && !isReadOrPropertyWrite(reference.identifier, assigned)) return false;
    }
    return collect(declarator.init, depth + 1);
  }

  return collect(argument, 0) ? { objects, assigned } : undefined;
}

type FunctionLike = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

/** The function a name of this file is bound to once and for all (not exported, not reassigned). */
function localFunction(variable: TSESLint.Scope.Variable): FunctionLike | undefined {
  if (variable.defs.length !== 1 || variable.references.some((reference) => reference.isWrite() && !reference.init)) return undefined;
  const def = variable.defs[0];
  const exported = (node: TSESTree.Node | null | undefined) => node?.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration || node?.parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration;
  if (def.type === 'FunctionName' && def.node.type === AST_NODE_TYPES.FunctionDeclaration) return exported(def.node) || def.node.async || def.node.generator ? undefined : def.node;
  if (def.type !== 'Variable' || def.node.type !== AST_NODE_TYPES.VariableDeclarator || exported(def.parent)) return undefined;
  const init = def.node.init ? unwrapValue(def.node.init) : undefined;
  if (init?.type !== AST_NODE_TYPES.ArrowFunctionExpression && init?.type !== AST_NODE_TYPES.FunctionExpression) return undefined;
  return init.async || init.generator ? undefined : init;
}

/** What the `return` statements of a function body give (not those of nested functions); undefined if one gives nothing. */
function returnedValues(body: TSESTree.BlockStatement): TSESTree.Expression[] | undefined {
  const values: TSESTree.Expression[] = [];
  let bare = false;
  walk(body, (node) => {
    if (node.type !== AST_NODE_TYPES.ReturnStatement) return;
    if (node.argument) values.push(node.argument);
    else bare = true;
  });
  return bare ? undefined : values;
}

/**
 * Whether a use of a source variable, other than the build itself, leaves its options visible: a
 * spread into another literal, a read of one property, or an assignment to one property (recorded).
 * Anything else — passing it to a function, storing it elsewhere, `Object.assign` — may add options
 * we cannot see.
 */
function isReadOrPropertyWrite(identifier: TSESTree.Node, assigned: Map<string, TSESTree.Node>): boolean {
  let use: TSESTree.Node = identifier;
  while (use.parent && unwrapValue(use.parent) !== use.parent) use = use.parent;
  const parent = use.parent;
  if (!parent) return false;
  if (parent.type === AST_NODE_TYPES.SpreadElement && parent.parent?.type === AST_NODE_TYPES.ObjectExpression) return true;
  if (parent.type !== AST_NODE_TYPES.MemberExpression || parent.object !== use) return false;
  const name = propertyName(parent);
  const target = parent.parent;
  const written =
    (target?.type === AST_NODE_TYPES.AssignmentExpression && target.left === parent) ||
    (target?.type === AST_NODE_TYPES.UpdateExpression && target.argument === parent) ||
    (target?.type === AST_NODE_TYPES.UnaryExpression && target.operator === 'delete' && target.argument === parent);
  if (!written) return true;
  if (name === undefined) return false;
  assigned.set(name, target.type === AST_NODE_TYPES.AssignmentExpression ? target.right : target);
  return true;
}
