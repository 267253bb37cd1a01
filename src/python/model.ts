import { own, type FunctionFacts, type Holding, type ObjectFacts } from '../engine/project/facts';
import type { Imported, ProjectView } from '../engine/project';
import { classFor, factoryFor, genericTable, LIBRARY_MODULES, methodFor, tableNamed, type FactorySpec, type LibraryTable, type MethodSpec, type Role } from './libraries';
import type { Release } from './libraries/types';
import { computeFunctionFacts, holdingOf } from './facts';
import { SourceText } from './source';
import { field, walk, type PyNode } from './tree';

/** What a name or expression holds, when it holds something a library made. */
export interface Binding {
  readonly role: Role;
  readonly table: LibraryTable;
  /** The call that made it (the factory or the acquiring method call). */
  readonly call: PyNode;
  readonly factory?: FactorySpec;
  readonly method?: MethodSpec;
  /** For acquired connections: the expression of the pool/engine it came from. */
  readonly owner?: PyNode;
  /**
   * Known from facts (a helper's, another module's, a project-wide attribute) rather than from a
   * library call in this file: its release is matched by name on any receiver, since the pool that
   * lent it is not in sight.
   */
  readonly indirect?: boolean;
  /** A connection lent by a pool, rather than opened for its holder. */
  readonly checkout?: boolean;
  /** For `object`: an instance of a project class, with what its methods do. */
  readonly members?: ObjectFacts;
  /** A connection in autocommit mode (`connect(..., autocommit=True)`, or a helper that turns it on). */
  readonly autocommit?: boolean;
}

/** A call that hands out something that must be given back. */
export interface Acquisition {
  readonly binding: Binding;
  readonly release: readonly Release[];
  readonly withReleases: boolean;
}

const MAX_RESOLUTION_DEPTH = 16;

export const FUNCTION_TYPES: ReadonlySet<string> = new Set(['function_definition', 'lambda']);
export const SCOPE_BOUNDARIES: ReadonlySet<string> = new Set(['function_definition', 'lambda', 'class_definition']);

export interface CallArguments {
  readonly positional: PyNode[];
  readonly keywords: Map<string, PyNode>;
  /** `*args` or `**kwargs` present: any option may be set where we cannot see it. */
  readonly hasSplat: boolean;
  readonly list?: PyNode;
}

/** A function body (or the module) with its own local names. */
export interface Scope {
  readonly node: PyNode;
  readonly isModule: boolean;
  readonly isAsync: boolean;
  readonly locals: Map<string, Binding | null>;
  readonly parentClass?: PyNode;
}

/**
 * Everything the rules know about one file: the text, the tree, which names the imports bind, and
 * which names and attributes hold library objects (pools, engines, connections).
 */
export interface ProjectImport {
  /** The module as written (`app.db`, `.database`, `..`). */
  readonly specifier: string;
  /** The imported name (`from m import name`); absent for `import m`; `*` for a star import. */
  readonly name?: string;
}

export class PythonFile {
  /** Local name → the fully qualified name it denotes (`pool` → `psycopg2.pool`), for every absolute import. */
  readonly imports = new Map<string, string>();
  /** Local name → the project module it comes from, for imports that are not a database library. */
  readonly projectImports = new Map<string, ProjectImport>();
  /** Module-level `def`s and classes by name, and each class's methods by name. */
  readonly functionsByName = new Map<string, PyNode>();
  readonly classesByName = new Map<string, PyNode>();
  private readonly methodsByClass = new Map<PyNode, Map<string, PyNode>>();
  /** Attributes assigned a library object on something other than `self` (`app.state.pool = …`, `g.db = …`). */
  readonly attributeWrites = new Map<PyNode, { readonly attribute: string; readonly binding: Binding }>();
  /** Function facts computed so far (see facts.ts); `null` while one is being computed (recursion). */
  private readonly functionFactsCache = new Map<PyNode, FunctionFacts | null>();
  readonly scopes: Scope[] = [];
  private readonly scopeByNode = new Map<PyNode, Scope>();
  /** `self.pool = ...` anywhere in a class: attribute name → binding (null when ambiguous). */
  private readonly selfAttributes = new Map<string, Binding | null>();
  /**
   * Each `self.<attribute> = <library object>` assignment and what it binds: the file-wide facts a
   * method contributes, which the incremental front end compares before and after an edit.
   */
  readonly selfAttributeWrites = new Map<PyNode, { readonly attribute: string; readonly binding: Binding }>();
  readonly moduleScope: Scope;

