import { type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { optionSources, type OptionSources } from './option-sources';
import { own, type FunctionFacts, type Holding, type ObjectFacts } from '../../engine/project/facts';
import type { Imported, ProjectView } from '../../engine/project';
import { driverFacts, driverForModule, DRIVERS, type DriverFacts, type DriverName, type Factory, type HandleKind } from '../libraries/drivers';
import { enclosingFunction, isFunction, methodCall, propertyName, unwrapValue, type FunctionNode } from './ast';
import { computeClassFacts, computeFunctionFacts } from './facts';

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
  /**
   * How it was known when not from a driver call in this file: `facts` (a helper's or another
   * module's facts), `name` (only its name says pool: the leak rule then wants a release as proof).
   */
  readonly via?: 'facts' | 'name';
}

/** What a name of the project holds, as the project index (or this file's own code) says. */
export type ProjectValue = Imported | { readonly kind: 'function'; readonly facts: FunctionFacts; readonly node?: FunctionNode };

/** The project index as the file being linted sees it; set by the front end around each lint. */
let activeProject: ProjectView | undefined;

/** Runs `lint` with `view` as the project every FileModel made meanwhile consults. */
export function withProject<T>(view: ProjectView | undefined, lint: () => T): T {
  const previous = activeProject;
  activeProject = view;
  try {
    return lint();
  } finally {
    activeProject = previous;
  }
}

export interface Creation extends Handle {
  readonly kind: Exclude<HandleKind, 'checkout'>;
  readonly driver: DriverFacts;
  readonly factory: Factory;
  readonly node: TSESTree.CallExpression | TSESTree.NewExpression;
  /** The options object literal, when the first argument is one. */
  readonly options?: TSESTree.ObjectExpression;
  /** Where the options come from when they are not one plain literal (see option-sources.ts); undefined when not visible. */
  readonly optionSources?: OptionSources;
  /** Whether there are no arguments at all (every option at its default). */
  readonly noArguments: boolean;
}

/** Names under which project code conventionally keeps a pool it imported from its own db module. */
const POOL_NAME = /pool$/i;

export class FileModel {
  private readonly moduleValues = new Map<TSESLint.Scope.Variable, ModuleValue | null>();
  private readonly handles = new Map<TSESTree.Node, Handle | null>();
  private readonly reassignmentsOf = new Map<TSESLint.Scope.Variable, TSESLint.Scope.Reference[]>();
  private readonly tracksDriver: boolean;
  /** The project index as this file sees it; absent in the ESLint plugin and for files linted alone. */
  readonly project: ProjectView | undefined = activeProject;
  private readonly functionFactsCache = new Map<FunctionNode, FunctionFacts | null>();
  /** Variables some creation's options were read through (option-sources.ts): their every use can change its findings. */
  readonly optionSourceVariables = new Set<TSESLint.Scope.Variable>();
  private readonly classFactsCache = new Map<TSESTree.Node, ObjectFacts | null>();
  private readonly projectValues = new Map<TSESTree.Node, ProjectValue | null>();

  /**
   * `importsDriver` overrides the file's own answer: the incremental front end lints a copy with
   * most statements blanked and passes the whole file's answer (see src/javascript/incremental.ts).
   */
  constructor(private readonly code: Readonly<TSESLint.SourceCode>, importsDriver?: boolean) {
    this.tracksDriver = importsDriver ?? importsAnyDriver(code.ast);
  }

  /** Whether the file imports or requires pg, mysql2 or mysql anywhere at top level. */
  get importsDriver(): boolean {
    return this.tracksDriver;
  }

  get sourceCode(): Readonly<TSESLint.SourceCode> {
    return this.code;
  }

  /** What a function of this file does with connections (computed once; a recursive call sees nothing). */
  functionFacts(fn: FunctionNode): FunctionFacts {
    const cached = this.functionFactsCache.get(fn);
    if (cached !== undefined) return cached ?? {};
    this.functionFactsCache.set(fn, null);
    this.factsInProgress++;
    try {
      const facts = computeFunctionFacts(this, fn);
      this.functionFactsCache.set(fn, facts);
      return facts;
    } finally {
      this.factsInProgress--;
    }
  }

  /** Facts being computed: answers read meanwhile may be partial (recursion), so they are not kept. */
  private factsInProgress = 0;

