/**
 * What the project index keeps of a JS/TS module, and what each function does with connections
 * (src/engine/project/facts.ts), computed from the file's model:
 * - `returns`: the handle its `return` hands back (a checkout from `pool.connect()`, a new `Client`,
 *   a pool), when this call made it and kept it nowhere else;
 * - `opens`: it creates a pool or connection on every call (not a lazily kept singleton);
 * - `releases`: the positions of the arguments it releases or ends;
 * - `neverReturns`: its body always throws or ends the process, or it is typed `never`.
 * Module facts: what `export` / `module.exports` offer (names, functions, classes, re-exports), and
 * the attributes the module assigns a handle on other objects (`app.locals.db = pool`).
 */
import { type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { FunctionFacts, Holding, ModuleFacts, ObjectFacts } from '../../engine/project/facts';
import { NEVER_RETURNING_CALLS } from '../libraries/control-flow';
import { DATABASE_CALL_METHODS } from '../libraries/drivers';
import { enclosingFunction, isFunction, methodCall, propertyName, staticString, unwrapValue, valueSite, walk, type FunctionNode } from './ast';
import { holdingOfHandle, requiredSpecifier, type FileModel } from './model';
import { slowIoOf } from './slow-io';

/** Methods that give a connection back or end it, on the connection itself. */
const RELEASE_METHODS: ReadonlySet<string> = new Set(['release', 'end', 'destroy', 'releaseConnection']);

/** Statements of `fn` that return a value: `return x;`, or the body of an expression arrow. */
function returnedValues(fn: FunctionNode): TSESTree.Node[] {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const values: TSESTree.Node[] = [];
  walk(fn.body, (node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) values.push(node.argument);
  });
  return values;
}

/**
 * Whether the value made at `node` is kept beyond this call: stored on an object, in a variable of an
 * outer function or module (a lazily created singleton), or behind `??=`.
 */
export function keptBeyondCall(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, fn: FunctionNode | undefined): boolean {
  const site = valueSite(node);
  const parent = site.parent;
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === site) {
    if (parent.operator === '??=' || parent.operator === '||=') return true;
    if (parent.left.type === AST_NODE_TYPES.MemberExpression) {
      // `this.client = new Client()` in a constructor: one per instance, not a singleton.
      return !(parent.left.object.type === AST_NODE_TYPES.ThisExpression && fn?.parent?.type === AST_NODE_TYPES.MethodDefinition && fn.parent.kind === 'constructor');
    }
    if (parent.left.type === AST_NODE_TYPES.Identifier && fn) {
      const reference = sourceCode.getScope(parent).references.find((r) => r.identifier === parent.left);
      if (reference?.resolved?.scope.variableScope.block === fn) return false;
      // `if (!pool) pool = new Pool()`: made once. Unguarded, a module variable is replaced on every call.
      return guardedBy(parent, parent.left.name, fn);
    }
  }
  if (parent?.type === AST_NODE_TYPES.LogicalExpression && parent.operator === '??') return true;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === site && parent.id.type === AST_NODE_TYPES.Identifier) {
    // `const pool = new Pool(); this.pool = pool;` / `cache.set(key, pool)`: kept.
    const variable = sourceCode.scopeManager?.getDeclaredVariables(parent)[0];
    return (
      variable?.references.some((r) => {
        const use = r.identifier.parent;
        if (use?.type === AST_NODE_TYPES.AssignmentExpression && use.right === r.identifier && use.left.type === AST_NODE_TYPES.MemberExpression) return true;
        return use?.type === AST_NODE_TYPES.CallExpression && use.arguments.includes(r.identifier as TSESTree.Expression) && methodCall(use)?.method === 'set';
      }) ?? false
    );
  }
  return false;
}

