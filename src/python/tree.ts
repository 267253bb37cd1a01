import type { Node as TsNode, Tree } from 'web-tree-sitter';

/**
 * A plain JavaScript copy of the syntax tree. web-tree-sitter's nodes cross into wasm on every
 * property read; the rules walk the tree many times, so one cursor pass that copies it is cheaper.
 * Offsets are UTF-16 code units of the linted string (web-tree-sitter parses JS strings as UTF-16).
 */
export interface PyNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly field: string | null;
  readonly named: boolean;
  readonly children: PyNode[];
  parent: PyNode | null;
}

/**
 * Types whose insides no rule reads (their text is read through their offsets): the copy does not
 * descend into them, which saves a wasm call per leaf and skips escape sequences inside strings.
 */
const OPAQUE_TYPES: ReadonlySet<string> = new Set([
  'identifier', 'integer', 'float', 'true', 'false', 'none', 'ellipsis', 'comment', 'string_start', 'string_content', 'string_end', 'escape_sequence',
]);

/**
 * Copies the tree; nodes whose type is in `collectTypes` are also appended to `collected` (in source
 * order), so a caller can look at them without another walk.
 */
export function copyTree(tree: Tree, collectTypes?: ReadonlySet<string>, collected?: PyNode[]): PyNode {
  const language = tree.language;
  // Numeric ids cross the wasm boundary cheaper than names; names come from the language's tables.
  const typeNames = language.types;
  const fieldNames = language.fields;
  const namedById: (boolean | undefined)[] = [];
  const keptById: (boolean | undefined)[] = [];
  const opaqueById: (boolean | undefined)[] = [];
  const collectById: (boolean | undefined)[] = [];
  const cursor = tree.walk();
  const root: PyNode = { type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex, field: null, named: true, children: [], parent: null };
  let current = root;
  // Depth-first with an explicit stack so deeply nested input cannot overflow the JS stack.
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const typeId = cursor.nodeTypeId;
      let named = namedById[typeId];
      if (named === undefined) named = namedById[typeId] = cursor.nodeIsNamed;
      let kept = keptById[typeId];
      if (kept === undefined) kept = keptById[typeId] = named || isKeptToken(typeNames[typeId] ?? '');
      if (!kept) {
        // Punctuation tokens carry nothing the rules read; skipping them saves most of their wasm calls.
        if (cursor.gotoNextSibling()) continue;
        let climbed = false;
        while (cursor.gotoParent()) {
          if (current.parent === null) break;
          current = current.parent;
          if (cursor.gotoNextSibling()) {
            climbed = true;
            break;
          }
        }
        if (climbed) continue;
        break;
      }
      const fieldId = cursor.currentFieldId;
      const node: PyNode = {
        type: typeNames[typeId] ?? 'ERROR',
        start: cursor.startIndex,
        end: cursor.endIndex,
        field: fieldId ? (fieldNames[fieldId] ?? null) : null,
        named,
        children: [],
        parent: current,
      };
      current.children.push(node);
      let collect = collectById[typeId];
      if (collect === undefined) collect = collectById[typeId] = collectTypes?.has(node.type) ?? false;
      if (collect) collected?.push(node);
      let opaque = opaqueById[typeId];
      if (opaque === undefined) opaque = opaqueById[typeId] = !named || OPAQUE_TYPES.has(node.type);
      if (!opaque && cursor.gotoFirstChild()) {
        current = node;
        continue;
      }
      let moved = false;
      while (!moved) {
        if (cursor.gotoNextSibling()) moved = true;
        else if (cursor.gotoParent()) {
          if (current.parent === null) break;
          current = current.parent;
        } else break;
      }
      if (!moved) break;
    }
  }
  cursor.delete();
  return root;
}

/** Anonymous tokens worth keeping: keywords (`async`, `except`, `for`...), `-` (unary minus) and `(`. */
function isKeptToken(type: string): boolean {
  if (type === '-' || type === '(') return true;
  for (let i = 0; i < type.length; i++) {
    const code = type.charCodeAt(i);
    if (!(code >= 97 && code <= 122) && code !== 95) return false;
  }
  return type.length > 0;
}

export function field(node: PyNode, name: string): PyNode | undefined {
  for (const child of node.children) if (child.field === name) return child;
  return undefined;
}

export function fields(node: PyNode, name: string): PyNode[] {
  return node.children.filter((child) => child.field === name);
}

export function namedChildren(node: PyNode): PyNode[] {
  return node.children.filter((child) => child.named && child.type !== 'comment');
}

/** Every descendant (not `node` itself) in source order; `enter` may return false to skip a subtree. */
export function walk(node: PyNode, visit: (node: PyNode) => boolean | void): void {
  const stack: PyNode[] = [];
  for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (visit(next) === false) continue;
    for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i]);
  }
}

export function descendants(node: PyNode, type: string | ReadonlySet<string>, stopAt?: ReadonlySet<string>): PyNode[] {
  const found: PyNode[] = [];
  const matches = typeof type === 'string' ? (t: string) => t === type : (t: string) => type.has(t);
  walk(node, (n) => {
    if (matches(n.type)) found.push(n);
    return !(stopAt?.has(n.type) ?? false);
  });
  return found;
}

export function ancestors(node: PyNode): PyNode[] {
  const list: PyNode[] = [];
  for (let p = node.parent; p; p = p.parent) list.push(p);
  return list;
}

export function isInside(inner: PyNode, outer: PyNode): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

export type { TsNode };