  constructor(
    readonly source: SourceText,
    readonly root: PyNode,
    /** The project index as this file sees it; absent when the file is analysed alone. */
    readonly project?: ProjectView,
  ) {
    this.moduleScope = { node: root, isModule: true, isAsync: false, locals: new Map() };
    this.scopes.push(this.moduleScope);
    this.scopeByNode.set(root, this.moduleScope);
    this.indexScopes();
    this.indexDefinitions();
    this.collectImports();
  }

  text(node: PyNode): string {
    return this.source.slice(node);
  }

  /** Module-level functions and classes, and the methods of every class, by name. */
  private indexDefinitions(): void {
    for (const statement of this.root.children) {
      const definition = statement.type === 'decorated_definition' ? field(statement, 'definition') : statement;
      const name = definition ? field(definition, 'name') : undefined;
      if (!definition || !name) continue;
      if (definition.type === 'function_definition') this.functionsByName.set(this.text(name), definition);
      if (definition.type === 'class_definition') this.classesByName.set(this.text(name), definition);
    }
    for (const scope of this.scopes) {
      if (scope.isModule || !scope.parentClass) continue;
      const fn = scope.node;
      if (fn.parent !== field(scope.parentClass, 'body') && fn.parent?.parent !== field(scope.parentClass, 'body')) continue;
      const name = field(fn, 'name');
      if (!name) continue;
      let methods = this.methodsByClass.get(scope.parentClass);
      if (!methods) this.methodsByClass.set(scope.parentClass, (methods = new Map()));
      methods.set(this.text(name), fn);
    }
  }

  /** A class's methods by name. */
  methodsOf(classNode: PyNode): ReadonlyMap<string, PyNode> {
    return this.methodsByClass.get(classNode) ?? new Map();
  }

  /** The scope of a function definition. */
  scopeOfFunction(fn: PyNode): Scope | undefined {
    return this.scopeByNode.get(fn);
  }