/** Whether an assignment to `name` runs only while `name` is unset: under an `if`/`while` testing it, or after an early return that does. */
function guardedBy(assignment: TSESTree.Node, name: string, fn: FunctionNode): boolean {
  const mentions = (node: TSESTree.Node | null | undefined): boolean => {
    if (!node) return false;
    let found = false;
    walk(node, (n) => {
      if (n.type === AST_NODE_TYPES.Identifier && n.name === name) found = true;
    }, false);
    return found;
  };
  for (let current: TSESTree.Node | undefined = assignment.parent; current && current !== fn; current = current.parent) {
    if ((current.type === AST_NODE_TYPES.IfStatement || current.type === AST_NODE_TYPES.WhileStatement || current.type === AST_NODE_TYPES.ConditionalExpression) && mentions(current.test)) return true;
    if (current.type === AST_NODE_TYPES.LogicalExpression && mentions(current.left)) return true;
  }
  let earlier = false;
  walk(fn.body, (n) => {
    if (n.type === AST_NODE_TYPES.IfStatement && n.range[1] <= assignment.range[0] && mentions(n.test)) earlier = true;
  });
  return earlier;
}

/** A returned handle that this call made (a call, or a local assigned from one) and kept nowhere else. */
function returnsNewHandle(model: FileModel, fn: FunctionNode, value: TSESTree.Node): Holding | undefined {
  const handle = model.handle(value);
  if (!handle) {
    const projected = model.projectValue(value);
    return projected?.kind === 'holding' && projected.holding.kind === 'object' ? projected.holding : undefined;
  }
  if (handle.kind === 'pool') return holdingOfHandle(handle);
  const inner = unwrapValue(value);
  let made: TSESTree.Node | undefined;
  if (inner.type === AST_NODE_TYPES.CallExpression || inner.type === AST_NODE_TYPES.NewExpression) made = inner;
  else if (inner.type === AST_NODE_TYPES.Identifier) {
    const variable = model.variableOf(inner);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) made = unwrapValue(def.node.init);
    if (made && enclosingFunction(made) !== fn) made = undefined;
  }
  if (!made || (made.type !== AST_NODE_TYPES.CallExpression && made.type !== AST_NODE_TYPES.NewExpression)) return undefined;
  if (keptBeyondCall(model.sourceCode, made, fn)) return undefined;
  return holdingOfHandle(handle);
}

function neverReturns(model: FileModel, fn: FunctionNode): FunctionFacts['neverReturns'] {
  if (fn.returnType?.typeAnnotation.type === AST_NODE_TYPES.TSNeverKeyword) return 'raises';
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  let returns = false;
  walk(fn.body, (node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement) returns = true;
  });
  if (returns) return undefined;
  const last = fn.body.body.at(-1);
  if (last?.type === AST_NODE_TYPES.ThrowStatement) return 'raises';
  if (last?.type === AST_NODE_TYPES.ExpressionStatement) return neverReturningCall(model, last.expression);
  return undefined;
}

/** `process.exit(1)`, or a helper whose facts say it never returns. */
export function neverReturningCall(model: FileModel, node: TSESTree.Node): FunctionFacts['neverReturns'] {
  const call = unwrapValue(node);
  if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
  if (call.callee.type === AST_NODE_TYPES.MemberExpression && call.callee.object.type === AST_NODE_TYPES.Identifier && model.isGlobal(call.callee.object)) {
    const name = `${call.callee.object.name}.${propertyName(call.callee) ?? ''}`;
    if (NEVER_RETURNING_CALLS[name]) return NEVER_RETURNING_CALLS[name];
  }
  return model.calleeFacts(call)?.neverReturns;
}

