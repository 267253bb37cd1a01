import { type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { findVariable } from '@typescript-eslint/utils/ast-utils';
import { driverForModule, type DriverFacts, type Factory, type HandleKind } from '../libraries/drivers';
import { isFunction, methodCall, propertyName, unwrapValue } from './ast';

/**
 * What an expression refers to inside a tracked module: `pg` → the module, `pg.Pool` → ['Pool'].
 * Follows ESM imports (default, namespace, named, renamed) and CommonJS `require` with destructuring.
 */
export interface ModuleValue {
  readonly module: string;
  readonly path: readonly string[];
}

/** A database handle: a pool, a standalone connection, or a connection checked out of a pool. */
export interface Handle {
  readonly kind: HandleKind;
  /** Undefined when the handle comes from elsewhere (a `pool` imported from the project's own db module). */
  readonly driver?: DriverFacts;
  /** Whether its methods return promises (pg, mysql2/promise, `.promise()` wrappers). */
  readonly promise: boolean;
}

export interface Creation extends Handle {
  readonly kind: Exclude<HandleKind, 'checkout'>;
  readonly driver: DriverFacts;
  readonly factory: Factory;
  readonly node: TSESTree.CallExpression | TSESTree.NewExpression;
  /** The options object literal, when the first argument is one. */
  readonly options?: TSESTree.ObjectExpression;
  /** Whether there are no arguments at all (every option at its default). */
  readonly noArguments: boolean;
}

/** Names under which project code conventionally keeps a pool it imported from its own db module. */
const POOL_NAME = /pool$/i;

export class FileModel {
  private readonly moduleValues = new Map<TSESLint.Scope.Variable, ModuleValue | null>();
  private readonly handles = new Map<TSESTree.Node, Handle | null>();
  private readonly tracksDriver: boolean;

  /**
   * `importsDriver` overrides the file's own answer: the incremental front end lints a copy with
   * most statements blanked and passes the whole file's answer (see src/javascript/incremental.ts).
   */
  constructor(private readonly sourceCode: Readonly<TSESLint.SourceCode>, importsDriver?: boolean) {
    this.tracksDriver = importsDriver ?? importsAnyDriver(sourceCode.ast);
  }

  /** Whether the file imports or requires pg, mysql2 or mysql anywhere at top level. */
  get importsDriver(): boolean {
    return this.tracksDriver;
  }

  variableOf(identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
    return findVariable(this.sourceCode.getScope(identifier), identifier) ?? undefined;
  }

  resolveModuleValue(node: TSESTree.Node): ModuleValue | undefined {
    const value = unwrapValue(node);
    switch (value.type) {
      case AST_NODE_TYPES.Identifier: {
        const variable = this.variableOf(value);
        return variable ? this.moduleValueOfVariable(variable) : undefined;
      }
      case AST_NODE_TYPES.MemberExpression: {
        const name = propertyName(value);
        const base = name === undefined ? undefined : this.resolveModuleValue(value.object);
        if (!base || name === undefined) return undefined;
        // `import pg from 'pg'` then `pg.default.Pool` under some interop settings.
        if (name === 'default' && base.path.length === 0) return base;
        return { module: base.module, path: [...base.path, name] };
      }
      case AST_NODE_TYPES.CallExpression:
        return requiredModule(value);
      default:
        return undefined;
    }
  }

  /**
   * The module and export path an expression names, for any module (HTTP clients, timers):
   * `axios.get` → { module: 'axios', path: ['get'] }. Undefined for locals and globals.
   */
  importedValue(node: TSESTree.Node): ModuleValue | undefined {
    const value = unwrapValue(node);
    if (value.type === AST_NODE_TYPES.MemberExpression) {
      const name = propertyName(value);
      const base = name === undefined ? undefined : this.importedValue(value.object);
      return base && name !== undefined ? { module: base.module, path: [...base.path, name] } : undefined;
    }
    if (value.type === AST_NODE_TYPES.CallExpression) return requiredModule(value, () => true);
    if (value.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = this.variableOf(value);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.type === 'ImportBinding') {
      const declaration = def.parent as TSESTree.ImportDeclaration;
      const module = normalizeModule(declaration.source.value);
      const specifier = def.node;
      if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
        const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : String(specifier.imported.value);
        return imported === 'default' ? { module, path: [] } : { module, path: [imported] };
      }
      return { module, path: [] };
    }
    if (def?.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
      const init = unwrapValue(def.node.init);
      const base = init.type === AST_NODE_TYPES.CallExpression ? requiredModule(init, () => true) : init.type === AST_NODE_TYPES.MemberExpression ? this.importedValue(init) : undefined;
      if (!base) return undefined;
      if (def.node.id.type === AST_NODE_TYPES.Identifier) return base;
      if (def.node.id.type === AST_NODE_TYPES.ObjectPattern) {
        const key = destructuredKey(def.node.id, def.name.name);
        return key === undefined ? undefined : { module: base.module, path: [...base.path, key] };
      }
    }
    return undefined;
  }

  /** Whether an identifier names a global (not declared anywhere in the file). */
  isGlobal(identifier: TSESTree.Identifier): boolean {
    const variable = this.variableOf(identifier);
    return !variable || variable.defs.length === 0;
  }

  private moduleValueOfVariable(variable: TSESLint.Scope.Variable): ModuleValue | undefined {
    const cached = this.moduleValues.get(variable);
    if (cached !== undefined) return cached ?? undefined;
    this.moduleValues.set(variable, null); // breaks cycles such as `let a = a.b`
    const result = this.computeModuleValue(variable);
    this.moduleValues.set(variable, result ?? null);
    return result;
  }

  private computeModuleValue(variable: TSESLint.Scope.Variable): ModuleValue | undefined {
    if (variable.defs.length !== 1) return undefined;
    const def = variable.defs[0];
    if (def.type === 'ImportBinding' && def.node.type === AST_NODE_TYPES.TSImportEqualsDeclaration) {
      // TypeScript's `import mysql = require('mysql')`.
      const reference = def.node.moduleReference;
      if (reference.type !== AST_NODE_TYPES.TSExternalModuleReference || reference.expression.type !== AST_NODE_TYPES.Literal) return undefined;
      const module = String(reference.expression.value);
      return driverForModule(module) ? { module, path: [] } : undefined;
    }
    if (def.type === 'ImportBinding') {
      const declaration = def.parent as TSESTree.ImportDeclaration;
      if (declaration.importKind === 'type') return undefined;
      const module = declaration.source.value;
      if (!driverForModule(module)) return undefined;
      const specifier = def.node;
      if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
        const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : String(specifier.imported.value);
        return imported === 'default' ? { module, path: [] } : { module, path: [imported] };
      }
      return { module, path: [] };
    }
    if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
      const declarator = def.node;
      const init = this.resolveModuleValue(declarator.init as TSESTree.Expression);
      if (!init) return undefined;
      if (declarator.id.type === AST_NODE_TYPES.Identifier) return init;
      if (declarator.id.type === AST_NODE_TYPES.ObjectPattern) {
        const key = destructuredKey(declarator.id, def.name.name);
        return key === undefined ? undefined : { module: init.module, path: [...init.path, key] };
      }
    }
    return undefined;
  }

  /** A pool or connection created by a tracked driver's factory: `new Pool({...})`, `mysql.createPool(...)`. */
  creation(node: TSESTree.Node): Creation | undefined {
    if (node.type !== AST_NODE_TYPES.NewExpression && node.type !== AST_NODE_TYPES.CallExpression) return undefined;
    if (!this.tracksDriver) return undefined;
    const callee = this.resolveModuleValue(node.callee);
    if (!callee || callee.path.length !== 1) return undefined;
    const driver = driverForModule(callee.module);
    const factory = driver?.facts.factories[callee.path[0]];
    if (!driver || !factory) return undefined;
    // pg's Pool and Client work with or without `new`; mysql factories are plain calls.
    if (factory.construct === 'call' && node.type === AST_NODE_TYPES.NewExpression) return undefined;
    const first = node.arguments[0];
    return {
      kind: factory.kind,
      driver: driver.facts,
      promise: driver.promise,
      factory,
      node,
      options: first?.type === AST_NODE_TYPES.ObjectExpression ? first : undefined,
      noArguments: node.arguments.length === 0,
    };
  }

  /** What kind of database handle an expression holds, if any. Cached per node. */
  handle(node: TSESTree.Node): Handle | undefined {
    const cached = this.handles.get(node);
    if (cached !== undefined) return cached ?? undefined;
    this.handles.set(node, null);
    const result = this.computeHandle(node);
    this.handles.set(node, result ?? null);
    return result;
  }

  private computeHandle(node: TSESTree.Node): Handle | undefined {
    const value = unwrapValue(node);
    const created = this.creation(value);
    if (created) return { kind: created.kind, driver: created.driver, promise: created.promise };
    const call = methodCall(value);
    if (call) {
      const receiver = this.handle(call.receiver);
      if (!receiver) return undefined;
      // mysql2: pool.promise() / connection.promise() wrap the same handle with promise methods.
      if (call.method === 'promise' && receiver.kind !== 'checkout') return { ...receiver, promise: true };
      if (receiver.kind === 'pool' && this.isCheckoutMethod(receiver, call.method) && (value as TSESTree.CallExpression).arguments.length === 0) {
        return { kind: 'checkout', driver: receiver.driver, promise: true };
      }
      return undefined;
    }
    if (value.type === AST_NODE_TYPES.Identifier) return this.handleOfIdentifier(value);
    if (value.type === AST_NODE_TYPES.MemberExpression) {
      const name = propertyName(value);
      if (name !== undefined && POOL_NAME.test(name)) return { kind: 'pool', promise: true };
    }
    return undefined;
  }

  private handleOfIdentifier(identifier: TSESTree.Identifier): Handle | undefined {
    const variable = this.variableOf(identifier);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (def?.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.id.type === AST_NODE_TYPES.Identifier) {
      if (def.node.init) {
        const fromInit = this.handle(def.node.init);
        if (fromInit) return fromInit;
      }
      // `let client; ... client = await pool.connect()`: the single assignment decides.
      const writes = variable!.references.filter((r) => r.isWrite() && r.writeExpr && r.writeExpr !== def.node.init);
      if (!def.node.init && writes.length === 1 && writes[0].writeExpr) {
        const fromWrite = this.handle(writes[0].writeExpr);
        if (fromWrite) return fromWrite;
      }
    }
    if (def?.type === 'Parameter') {
      const checkout = this.callbackCheckout(def.node as TSESTree.Node);
      if (checkout && checkout.connection === def.name) return { kind: 'checkout', driver: checkout.pool.driver, promise: false };
    }
    // A pool imported from the project's own module (`import { pool } from './db'`) or a parameter named so.
    if (POOL_NAME.test(identifier.name) && (!def || def.type === 'ImportBinding' || def.type === 'Parameter')) {
      return { kind: 'pool', promise: true };
    }
    return undefined;
  }

  isCheckoutMethod(pool: Handle, method: string): boolean {
    if (pool.driver) return pool.driver.checkoutMethods.includes(method);
    return method === 'connect' || method === 'getConnection';
  }

  /**
   * The callback form of a checkout: `pool.getConnection((err, conn) => ...)`,
   * `pool.connect((err, client, done) => ...)`. `fn` is the callback.
   */
  callbackCheckout(fn: TSESTree.Node): { pool: Handle; call: TSESTree.CallExpression; connection: TSESTree.Identifier; done?: TSESTree.Identifier } | undefined {
    if (!isFunction(fn)) return undefined;
    const call = fn.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.Expression)) return undefined;
    const method = methodCall(call);
    if (!method) return undefined;
    const pool = this.handle(method.receiver);
    if (!pool || pool.kind !== 'pool' || !this.isCheckoutMethod(pool, method.method)) return undefined;
    const [, connection, done] = fn.params;
    if (connection?.type !== AST_NODE_TYPES.Identifier) return undefined;
    return { pool, call, connection, done: done?.type === AST_NODE_TYPES.Identifier ? done : undefined };
  }

  /** Whether `call` is a database operation on a known handle (query, execute, connect...). */
  isDatabaseCall(node: TSESTree.Node, methods: ReadonlySet<string>): boolean {
    const call = methodCall(node);
    if (call && methods.has(call.method) && this.handle(call.receiver)) return true;
    return this.creation(node) !== undefined;
  }
}