  /** A class's instance facts: `this.<attribute>` handles and its methods' facts. */
  classFacts(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): ObjectFacts {
    const cached = this.classFactsCache.get(cls);
    if (cached !== undefined) return cached ?? { attributes: {}, methods: {} };
    this.classFactsCache.set(cls, null);
    this.factsInProgress++;
    try {
      const facts = computeClassFacts(this, cls);
      this.classFactsCache.set(cls, facts);
      return facts;
    } finally {
      this.factsInProgress--;
    }
  }

  /**
   * What an expression is in project terms: an import from a project module (a pool, a helper, a
   * class, the module itself), a function or class of this file, or a member of one of these.
   */
  projectValue(node: TSESTree.Node): ProjectValue | undefined {
    const value = unwrapValue(node);
    const cached = this.projectValues.get(value);
    if (cached !== undefined) return cached ?? undefined;
    this.projectValues.set(value, null);
    const partial = this.factsInProgress > 0;
    const result = this.computeProjectValue(value);
    if (partial) this.projectValues.delete(value);
    else this.projectValues.set(value, result ?? null);
    return result;
  }

  private computeProjectValue(value: TSESTree.Node): ProjectValue | undefined {
    if (value.type === AST_NODE_TYPES.Identifier) {
      const variable = this.variableOf(value);
      const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      if (!def) return undefined;
      if (def.type === 'FunctionName' && isFunction(def.node as TSESTree.Node)) return { kind: 'function', facts: this.functionFacts(def.node as FunctionNode), node: def.node as FunctionNode };
      if (def.type === 'ClassName') return { kind: 'class', facts: this.classFacts(def.node as TSESTree.ClassDeclaration) };
      if (def.type === 'ImportBinding' && def.node.type !== AST_NODE_TYPES.TSImportEqualsDeclaration) {
        const declaration = def.parent as TSESTree.ImportDeclaration;
        if (declaration.importKind === 'type' || !this.project || driverForModule(declaration.source.value)) return undefined;
        const specifier = def.node;
        if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return this.projectModule(declaration.source.value);
        const imported = specifier.type === AST_NODE_TYPES.ImportSpecifier ? (specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : String(specifier.imported.value)) : 'default';
        return this.project.imported(declaration.source.value, imported) ?? (imported === 'default' ? this.projectModule(declaration.source.value) : undefined);
      }
      if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
        const declarator = def.node;
        const init = unwrapValue(declarator.init!);
        if (declarator.id.type === AST_NODE_TYPES.Identifier) {
          if (isFunction(init)) return { kind: 'function', facts: this.functionFacts(init), node: init };
          if (init.type === AST_NODE_TYPES.ClassExpression) return { kind: 'class', facts: this.classFacts(init) };
          if (this.reassignments(variable!).length > 0) return undefined;
          return this.projectValue(init);
        }
        if (declarator.id.type === AST_NODE_TYPES.ObjectPattern) {
          const key = destructuredKey(declarator.id, def.name.name);
          const base = key === undefined ? undefined : this.projectValue(init);
          return base && key !== undefined ? this.memberOf(base, key) : undefined;
        }
      }
      return undefined;
    }
    if (value.type === AST_NODE_TYPES.CallExpression) {
      // `require('./db')`: CommonJS `module.exports = x` is the module's default.
      const specifier = requiredSpecifier(value);
      if (specifier !== undefined && this.project && !driverForModule(specifier)) {
        return this.project.imported(specifier, 'default') ?? this.projectModule(specifier);
      }
      // `getDb()` returning a project object / `new Repository(pool)`.
      const callee = this.projectValue(value.callee);
      if (callee?.kind === 'function' && callee.facts.returns) return { kind: 'holding', holding: callee.facts.returns };
      return undefined;
    }
    if (value.type === AST_NODE_TYPES.NewExpression) {
      const callee = this.projectValue(value.callee);
      if (callee?.kind === 'class') return { kind: 'holding', holding: { kind: 'object', members: callee.facts } };
      return undefined;
    }
    if (value.type === AST_NODE_TYPES.MemberExpression) {
      const name = propertyName(value);
      if (name === undefined) return undefined;
      if (value.object.type === AST_NODE_TYPES.ThisExpression) {
        const cls = enclosingClass(value);
        return cls ? this.memberOf({ kind: 'holding', holding: { kind: 'object', members: this.classFacts(cls) } }, name) : undefined;
      }
      const base = this.projectValue(value.object);
      return base ? this.memberOf(base, name) : undefined;
    }
    return undefined;
  }

  private projectModule(specifier: string): ProjectValue | undefined {
    const module = this.project?.module(specifier);
    return module ? { kind: 'module', facts: module.facts, file: module.file } : undefined;
  }

  private memberOf(base: ProjectValue, name: string): ProjectValue | undefined {
    if (base.kind === 'module') return this.project?.member(base.file, name);
    if (base.kind === 'holding' && base.holding.members) {
      const attribute = own(base.holding.members.attributes, name);
      if (attribute) return { kind: 'holding', holding: attribute };
      const method = own(base.holding.members.methods, name);
      if (method) return { kind: 'function', facts: method };
    }
    return undefined;
  }

  /** The facts of what a call calls, when it is a function this file or the project knows. */
  calleeFacts(call: TSESTree.CallExpression): FunctionFacts | undefined {
    const callee = this.projectValue(call.callee);
    return callee?.kind === 'function' ? callee.facts : undefined;
  }

  /** An attribute the project assigns a handle wherever it assigns one (`app.locals.db`, `fastify.pg`, `this.pool`). */
  projectAttribute(name: string): Handle | undefined {
    const holding = this.project?.attribute(name);
    return holding ? handleOfHolding(holding) : undefined;
  }

  /**
   * The variable a name refers to, looked up from the innermost scope around it outwards. (The
   * `findVariable` helper first searches the scope's child scopes for one holding the node, which
   * at module level means every function of the file, at every lookup.)
   */
  variableOf(identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
    for (let scope: TSESLint.Scope.Scope | null = this.code.getScope(identifier); scope; scope = scope.upper) {
      const variable = scope.set.get(identifier.name);
      if (variable) return variable;
    }
    return undefined;
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
      optionSources: first && first.type !== AST_NODE_TYPES.SpreadElement ? optionSources(first, (identifier) => this.variableOf(identifier), this.optionSourceVariables) : undefined,
      noArguments: node.arguments.length === 0,
    };
  }

  /** What kind of database handle an expression holds, if any. Cached per node. */
  handle(node: TSESTree.Node): Handle | undefined {
    const cached = this.handles.get(node);
    if (cached !== undefined) return cached ?? undefined;
    this.handles.set(node, null);
    const partial = this.factsInProgress > 0;
    const result = this.computeHandle(node);
    if (partial) this.handles.delete(node);
    else this.handles.set(node, result ?? null);
    return result;
  }

  private computeHandle(node: TSESTree.Node): Handle | undefined {
    const value = unwrapValue(node);
    const created = this.creation(value);
    if (created) return { kind: created.kind, driver: created.driver, promise: created.promise };
    const call = methodCall(value);
    if (call) {
      const receiver = this.handle(call.receiver);
      if (receiver) {
        // mysql2: pool.promise() / connection.promise() wrap the same handle with promise methods.
        if (call.method === 'promise' && receiver.kind !== 'checkout') return { ...receiver, promise: true };
        if (receiver.kind === 'pool' && this.isCheckoutMethod(receiver, call.method) && (value as TSESTree.CallExpression).arguments.length === 0) {
          return { kind: 'checkout', driver: receiver.driver, promise: true, ...(receiver.via ? { via: receiver.via } : {}) };
        }
        return undefined;
      }
    }
    if (value.type === AST_NODE_TYPES.CallExpression) {
      // A helper of this file or the project that hands out a connection or a pool (`getClient()`, `db.getConnection()`).
      const facts = this.calleeFacts(value);
      if (facts?.returns) return handleOfHolding(facts.returns);
      return undefined;
    }
    if (value.type === AST_NODE_TYPES.Identifier) return this.handleOfIdentifier(value);
    if (value.type === AST_NODE_TYPES.MemberExpression) {
      const projected = this.projectValue(value);
      if (projected?.kind === 'holding') return handleOfHolding(projected.holding);
      const name = propertyName(value);
      if (name === undefined) return undefined;
      if (value.object.type === AST_NODE_TYPES.ThisExpression) return this.projectAttribute(name);
      if (projected) return undefined;
      const fromAttribute = this.projectAttribute(name);
      if (fromAttribute) return fromAttribute;
      if (!this.project && POOL_NAME.test(name)) return { kind: 'pool', promise: true, via: 'name' };
    }
    return undefined;
  }

  /**
   * The writes to a variable after its declaration. Asked once per use of the variable, so kept:
   * scanning every reference at every use made a file's cost grow with the square of its uses.
   */
  private reassignments(variable: TSESLint.Scope.Variable): TSESLint.Scope.Reference[] {
    let writes = this.reassignmentsOf.get(variable);
    if (!writes) {
      writes = variable.references.filter((reference) => reference.isWrite() && !reference.init);
      this.reassignmentsOf.set(variable, writes);
    }
    return writes;
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
      const writes = def.node.init ? [] : this.reassignments(variable!);
      if (writes.length === 1 && writes[0].writeExpr) {
        const fromWrite = this.handle(writes[0].writeExpr);
        if (fromWrite) return fromWrite;
      }
    }
    if (def?.type === 'Parameter') {
      const checkout = this.callbackCheckout(def.node as TSESTree.Node);
      if (checkout && checkout.connection === def.name) return { kind: 'checkout', driver: checkout.pool.driver, promise: false };
    }
    const projected = this.projectValue(identifier);
    if (projected?.kind === 'holding') return handleOfHolding(projected.holding);
    if (projected) return undefined;
    // A parameter named like a pool, or an import the index could not resolve: only the name says
    // so, and the leak rule wants the release to prove it.
    if (POOL_NAME.test(identifier.name) && (def?.type === 'Parameter' || (def?.type === 'ImportBinding' && !this.resolvesToProject(def)))) {
      return { kind: 'pool', promise: true, via: 'name' };
    }
    return undefined;
  }

  private resolvesToProject(def: TSESLint.Scope.Definition): boolean {
    if (!this.project || def.node.type === AST_NODE_TYPES.TSImportEqualsDeclaration) return false;
    const declaration = def.parent as TSESTree.ImportDeclaration;
    return this.project.module(declaration.source.value) !== undefined;
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
    if (this.creation(node) !== undefined) return true;
    // A helper of this file or the project that runs statements (`this.db.addDistinctId(...)`).
    return node.type === AST_NODE_TYPES.CallExpression && this.calleeFacts(node)?.queries === true;
  }
}