export function computeFunctionFacts(model: FileModel, fn: FunctionNode): FunctionFacts {
  const facts: { -readonly [K in keyof FunctionFacts]: FunctionFacts[K] } = {};
  const rank = { checkout: 6, connection: 6, session: 5, pool: 4, engine: 4, 'session-factory': 3, object: 2, transaction: 1 } as const;
  for (const value of returnedValues(fn)) {
    const holding = returnsNewHandle(model, fn, value);
    if (holding && (!facts.returns || rank[holding.kind] > rank[facts.returns.kind])) facts.returns = holding;
  }
  walk(fn.body, (node) => {
    if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return;
    const creation = model.creation(node);
    const opens = creation ? creation.kind : node.type === AST_NODE_TYPES.CallExpression ? model.calleeFacts(node)?.opens : undefined;
    if (!opens || keptBeyondCall(model.sourceCode, node, fn)) return;
    if (!facts.opens || opens === 'pool') facts.opens = opens;
  });
  const released: number[] = [];
  fn.params.forEach((param, index) => {
    const name = param.type === AST_NODE_TYPES.Identifier ? param.name : param.type === AST_NODE_TYPES.AssignmentPattern && param.left.type === AST_NODE_TYPES.Identifier ? param.left.name : undefined;
    if (name === undefined) return;
    let releases = false;
    walk(fn.body, (node) => {
      const call = methodCall(node);
      if (call && RELEASE_METHODS.has(call.method) && call.receiver.type === AST_NODE_TYPES.Identifier && call.receiver.name === name) releases = true;
    }, false);
    if (releases) released.push(index);
  });
  if (released.length > 0) facts.releases = released;
  const rolledBack: number[] = [];
  fn.params.forEach((param, index) => {
    if (param.type !== AST_NODE_TYPES.Identifier) return;
    let rollsBack = false;
    walk(fn.body, (node) => {
      const call = methodCall(node);
      if (!call || call.receiver.type !== AST_NODE_TYPES.Identifier || call.receiver.name !== param.name) return;
      if (call.method === 'rollback' || ((call.method === 'query' || call.method === 'execute') && /^\s*ROLLBACK\b/i.test(staticString((node as TSESTree.CallExpression).arguments[0]) ?? ''))) rollsBack = true;
    }, false);
    if (rollsBack) rolledBack.push(index);
  });
  if (rolledBack.length > 0) facts.rollsBack = rolledBack;
  let queries = false;
  let slow = false;
  walk(fn.body, (node) => {
    if (!queries && model.isDatabaseCall(node, DATABASE_CALL_METHODS)) queries = true;
    if (!slow && node.type === AST_NODE_TYPES.CallExpression && slowIoOf(model, node)) slow = true;
  });
  if (queries) facts.queries = true;
  if (slow) facts.slowIo = true;
  const ends = neverReturns(model, fn);
  if (ends) facts.neverReturns = ends;
  return facts;
}

/** The handle or project value an expression holds, as facts. */
function holdingOf(model: FileModel, node: TSESTree.Node): Holding | undefined {
  const handle = model.handle(node);
  if (handle) return holdingOfHandle(handle);
  const projected = model.projectValue(node);
  return projected?.kind === 'holding' ? projected.holding : undefined;
}

export function computeClassFacts(model: FileModel, cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): ObjectFacts {
  const attributes: Record<string, Holding> = {};
  const methods: Record<string, FunctionFacts> = {};
  for (const member of cls.body.body) {
    const name = member.type === AST_NODE_TYPES.MethodDefinition || member.type === AST_NODE_TYPES.PropertyDefinition
      ? (member.key.type === AST_NODE_TYPES.Identifier ? member.key.name : undefined)
      : undefined;
    if (name === undefined) continue;
    if (member.type === AST_NODE_TYPES.MethodDefinition && (member.kind === 'method' || member.kind === 'constructor') && isFunction(member.value)) {
      const facts = model.functionFacts(member.value);
      if (Object.keys(facts).length > 0) methods[name] = facts;
    }
    if (member.type === AST_NODE_TYPES.PropertyDefinition && member.value) {
      if (isFunction(member.value)) {
        const facts = model.functionFacts(member.value);
        if (Object.keys(facts).length > 0) methods[name] = facts;
      } else {
        const holding = holdingOf(model, member.value);
        if (holding) attributes[name] = holding;
      }
    }
  }
  walk(cls.body, (node) => {
    if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=' || node.left.type !== AST_NODE_TYPES.MemberExpression) return;
    if (node.left.object.type !== AST_NODE_TYPES.ThisExpression) return;
    const name = propertyName(node.left);
    if (name === undefined || attributes[name]) return;
    const holding = holdingOf(model, node.right);
    if (holding) attributes[name] = holding;
  }, false);
  return { attributes, methods };
}

