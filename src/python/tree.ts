import type { Node as TsNode, Tree, TreeCursor } from 'web-tree-sitter';
import { directCursor, type CursorExports } from './parser';

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
  'identifier', 'integer', 'float', 'true', 'false', 'none', 'ellipsis', 'comment', 'string_content', 'escape_sequence',
]);

/**
 * The only anonymous tokens a rule reads: a function's `async`, the `except`/`for`/`while` keyword a
 * finding points at, unary `-` in numbers and an argument list's `(` a keyword argument is inserted after.
 */
const KEPT_TOKENS: ReadonlySet<string> = new Set(['async', 'except', 'for', 'while', '-', '(']);

/** Named nodes no rule reads: a string's value is its `string_content` and `interpolation` children. */
const DROPPED_NAMED_TYPES: ReadonlySet<string> = new Set(['string_start', 'string_end']);

/**
 * Node types whose children never carry a field name, from the Python grammar's node-types.json
 * (test/unit/python/tree-copy.test.ts checks this list against it): their children's field id is
 * not asked for, one wasm call less per child. Types not listed (ERROR among them) are asked.
 */
export const FIELDLESS_TYPES: ReadonlySet<string> = new Set([
  'module', 'expression_statement', 'argument_list', 'string', 'return_statement', 'dictionary', 'parameters', 'tuple', 'list', 'set',
  'expression_list', 'parenthesized_expression', 'with_clause', 'decorator', 'dotted_name', 'finally_clause', 'await', 'yield',
  'list_splat', 'dictionary_splat', 'concatenated_string', 'conditional_expression', 'global_statement', 'nonlocal_statement',
  'pass_statement', 'break_statement', 'continue_statement', 'delete_statement', 'assert_statement', 'pattern_list', 'slice',
  'type', 'generic_type', 'lambda_parameters', 'string_content',
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
  const openParenId = language.idForNodeType('(', false);
  const treeCursor = tree.walk();
  const root: PyNode = { type: treeCursor.nodeType, start: treeCursor.startIndex, end: treeCursor.endIndex, field: null, named: true, children: [], parent: null };
  const cursor = cursorFor(tree, treeCursor);
  let current = root;
  let childrenHaveFields = !FIELDLESS_TYPES.has(root.type);
  // Depth-first with an explicit stack so deeply nested input cannot overflow the JS stack.
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const typeId = cursor.nodeTypeId;
      let named = namedById[typeId];
      if (named === undefined) named = namedById[typeId] = cursor.nodeIsNamed;
      let kept = keptById[typeId];
      if (kept === undefined) {
        const name = typeNames[typeId] ?? '';
        kept = keptById[typeId] = named ? !DROPPED_NAMED_TYPES.has(name) : KEPT_TOKENS.has(name);
      }
      // `(` is read only as the opening of an argument list (where a keyword argument is inserted).
      if (kept && typeId === openParenId && current.type !== 'argument_list') kept = false;
      if (!kept) {
        // Punctuation tokens carry nothing the rules read; skipping them saves most of their wasm calls.
        if (cursor.gotoNextSibling()) continue;
        let climbed = false;
        while (cursor.gotoParent()) {
          if (current.parent === null) break;
          current = current.parent;
          childrenHaveFields = !FIELDLESS_TYPES.has(current.type);
          if (cursor.gotoNextSibling()) {
            climbed = true;
            break;
          }
        }
        if (climbed) continue;
        break;
      }
      const fieldId = childrenHaveFields ? cursor.currentFieldId : 0;
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
        childrenHaveFields = !FIELDLESS_TYPES.has(node.type);
        continue;
      }
      let moved = false;
      while (!moved) {
        if (cursor.gotoNextSibling()) moved = true;
        else if (cursor.gotoParent()) {
          if (current.parent === null) break;
          current = current.parent;
          childrenHaveFields = !FIELDLESS_TYPES.has(current.type);
        } else break;
      }
      if (!moved) break;
    }
  }
  cursor.delete();
  return root;
}

/** The TreeCursor members the copy uses. */
type CopyCursor = Pick<TreeCursor, 'nodeTypeId' | 'nodeIsNamed' | 'currentFieldId' | 'startIndex' | 'endIndex' | 'gotoFirstChild' | 'gotoNextSibling' | 'gotoParent' | 'delete'>;

/**
 * The same operations through the runtime's exported functions: the cursor's state stays in the
 * transfer buffer between calls (each goto call writes it back there) instead of being copied in
 * and out by TreeCursor around every call. `treeCursor` must be the last cursor used before this.
 */
class DirectCursor implements CopyCursor {
  constructor(
    private readonly wasm: CursorExports,
    private readonly transferBuffer: number,
    private readonly treeCursor: TreeCursor,
    private readonly treeAddress: number,
  ) {}
  get nodeTypeId(): number { return this.wasm._ts_tree_cursor_current_node_type_id_wasm(this.treeAddress); }
  get nodeIsNamed(): boolean { return this.wasm._ts_tree_cursor_current_node_is_named_wasm(this.treeAddress) === 1; }
  get currentFieldId(): number { return this.wasm._ts_tree_cursor_current_field_id_wasm(this.treeAddress); }
  get startIndex(): number { return this.wasm._ts_tree_cursor_start_index_wasm(this.treeAddress); }
  get endIndex(): number { return this.wasm._ts_tree_cursor_end_index_wasm(this.treeAddress); }
  gotoFirstChild(): boolean { return this.wasm._ts_tree_cursor_goto_first_child_wasm(this.treeAddress) === 1; }
  gotoNextSibling(): boolean { return this.wasm._ts_tree_cursor_goto_next_sibling_wasm(this.treeAddress) === 1; }
  gotoParent(): boolean { return this.wasm._ts_tree_cursor_goto_parent_wasm(this.treeAddress) === 1; }
  delete(): void {
    // The goto calls may have moved the cursor's stack: hand its current state back before freeing it.
    const state = this.treeCursor as unknown as Record<number, number>;
    const heap = this.wasm.HEAP32; // read now: the memory may have grown since
    for (let i = 0; i < 4; i++) state[i] = heap[(this.transferBuffer >> 2) + i];
    this.treeCursor.delete();
  }
}

function cursorFor(tree: Tree, treeCursor: TreeCursor): CopyCursor {
  const direct = directCursor();
  const treeAddress = (tree as unknown as Record<number, number>)[0];
  if (!direct || typeof treeAddress !== 'number') return treeCursor;
  // A TreeCursor getter leaves the cursor's state in the transfer buffer; check that the direct calls read it.
  const typeId = treeCursor.nodeTypeId;
  const cursor = new DirectCursor(direct.functions, direct.transferBuffer, treeCursor, treeAddress);
  return cursor.nodeTypeId === typeId && cursor.endIndex === treeCursor.endIndex ? cursor : treeCursor;
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