/** A handle known from facts, as the rules see it. */
export function handleOfHolding(holding: Holding): Handle | undefined {
  const driver = holding.library && DRIVERS.some((d) => d.driver === holding.library) ? driverFacts(holding.library as DriverName) : undefined;
  const promise = holding.promise ?? true;
  switch (holding.kind) {
    case 'pool':
      return { kind: 'pool', driver, promise, via: 'facts' };
    case 'connection':
      return { kind: 'connection', driver, promise, via: 'facts' };
    case 'checkout':
      return { kind: 'checkout', driver, promise, via: 'facts' };
    default:
      return undefined;
  }
}

/** The handle's facts for the index. */
export function holdingOfHandle(handle: Handle): Holding {
  return { kind: handle.kind, ...(handle.driver ? { library: handle.driver.driver } : {}), promise: handle.promise };
}

function enclosingClass(node: TSESTree.Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
  // `this` inside a method (not inside a nested `function`, whose `this` is its own).
  let fn = enclosingFunction(node);
  while (fn && fn.type === AST_NODE_TYPES.ArrowFunctionExpression) fn = enclosingFunction(fn);
  const method = fn?.parent;
  if (method?.type !== AST_NODE_TYPES.MethodDefinition && method?.type !== AST_NODE_TYPES.PropertyDefinition) return undefined;
  const body = method.parent;
  const cls = body?.parent;
  return cls?.type === AST_NODE_TYPES.ClassDeclaration || cls?.type === AST_NODE_TYPES.ClassExpression ? cls : undefined;
}

/** The module a `require('...')` call names. */
export function requiredSpecifier(call: TSESTree.CallExpression): string | undefined {
  if (call.callee.type !== AST_NODE_TYPES.Identifier || call.callee.name !== 'require' || call.arguments.length !== 1) return undefined;
  const argument = call.arguments[0];
  return argument.type === AST_NODE_TYPES.Literal && typeof argument.value === 'string' ? argument.value : undefined;
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