/** An object literal's members: handles as attributes, functions as methods. */
function objectLiteralFacts(model: FileModel, object: TSESTree.ObjectExpression): ObjectFacts {
  const attributes: Record<string, Holding> = {};
  const methods: Record<string, FunctionFacts> = {};
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
    const name = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : property.key.type === AST_NODE_TYPES.Literal ? String(property.key.value) : undefined;
    if (name === undefined) continue;
    const facts = valueFacts(model, property.value);
    if (facts.function) methods[name] = facts.function;
    else if (facts.holding) attributes[name] = facts.holding;
  }
  return { attributes, methods };
}

/** What an exported value is: a handle, a function, a class, an object of members. */
function valueFacts(model: FileModel, node: TSESTree.Node): { holding?: Holding; function?: FunctionFacts; class?: ObjectFacts } {
  const value = unwrapValue(node);
  if (isFunction(value)) return { function: model.functionFacts(value) };
  if (value.type === AST_NODE_TYPES.ClassDeclaration || value.type === AST_NODE_TYPES.ClassExpression) return { class: model.classFacts(value) };
  if (value.type === AST_NODE_TYPES.ObjectExpression) {
    const members = objectLiteralFacts(model, value);
    return Object.keys(members.attributes).length + Object.keys(members.methods).length > 0 ? { holding: { kind: 'object', members } } : {};
  }
  const holding = holdingOf(model, value);
  if (holding) return { holding };
  const projected = model.projectValue(value);
  if (projected?.kind === 'function') return { function: projected.facts };
  if (projected?.kind === 'class') return { class: projected.facts };
  return {};
}

function isModuleExports(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.MemberExpression && node.object.type === AST_NODE_TYPES.Identifier && node.object.name === 'module' && propertyName(node) === 'exports';
}