  /** What a function of this file does with connections (computed once; a recursive call sees nothing). */
  functionFacts(fn: PyNode): FunctionFacts {
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

  /** Facts being computed: values read meanwhile may be partial (recursion), so they are not kept. */
  private factsInProgress = 0;

  /** A class's instance facts: its methods' facts and the attributes its methods assign on `self`. */
  classFacts(classNode: PyNode): ObjectFacts {
    const attributes: Record<string, Holding> = {};
    for (const [node, write] of this.selfAttributeWrites) {
      if (node.start < classNode.start || node.end > classNode.end) continue;
      const holding = holdingOf(write.binding);
      if (holding && this.selfAttributes.get(write.attribute)) attributes[write.attribute] = holding;
    }
    const methods: Record<string, FunctionFacts> = {};
    for (const [name, fn] of this.methodsOf(classNode)) {
      const facts = this.functionFacts(fn);
      if (Object.keys(facts).length > 0) methods[name] = facts;
    }
    return { attributes, methods };
  }

  get usesDatabaseLibrary(): boolean {
    for (const target of this.imports.values()) if (LIBRARY_MODULES.has(target.split('.')[0])) return true;
    return false;
  }

  /** Node lists per scope and type, built in one walk so the rules need not walk the tree again and again. */
  private readonly index = new Map<Scope, Map<string, PyNode[]>>();

  private indexScopes(): void {
    // Parallel stacks rather than {node, scope} pairs: this loop visits every node of the file.
    const nodes: PyNode[] = [];
    const owners: (Scope | null)[] = [];
    for (let i = this.root.children.length - 1; i >= 0; i--) {
      nodes.push(this.root.children[i]);
      owners.push(this.moduleScope);
    }
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const scope = owners.pop()!;
      if (scope) {
        let byType = this.index.get(scope);
        if (!byType) this.index.set(scope, (byType = new Map()));
        const list = byType.get(node.type);
        if (list) list.push(node);
        else byType.set(node.type, [node]);
      }
      // Mirrors walkScope: a function's body is its own scope; parameters, class bodies and lambdas belong to none.
      let own: Scope | undefined;
      if (node.type === 'function_definition') {
        own = this.createFunctionScope(node);
      }
      const boundary = SCOPE_BOUNDARIES.has(node.type);
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = node.children[i];
        nodes.push(child);
        owners.push(own ? (child.field === 'body' ? own : null) : boundary ? null : scope);
      }
    }
  }

  private createFunctionScope(node: PyNode): Scope {
    const isAsync = node.children[0]?.type === 'async';
    let parentClass: PyNode | undefined;
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === 'class_definition') { parentClass = p; break; }
      if (p.type === 'function_definition') break;
    }
    const scope: Scope = { node, isModule: false, isAsync, locals: new Map(), parentClass };
    this.scopes.push(scope);
    this.scopeByNode.set(node, scope);
    return scope;
  }

  /** Nodes of the given types in a scope's own body (not nested functions), in source order. */
  nodesIn(scope: Scope, types: readonly string[]): PyNode[] {
    const byType = this.index.get(scope);
    if (!byType) return [];
    if (types.length === 1) return byType.get(types[0]) ?? [];
    // Each list is already in source order: merge them (ties keep the order of `types`, as a stable sort would).
    let merged: PyNode[] = byType.get(types[0]) ?? [];
    for (let i = 1; i < types.length; i++) merged = mergeByStart(merged, byType.get(types[i]) ?? []);
    return merged;
  }

  private collectImports(): void {
    const statements = this.scopes.flatMap((scope) => this.nodesIn(scope, ['import_statement', 'import_from_statement']));
    for (const node of statements) {
      if (node.type === 'import_statement') {
        for (const child of node.children) {
          if (child.type === 'dotted_name') {
            // `import a.b.c` binds `a`.
            const top = this.text(child).split('.')[0];
            this.bindImport(top, top, { specifier: top });
          } else if (child.type === 'aliased_import') {
            const name = field(child, 'name');
            const alias = field(child, 'alias');
            if (name && alias) this.bindImport(this.text(alias), this.text(name), { specifier: this.text(name) });
          }
        }
        continue;
      }
      if (node.type === 'import_from_statement') {
        const moduleNode = field(node, 'module_name');
        if (!moduleNode) continue;
        const moduleName = this.text(moduleNode).replace(/\s+/g, '');
        const relative = moduleNode.type !== 'dotted_name';
        for (const child of node.children) {
          if (child.field !== 'name' && child.type !== 'wildcard_import') continue;
          if (child.type === 'wildcard_import') {
            this.projectImports.set('*', { specifier: moduleName, name: '*' });
            continue;
          }
          const nameNode = child.type === 'aliased_import' ? field(child, 'name') : child;
          const alias = child.type === 'aliased_import' ? field(child, 'alias') : child;
          if (!nameNode || !alias) continue;
          const name = this.text(nameNode);
          if (relative) this.projectImports.set(this.text(alias), { specifier: moduleName, name });
          else this.bindImport(this.text(alias), `${moduleName}.${name}`, { specifier: moduleName, name });
        }
      }
    }
    this.adoptWrappedLibraries();
  }

  /** An absolute import: a library's name (`imports`) and, for a project module, where it comes from. */
  private bindImport(local: string, qualified: string, origin: ProjectImport): void {
    this.imports.set(local, qualified);
    if (!LIBRARY_MODULES.has(qualified.split('.')[0])) this.projectImports.set(local, origin);
  }

  /**
   * A project module that passes a driver on (`from .. import psycopg` where the package imported
   * the real one): the name is the library's here too.
   */
  private adoptWrappedLibraries(): void {
    if (!this.project) return;
    for (const [local, origin] of this.projectImports) {
      if (origin.name === undefined || origin.name === '*') continue;
      const module = this.project.module(origin.specifier);
      const library = module?.facts.libraries[origin.name];
      if (library) this.imports.set(local, [library.module, ...library.path].join('.'));
    }
  }

  /** The scope whose body holds `node` (its nearest enclosing function, or the module). */
  scopeOf(node: PyNode): Scope {
    for (let p = node.parent; p; p = p.parent) {
      const scope = this.scopeByNode.get(p);
      if (scope) return scope;
    }
    return this.moduleScope;
  }

  /** Statements of a scope, not descending into nested functions or classes. */
  walkScope(scope: Scope, visit: (node: PyNode) => boolean | void): void {
    const body = scope.isModule ? scope.node : field(scope.node, 'body');
    if (!body) return;
    walk(body, (node) => {
      if (visit(node) === false) return false;
      return !SCOPE_BOUNDARIES.has(node.type);
    });
  }

  /** Scopes whose assignments have been read (or are being read) into their locals. */
  private readonly collected = new Set<Scope>();
  private selfAttributesCollected = false;

  /** A scope's locals, read from its assignments on first need. */
  private localsOf(scope: Scope): Map<string, Binding | null> {
    if (!this.collected.has(scope)) {
      this.collected.add(scope);
      this.collectBindings(scope);
      // Module-level names are also bound by functions that declare them `global`
      // (`global engine; engine = create_engine(...)` in a setup function).
      if (scope.isModule) for (const other of this.scopes) if (!other.isModule && this.nodesIn(other, ['global_statement']).length > 0) this.localsOf(other);
    }
    return scope.locals;
  }

  /**
   * Reads every scope's assignments (module first, so functions see module-level objects), and every
   * `self.<attribute>` write. Bindings are read lazily anyway; this makes the file-wide maps complete.
   */
  collectAll(): void {
    for (const scope of this.scopes) this.localsOf(scope);
    this.collectSelfAttributes();
  }

  private collectBindings(scope: Scope): void {
    const parameters = scope.isModule ? undefined : field(scope.node, 'parameters');
    for (const parameter of parameters?.children ?? []) {
      if (parameter.type !== 'typed_parameter' && parameter.type !== 'typed_default_parameter') continue;
      const nameNode = parameter.type === 'typed_parameter' ? parameter.children.find((c) => c.type === 'identifier') : field(parameter, 'name');
      const typeNode = field(parameter, 'type');
      const annotated = typeNode?.children[0];
      const qualified = annotated ? this.qualifiedName(annotated) : undefined;
      const known = qualified ? classFor(qualified) : undefined;
      if (nameNode && known && !scope.locals.has(this.text(nameNode))) {
        scope.locals.set(this.text(nameNode), { role: known.role, table: known.table, call: parameter });
      }
    }
    const globals = scope.isModule ? undefined : this.globalNames(scope);
    for (const node of this.nodesIn(scope, ['assignment', 'as_pattern'])) {
      if (node.type === 'assignment') {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (!left || !right || left.type !== 'identifier') continue;
        // `pool = None` declares a name to be filled in later: it neither binds nor blurs it.
        if (right.type === 'none') continue;
        const name = this.text(left);
        // `global engine` then `engine = create_engine(...)`: the module's name.
        const target = globals?.has(name) ? this.moduleScope.locals : scope.locals;
        record(target, name, this.valueOf(right, scope));
      } else if (node.type === 'as_pattern' && node.parent?.type === 'with_item') {
        const value = node.children[0];
        const alias = field(node, 'alias');
        const target = alias?.children.find((c) => c.type === 'identifier');
        if (value && target) {
          const acquired = this.acquisitionOf(value, scope);
          const managed = acquired ? acquired.binding : this.valueOf(value, scope) ?? this.yieldedBy(value, scope);
          record(scope.locals, this.text(target), managed);
        }
      }
    }
  }

  /** Names a function declares `global`. */
  globalNames(scope: Scope): Set<string> {
    const names = new Set<string>();
    for (const node of this.nodesIn(scope, ['global_statement'])) for (const child of node.children) if (child.type === 'identifier') names.add(this.text(child));
    return names;
  }

  /** Every `<object>.<attribute> = <library object>` of the file: `self.` writes per class, others for the project. */
  private collectSelfAttributes(): void {
    if (this.selfAttributesCollected) return;
    this.selfAttributesCollected = true;
    for (const scope of this.scopes) {
      for (const node of this.nodesIn(scope, ['assignment'])) {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (!left || !right || right.type === 'none') continue;
        const key = attributeKey(this, left);
        if (!key) continue;
        const binding = this.valueOf(right, scope);
        if (key.onSelf) {
          if (!binding) {
            // An unknown value (a parameter, say) neither binds nor blurs the attribute.
            continue;
          }
          record(this.selfAttributes, key.attribute, binding);
          this.selfAttributeWrites.set(node, { attribute: key.attribute, binding });
        } else if (binding) {
          this.attributeWrites.set(node, { attribute: key.attribute, binding });
        }
      }
    }
  }

  /** What `self.<attribute>` holds in this file, when its methods assign one kind of library object to it. */
  selfAttribute(attribute: string): Binding | undefined {
    this.collectSelfAttributes();
    return this.selfAttributes.get(attribute) ?? undefined;
  }

  /** The fully qualified name an expression denotes through the imports ("psycopg2.pool.SimpleConnectionPool"). */
  qualifiedName(expr: PyNode): string | undefined {
    // Iterative: junk input can nest attribute chains deeper than the JS stack.
    const parts: string[] = [];
    let node = expr;
    while (node.type === 'attribute') {
      const object = field(node, 'object');
      const attribute = field(node, 'attribute');
      if (!object || !attribute) return undefined;
      parts.push(this.text(attribute));
      node = object;
    }
    if (node.type !== 'identifier') return undefined;
    const base = this.imports.get(this.text(node));
    if (!base) return undefined;
    return [base, ...parts.reverse()].join('.');
  }

  /** Every call to a known factory (connect, pool, engine), anywhere in the file. */
  factoryCalls(): { call: PyNode; factory: FactorySpec; table: LibraryTable; scope: Scope; args: CallArguments }[] {
    if (this.cachedFactoryCalls) return this.cachedFactoryCalls;
    const found: { call: PyNode; factory: FactorySpec; table: LibraryTable; scope: Scope; args: CallArguments }[] = [];
    for (const { call: node, scope } of this.calls()) {
      const callee = field(node, 'function');
      const qualified = callee ? this.qualifiedName(callee) : undefined;
      const resolved = qualified ? factoryFor(qualified) : undefined;
      if (resolved) found.push({ call: node, factory: resolved.spec, table: resolved.table, scope, args: this.callArguments(node) });
    }
    this.cachedFactoryCalls = found;
    return found;
  }
  private cachedFactoryCalls?: { call: PyNode; factory: FactorySpec; table: LibraryTable; scope: Scope; args: CallArguments }[];

  /** The factory call at `call`, if `call` is one (a connect, a pool, an engine). */
  factoryCallAt(call: PyNode): { call: PyNode; factory: FactorySpec; table: LibraryTable; scope: Scope; args: CallArguments } | undefined {
    if (!this.factoryCallsByNode) this.factoryCallsByNode = new Map(this.factoryCalls().map((entry) => [entry.call, entry]));
    return this.factoryCallsByNode.get(call);
  }
  private factoryCallsByNode?: Map<PyNode, { call: PyNode; factory: FactorySpec; table: LibraryTable; scope: Scope; args: CallArguments }>;

  /** Every call in the file with the scope it runs in. */
  calls(): { call: PyNode; scope: Scope }[] {
    if (this.cachedCalls) return this.cachedCalls;
    const found: { call: PyNode; scope: Scope }[] = [];
    for (const scope of this.scopes) for (const call of this.nodesIn(scope, ['call'])) found.push({ call, scope });
    this.cachedCalls = found;
    return found;
  }
  private cachedCalls?: { call: PyNode; scope: Scope }[];

  /** The value of a plain string literal (no f-string interpolation, no concatenation), else undefined. */
  stringValue(node: PyNode | undefined): string | undefined {
    if (!node || node.type !== 'string') return undefined;
    if (node.children.some((c) => c.type === 'interpolation')) return undefined;
    return node.children.filter((c) => c.type === 'string_content').map((c) => this.text(c)).join('');
  }

  /** The value of a numeric literal (with an optional minus sign), else undefined. */
  numberValue(node: PyNode | undefined): number | undefined {
    let sign = 1;
    let current = node;
    while (current?.type === 'unary_operator' && current.children[0]?.type === '-') {
      sign = -sign;
      current = current.children[1];
    }
    if (current?.type !== 'integer' && current?.type !== 'float') return undefined;
    const value = Number(this.text(current).split('_').join(''));
    return Number.isFinite(value) ? sign * value : undefined;
  }

  /** What each expression evaluated to (`null`: nothing, or being evaluated): chains are read once per link. */
  private readonly values = new Map<PyNode, Binding | null>();

  /** What an expression evaluates to, when that is a library object (or a project object that holds one). */
  valueOf(expr: PyNode, scope: Scope, depth = 0): Binding | undefined {
    // Chains like a.b().c().d()... recurse once per link; real code never nests library objects deeper.
    if (depth > MAX_RESOLUTION_DEPTH) return undefined;
    const inner = unwrap(expr);
    const cached = this.values.get(inner);
    if (cached !== undefined) return cached ?? undefined;
    // The scope's assignments first: reading them may evaluate this very expression (`with x() as c`).
    this.localsOf(scope);
    const settled = this.values.get(inner);
    if (settled !== undefined) return settled ?? undefined;
    this.values.set(inner, null);
    const partial = this.factsInProgress > 0;
    const value = this.computeValue(inner, scope, depth);
    if (partial) this.values.delete(inner);
    else this.values.set(inner, value ?? null);
    return value;
  }

  private computeValue(inner: PyNode, scope: Scope, depth: number): Binding | undefined {
    if (inner.type === 'call') {
      const callee = field(inner, 'function');
      if (!callee) return undefined;
      const qualified = this.qualifiedName(callee);
      if (qualified) {
        const factory = factoryFor(qualified);
        if (factory) {
          const autocommit = this.callArguments(inner).keywords.get('autocommit')?.type === 'true';
          return { role: factory.spec.produces, table: factory.table, call: inner, factory: factory.spec, ...(autocommit ? { autocommit } : {}) };
        }
      }
      const method = this.methodCall(inner, scope, depth + 1);
      if (method?.spec.produces) return { role: method.spec.produces, table: method.owner.table, call: inner, method: method.spec, owner: method.ownerNode };
      if (method) return undefined;
      const called = this.valueOf(callee, scope, depth + 1);
      // `SessionLocal()` where SessionLocal = sessionmaker(...): a new session.
      if (called?.role === 'session-factory') return { role: 'session', table: called.table, call: inner, factory: sessionSpec(called.table), indirect: called.indirect };
      const target = this.calleeOf(callee, scope, depth + 1);
      if (target?.kind === 'function' && target.facts.returns && target.facts.returnsAt === undefined) return bindingOfHolding(target.facts.returns, inner);
      if (target?.kind === 'class') return { role: 'object', table: genericTable, call: inner, members: target.facts, indirect: true };
      return undefined;
    }
    if (inner.type === 'identifier') {
      const name = this.text(inner);
      const local = this.localsOf(scope).get(name);
      if (local !== undefined) return local ?? undefined;
      if (!scope.isModule) {
        const global = this.localsOf(this.moduleScope).get(name);
        if (global !== undefined) return global ?? undefined;
      }
      const imported = this.importedValue(inner, depth + 1);
      if (imported?.kind === 'holding') return bindingOfHolding(imported.holding, inner);
      return undefined;
    }
    if (inner.type === 'attribute') {
      const object = field(inner, 'object');
      const attribute = field(inner, 'attribute');
      if (!object || !attribute) return undefined;
      const name = this.text(attribute);
      if (this.text(object) === 'self') {
        const own = this.selfAttribute(name);
        if (own) return own;
      } else {
        const owner = this.valueOf(object, scope, depth + 1);
        const member = owner?.members ? own(owner.members.attributes, name) : undefined;
        if (member) return bindingOfHolding(member, inner);
        const imported = this.importedValue(inner, depth + 1);
        if (imported?.kind === 'holding') return bindingOfHolding(imported.holding, inner);
        if (imported) return undefined;
        // A library module's own attribute (`psycopg2.extensions`) is not a project attribute.
        if (this.qualifiedName(inner) !== undefined) return undefined;
      }
      return this.projectAttribute(name, inner);
    }
    if (inner.type === 'subscript') {
      // `app['db']`, `request.app["pool"]` (aiohttp's application state).
      const key = this.stringValue(field(inner, 'subscript'));
      if (key !== undefined) return this.projectAttribute(`[${key}]`, inner);
    }
    return undefined;
  }

  /** An attribute the project assigns one kind of library object wherever it assigns it. */
  private projectAttribute(name: string, node: PyNode): Binding | undefined {
    const holding = this.project?.attribute(name) ?? this.fileAttribute(name);
    return holding ? bindingOfHolding(holding, node) : undefined;
  }

  /** Without an index: the file's own attribute writes (`app.state.pool = …`). */
  private fileAttribute(name: string): Holding | undefined {
    this.collectSelfAttributes();
    let found: Holding | undefined;
    for (const write of [...this.attributeWrites.values(), ...this.selfAttributeWrites.values()]) {
      if (write.attribute !== name) continue;
      const holding = holdingOf(write.binding);
      if (!holding || (found && (found.kind !== holding.kind || found.library !== holding.library))) return undefined;
      found = holding;
    }
    return found;
  }

  /**
   * What a name or dotted name imported from a project module is: `pool` from `from app.db import
   * pool`, `db.pool` after `import db`, `app.db.get_conn` after `import app.db`.
   */
  importedValue(expr: PyNode, depth = 0): Imported | undefined {
    if (!this.project || depth > MAX_RESOLUTION_DEPTH) return undefined;
    if (expr.type === 'identifier') {
      const origin = this.projectImports.get(this.text(expr)) ?? this.starImport(this.text(expr));
      if (!origin) return undefined;
      if (origin.name === undefined) {
        const module = this.project.module(origin.specifier);
        return module ? { kind: 'module', facts: module.facts, file: module.file } : undefined;
      }
      return this.project.imported(origin.specifier, origin.name === '*' ? this.text(expr) : origin.name);
    }
    if (expr.type === 'attribute') {
      const object = field(expr, 'object');
      const attribute = field(expr, 'attribute');
      if (!object || !attribute) return undefined;
      const base = this.importedValue(object, depth + 1);
      const name = this.text(attribute);
      if (base?.kind === 'module') return this.project.member(base.file, name);
      if (base?.kind === 'holding' && base.holding.members) {
        const holding = own(base.holding.members.attributes, name);
        if (holding) return { kind: 'holding', holding };
        const method = own(base.holding.members.methods, name);
        if (method) return { kind: 'function', facts: method };
      }
    }
    return undefined;
  }

  private starImport(name: string): ProjectImport | undefined {
    const star = this.projectImports.get('*');
    if (!star || this.localsOf(this.moduleScope).has(name) || this.functionsByName.has(name) || this.classesByName.has(name)) return undefined;
    return { specifier: star.specifier, name };
  }

  /** The function or class a callee names: a `def` of this file, a method, or one imported from the project. */
  calleeOf(callee: PyNode, scope: Scope, depth = 0): { kind: 'function'; facts: FunctionFacts; node?: PyNode } | { kind: 'class'; facts: ObjectFacts } | undefined {
    if (depth > MAX_RESOLUTION_DEPTH) return undefined;
    if (callee.type === 'identifier') {
      const name = this.text(callee);
      if (!scope.isModule && this.localsOf(scope).has(name)) return undefined; // a local shadows it
      const fn = this.functionsByName.get(name);
      if (fn) return { kind: 'function', facts: this.functionFacts(fn), node: fn };
      const cls = this.classesByName.get(name);
      if (cls) return { kind: 'class', facts: this.classFacts(cls) };
    }
    if (callee.type === 'attribute') {
      const object = field(callee, 'object');
      const attribute = field(callee, 'attribute');
      if (!object || !attribute) return undefined;
      const name = this.text(attribute);
      if ((this.text(object) === 'self' || this.text(object) === 'cls') && scope.parentClass) {
        const method = this.methodsOf(scope.parentClass).get(name);
        if (method) return { kind: 'function', facts: this.functionFacts(method), node: method };
      }
      const owner = this.valueOf(object, scope, depth + 1);
      const method = owner?.members ? own(owner.members.methods, name) : undefined;
      if (method) return { kind: 'function', facts: method };
      if (owner) return undefined;
    }
    const imported = this.importedValue(callee, depth + 1);
    if (imported?.kind === 'function') return { kind: 'function', facts: imported.facts };
    if (imported?.kind === 'class') return { kind: 'class', facts: imported.facts };
    return undefined;
  }

  /** `owner.method(...)` where owner holds a library object whose table knows `method`. */
  methodCall(call: PyNode, scope: Scope, depth = 0): { spec: MethodSpec; owner: Binding; ownerNode: PyNode } | undefined {
    const callee = field(call, 'function');
    if (!callee || callee.type !== 'attribute') return undefined;
    const object = field(callee, 'object');
    const attribute = field(callee, 'attribute');
    if (!object || !attribute) return undefined;
    const owner = this.valueOf(object, scope, depth + 1);
    if (!owner) return undefined;
    const spec = methodFor(owner.table, owner.role, this.text(attribute));
    return spec ? { spec, owner, ownerNode: object } : undefined;
  }

  /** Keyword arguments of a call by name, and its positional arguments in order. */
  callArguments(call: PyNode): CallArguments {
    const list = field(call, 'arguments');
    const positional: PyNode[] = [];
    const keywords = new Map<string, PyNode>();
    let hasSplat = false;
    if (list?.type === 'argument_list') {
      for (const child of list.children) {
        if (!child.named || child.type === 'comment') continue;
        if (child.type === 'keyword_argument') {
          const name = field(child, 'name');
          const value = field(child, 'value');
          if (name && value) keywords.set(this.text(name), value);
        } else if (child.type === 'list_splat' || child.type === 'dictionary_splat') hasSplat = true;
        else positional.push(child);
      }
    }
    return { positional, keywords, hasSplat, list: list?.type === 'argument_list' ? list : undefined };
  }

  /** When `expr` hands out a connection that must be released, how. */
  acquisitionOf(expr: PyNode, scope: Scope): Acquisition | undefined {
    const binding = this.valueOf(expr, scope);
    if (!binding || binding.call !== unwrap(expr)) return undefined;
    if (binding.role !== 'connection' && binding.role !== 'session') return undefined;
    if (binding.indirect) return { binding, release: indirectReleases(binding), withReleases: binding.factory?.withReleases ?? binding.method?.withReleases ?? true };
    if (binding.factory?.release) return { binding, release: binding.factory.release, withReleases: binding.factory.withReleases ?? false };
    if (binding.method?.kind === 'acquire') return { binding, release: binding.method.release ?? [], withReleases: binding.method.withReleases ?? false };
    return undefined;
  }

  /**
   * `with helper() as conn` where the helper is a generator or context manager that yields a
   * connection it releases itself: `conn` holds the connection, owned by the helper.
   */
  private yieldedBy(value: PyNode, scope: Scope): Binding | undefined {
    const inner = unwrap(value);
    if (inner.type !== 'call') return undefined;
    const callee = field(inner, 'function');
    const target = callee ? this.calleeOf(callee, scope) : undefined;
    const yielded = target?.kind === 'function' ? target.facts.yields : undefined;
    return yielded ? bindingOfHolding(yielded, inner) : undefined;
  }

  /** What a call does, when its callee is a function whose facts are known. */
  callFacts(call: PyNode, scope: Scope): FunctionFacts | undefined {
    const callee = field(call, 'function');
    const target = callee ? this.calleeOf(callee, scope) : undefined;
    return target?.kind === 'function' ? target.facts : undefined;
  }
}