function destructuredKey(pattern: TSESTree.ObjectPattern, name: string): string | undefined {
  for (const property of pattern.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
    let target = property.value;
    if (target.type === AST_NODE_TYPES.AssignmentPattern) target = target.left;
    if (target.type === AST_NODE_TYPES.Identifier && target.name === name) {
      if (property.key.type === AST_NODE_TYPES.Identifier) return property.key.name;
      if (property.key.type === AST_NODE_TYPES.Literal) return String(property.key.value);
    }
  }
  return undefined;
}

function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
}

function requiredModule(call: TSESTree.CallExpression, accept: (module: string) => boolean = (m) => driverForModule(m) !== undefined): ModuleValue | undefined {
  if (call.callee.type !== AST_NODE_TYPES.Identifier || call.callee.name !== 'require' || call.arguments.length !== 1) return undefined;
  const argument = call.arguments[0];
  if (argument.type !== AST_NODE_TYPES.Literal || typeof argument.value !== 'string') return undefined;
  const module = normalizeModule(argument.value);
  return accept(module) ? { module, path: [] } : undefined;
}

/**
 * A cheap pre-check: the top-level statements name a driver module. Files that do not are skipped
 * by the creation lookups, which keeps the rules' cost on unrelated code near zero.
 */
function importsAnyDriver(program: TSESTree.Program): boolean {
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration && driverForModule(statement.source.value)) return true;
  }
  // require() can sit anywhere; the token list is already built, so scan its string tokens.
  for (const token of program.tokens ?? []) {
    if (token.type === 'String' && driverForModule(token.value.slice(1, -1))) return true;
  }
  return false;
}

const models = new WeakMap<TSESTree.Program, FileModel>();

/** The ESLint setting through which the incremental front end passes the whole file's answer. */
export const IMPORTS_DRIVER_SETTING = 'dbhealth/importsDriver';

/** One model per file, shared by all rules during one lint run. */
export function fileModel(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): FileModel {
  const program = context.sourceCode.ast;
  let model = models.get(program);
  if (!model) {
    const override = (context.settings as Record<string, unknown> | undefined)?.[IMPORTS_DRIVER_SETTING];
    model = new FileModel(context.sourceCode, typeof override === 'boolean' ? override : undefined);
    models.set(program, model);
  }
  return model;
}

/**
 * The model the rules used for the program just linted (with any importsDriver override the lint
 * was given), or a fresh one when no rule ran: the incremental front end reads the same answers.
 */
export function modelOfLinted(sourceCode: Readonly<TSESLint.SourceCode>): FileModel {
  return models.get(sourceCode.ast) ?? new FileModel(sourceCode);
}