/** `module.exports.x` / `exports.x` as an assignment target: the exported name. */
function exportsMember(node: TSESTree.Node): string | undefined {
  if (node.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const object = node.object;
  if (isModuleExports(object) || (object.type === AST_NODE_TYPES.Identifier && object.name === 'exports')) return propertyName(node);
  return undefined;
}

export function moduleFactsOf(model: FileModel, program: TSESTree.Program): ModuleFacts {
  const names: Record<string, Holding> = {};
  const functions: Record<string, FunctionFacts> = {};
  const classes: Record<string, ObjectFacts> = {};
  const reexports: Record<string, { specifier: string; name: string }> = {};
  const imports = new Set<string>();
  const attributes: Record<string, Holding | null> = {};

  const offer = (name: string, node: TSESTree.Node): void => {
    const facts = valueFacts(model, node);
    if (facts.function && Object.keys(facts.function).length > 0) functions[name] = facts.function;
    else if (facts.class) classes[name] = facts.class;
    else if (facts.holding) names[name] = facts.holding;
  };
  const offerObject = (object: TSESTree.ObjectExpression): void => {
    for (const property of object.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
      const name = property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : property.key.type === AST_NODE_TYPES.Literal ? String(property.key.value) : undefined;
      if (name !== undefined) offer(name, property.value);
    }
  };

  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) imports.add(statement.source.value);
    if (statement.type === AST_NODE_TYPES.ExportAllDeclaration) {
      imports.add(statement.source.value);
      if (!statement.exported) reexports['*'] = { specifier: statement.source.value, name: '*' };
    }
    if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      if (statement.source) {
        imports.add(statement.source.value);
        for (const specifier of statement.specifiers) {
          if (specifier.type !== AST_NODE_TYPES.ExportSpecifier) continue;
          const local = specifier.local.type === AST_NODE_TYPES.Identifier ? specifier.local.name : String(specifier.local.value);
          const exported = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : String(specifier.exported.value);
          reexports[exported] = { specifier: statement.source.value, name: local };
        }
      } else if (statement.declaration) {
        const declaration = statement.declaration;
        if (declaration.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of declaration.declarations) if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.init) offer(declarator.id.name, declarator.init);
        } else if ((declaration.type === AST_NODE_TYPES.FunctionDeclaration || declaration.type === AST_NODE_TYPES.ClassDeclaration) && declaration.id) {
          offer(declaration.id.name, declaration);
        }
      } else {
        for (const specifier of statement.specifiers) {
          if (specifier.type !== AST_NODE_TYPES.ExportSpecifier || specifier.local.type !== AST_NODE_TYPES.Identifier) continue;
          const exported = specifier.exported.type === AST_NODE_TYPES.Identifier ? specifier.exported.name : String(specifier.exported.value);
          offer(exported, specifier.local);
        }
      }
    }
    if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      const declaration = statement.declaration;
      if (declaration.type === AST_NODE_TYPES.ObjectExpression) offerObject(declaration);
      offer('default', declaration);
    }
  }

  walk(program, (node) => {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const specifier = requiredSpecifier(node);
      if (specifier !== undefined) imports.add(specifier);
      // `fastify.decorate('pg', pool)`: an attribute every handler reads as `fastify.pg`.
      const call = methodCall(node);
      if (call?.method === 'decorate' && node.arguments.length >= 2 && node.arguments[0].type === AST_NODE_TYPES.Literal && typeof node.arguments[0].value === 'string') {
        noteAttribute(attributes, node.arguments[0].value, holdingOf(model, node.arguments[1]));
      }
      return;
    }
    if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=') return;
    const left = node.left;
    if (isModuleExports(left)) {
      const right = unwrapValue(node.right);
      if (right.type === AST_NODE_TYPES.ObjectExpression) offerObject(right);
      offer('default', right);
      return;
    }
    const exported = exportsMember(left);
    if (exported !== undefined) {
      offer(exported, node.right);
      return;
    }
    if (left.type === AST_NODE_TYPES.MemberExpression) {
      const name = propertyName(left);
      const holding = name === undefined ? undefined : holdingOf(model, node.right);
      if (name !== undefined && holding && holding.kind !== 'object') noteAttribute(attributes, name, holding);
    }
  }, false);

  return { names, functions, classes, reexports, libraries: {}, imports: [...imports].sort(), attributes };
}

function noteAttribute(attributes: Record<string, Holding | null>, name: string, holding: Holding | undefined): void {
  if (!holding || holding.kind === 'object') return;
  const existing = attributes[name];
  if (existing === undefined) attributes[name] = holding;
  else if (existing !== null && (existing.kind !== holding.kind || existing.library !== holding.library)) attributes[name] = null;
}

/**
 * Whether a pool outlives the call that creates it: made at module level, kept (on an object, in an
 * outer variable, behind `??=`), returned, or exported. A pool made, used and dropped inside one
 * function (a readiness probe) has no callers queuing behind it and no long runs to bound.
 */
export function isLongLivedPool(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return true;
  if (keptBeyondCall(sourceCode, node, fn)) return true;
  const site = valueSite(node);
  const parent = site.parent;
  if (parent?.type === AST_NODE_TYPES.ReturnStatement || (parent === fn && fn.body === site)) return true;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) {
    const variable = sourceCode.scopeManager?.getDeclaredVariables(parent)[0];
    // Returned, passed on or stored later: it lives on.
    return variable?.references.some((reference) => {
      const use = reference.identifier.parent;
      if (!use || reference.init) return false;
      if (use.type === AST_NODE_TYPES.MemberExpression && use.object === reference.identifier) return false;
      return true;
    }) ?? true;
  }
  return true;
}