/** How a connection known from facts is given back: its library's ways, or any common one. */
export function indirectReleases(binding: Binding): readonly Release[] {
  const own = binding.method?.release ?? binding.factory?.release ?? [];
  return [...own, ...GENERIC_RELEASES.filter((generic) => !own.some((r) => r.kind === generic.kind && r.name === generic.name))];
}

const GENERIC_RELEASES: readonly Release[] = [
  { kind: 'method', name: 'close' },
  { kind: 'method', name: 'release' },
  { kind: 'owner-method', name: 'putconn' },
  { kind: 'owner-method', name: 'release' },
];

function sessionSpec(table: LibraryTable): FactorySpec | undefined {
  return table.factories.find((factory) => factory.produces === 'session');
}

/** A library object known from facts, as the rules see it. */
export function bindingOfHolding(holding: Holding, node: PyNode): Binding | undefined {
  const binding = bindingOfHoldingKind(holding, node);
  return binding && holding.autocommit ? { ...binding, autocommit: true } : binding;
}

function bindingOfHoldingKind(holding: Holding, node: PyNode): Binding | undefined {
  const table = tableNamed(holding.library);
  const factory = holding.origin ? factoryFor(holding.origin)?.spec : undefined;
  switch (holding.kind) {
    case 'pool':
    case 'engine':
    case 'session-factory':
    case 'transaction':
      return { role: holding.kind, table, call: node, factory, indirect: true };
    case 'connection':
      return { role: 'connection', table, call: node, factory, indirect: true };
    case 'session':
      return { role: 'session', table, call: node, factory: factory ?? sessionSpec(table), indirect: true };
    case 'checkout': {
      const method = holding.origin ? (methodFor(table, 'pool', holding.origin) ?? methodFor(table, 'engine', holding.origin)) : undefined;
      return { role: 'connection', table, call: node, method, checkout: true, indirect: true };
    }
    case 'object':
      return holding.members ? { role: 'object', table: genericTable, call: node, members: holding.members, indirect: true } : undefined;
  }
}

