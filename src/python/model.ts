import { classFor, factoryFor, LIBRARY_MODULES, methodFor, type FactorySpec, type LibraryTable, type MethodSpec, type Role } from './libraries';
import type { Release } from './libraries/types';
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
export class PythonFile {
  readonly imports = new Map<string, string>();
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

  constructor(readonly source: SourceText, readonly root: PyNode) {
    this.moduleScope = { node: root, isModule: true, isAsync: false, locals: new Map() };
    this.scopes.push(this.moduleScope);
    this.scopeByNode.set(root, this.moduleScope);
    this.indexScopes();
    this.collectImports();
    // Two passes: module-level objects first, so functions that use them resolve.
    for (const scope of this.scopes) this.collectBindings(scope);
    for (const scope of this.scopes) this.collectBindings(scope);
  }

  text(node: PyNode): string {
    return this.source.slice(node);
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
            const name = this.text(child);
            this.imports.set(name.split('.')[0], name.split('.')[0]);
          } else if (child.type === 'aliased_import') {
            const name = field(child, 'name');
            const alias = field(child, 'alias');
            if (name && alias) this.imports.set(this.text(alias), this.text(name));
          }
        }
        continue;
      }
      if (node.type === 'import_from_statement') {
        const moduleNode = field(node, 'module_name');
        if (!moduleNode || moduleNode.type !== 'dotted_name') continue; // relative imports: the project's own code
        const moduleName = this.text(moduleNode);
        for (const child of node.children) {
          if (child.field !== 'name') continue;
          if (child.type === 'dotted_name') this.imports.set(this.text(child), `${moduleName}.${this.text(child)}`);
          else if (child.type === 'aliased_import') {
            const name = field(child, 'name');
            const alias = field(child, 'alias');
            if (name && alias) this.imports.set(this.text(alias), `${moduleName}.${this.text(name)}`);
          }
        }
      }
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
    for (const node of this.nodesIn(scope, ['assignment', 'as_pattern'])) {
      if (node.type === 'assignment') {
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (!left || !right) continue;
        const binding = this.valueOf(right, scope);
        if (left.type === 'identifier') record(scope.locals, this.text(left), binding);
        else if (left.type === 'attribute' && binding) {
          const object = field(left, 'object');
          const attribute = field(left, 'attribute');
          if (object && attribute && this.text(object) === 'self') {
            record(this.selfAttributes, this.text(attribute), binding);
            this.selfAttributeWrites.set(node, { attribute: this.text(attribute), binding });
          }
        }
      } else if (node.type === 'as_pattern' && node.parent?.type === 'with_item') {
        const value = node.children[0];
        const alias = field(node, 'alias');
        const target = alias?.children.find((c) => c.type === 'identifier');
        if (value && target) {
          const acquired = this.acquisitionOf(value, scope);
          record(scope.locals, this.text(target), acquired ? acquired.binding : this.valueOf(value, scope));
        }
      }
    }
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

  /** What an expression evaluates to, when that is a library object. */
  valueOf(expr: PyNode, scope: Scope, depth = 0): Binding | undefined {
    // Chains like a.b().c().d()... recurse once per link; real code never nests library objects deeper.
    if (depth > MAX_RESOLUTION_DEPTH) return undefined;
    const inner = unwrap(expr);
    if (inner.type === 'call') {
      const callee = field(inner, 'function');
      if (!callee) return undefined;
      const qualified = this.qualifiedName(callee);
      if (qualified) {
        const factory = factoryFor(qualified);
        return factory ? { role: factory.spec.produces, table: factory.table, call: inner, factory: factory.spec } : undefined;
      }
      const method = this.methodCall(inner, scope, depth + 1);
      if (method?.spec.produces) return { role: method.spec.produces, table: method.owner.table, call: inner, method: method.spec, owner: method.ownerNode };
      return undefined;
    }
    if (inner.type === 'identifier') {
      const name = this.text(inner);
      const local = scope.locals.get(name);
      if (local !== undefined) return local ?? undefined;
      if (!scope.isModule) return this.moduleScope.locals.get(name) ?? undefined;
      return undefined;
    }
    if (inner.type === 'attribute') {
      const object = field(inner, 'object');
      const attribute = field(inner, 'attribute');
      if (object && attribute && this.text(object) === 'self') return this.selfAttributes.get(this.text(attribute)) ?? undefined;
    }
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
    if (binding.factory?.release) return { binding, release: binding.factory.release, withReleases: binding.factory.withReleases ?? false };
    if (binding.method?.kind === 'acquire') return { binding, release: binding.method.release ?? [], withReleases: binding.method.withReleases ?? false };
    return undefined;
  }
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