/** `self.pool`, `app.state.pool`, `bot.db`, `app["db"]` as an assignment target. */
function attributeKey(file: PythonFile, left: PyNode): { attribute: string; onSelf: boolean } | undefined {
  if (left.type === 'attribute') {
    const object = field(left, 'object');
    const attribute = field(left, 'attribute');
    if (!object || !attribute) return undefined;
    return { attribute: file.text(attribute), onSelf: file.text(object) === 'self' };
  }
  if (left.type === 'subscript') {
    const key = file.stringValue(field(left, 'subscript'));
    return key === undefined ? undefined : { attribute: `[${key}]`, onSelf: false };
  }
  return undefined;
}

function mergeByStart(first: readonly PyNode[], second: readonly PyNode[]): PyNode[] {
  if (second.length === 0) return first.slice();
  if (first.length === 0) return second.slice();
  const merged: PyNode[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length && j < second.length) merged.push(second[j].start < first[i].start ? second[j++] : first[i++]);
  while (i < first.length) merged.push(first[i++]);
  while (j < second.length) merged.push(second[j++]);
  return merged;
}

function record<K>(map: Map<K, Binding | null>, key: K, binding: Binding | undefined): void {
  const existing = map.get(key);
  if (existing === undefined) map.set(key, binding ?? null);
  else if (existing !== null && binding && existing.role === binding.role && existing.table === binding.table) return;
  else if (existing !== null && binding && existing.call === binding.call) return;
  else map.set(key, null); // re-bound to something else: not sure any more, so not tracked
}

/** Strips `await`, parentheses. */
export function unwrap(expr: PyNode): PyNode {
  let node = expr;
  for (;;) {
    if (node.type === 'await' || node.type === 'parenthesized_expression') {
      const inner = node.children.find((c) => c.named && c.type !== 'comment');
      if (!inner) return node;
      node = inner;
    } else return node;
  }
}

