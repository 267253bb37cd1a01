import type { TextEdit } from '../../engine/types';
import type { CallArguments, PythonFile, Scope } from '../model';
import { field, type PyNode } from '../tree';

/** Inserts `name=value` as the call's last argument, keeping an existing trailing comma valid. */
export function addKeywordArgument(file: PythonFile, args: CallArguments, keywordText: string): TextEdit | undefined {
  const list = args.list;
  if (!list) return undefined;
  const items = list.children.filter((c) => c.named && c.type !== 'comment');
  const last = items[items.length - 1];
  if (!last) {
    const open = list.children[0];
    return open?.type === '(' ? { start: open.end, end: open.end, text: keywordText } : undefined;
  }
  return { start: last.end, end: last.end, text: `, ${keywordText}` };
}

export interface DatabaseUrl {
  readonly database: 'postgresql' | 'mysql' | 'other';
  /** The DBAPI driver SQLAlchemy will use for this URL. */
  readonly driver: string;
  readonly query: ReadonlyMap<string, string>;
}

/** SQLAlchemy URL `dialect+driver://...?...`, read from a string literal. */
export function parseDatabaseUrl(url: string): DatabaseUrl | undefined {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd <= 0) return undefined;
  const [dialect, explicitDriver] = url.slice(0, schemeEnd).toLowerCase().split('+');
  const queryStart = url.indexOf('?');
  const query = new Map<string, string>();
  if (queryStart !== -1) {
    for (const pair of url.slice(queryStart + 1).split('&')) {
      const eq = pair.indexOf('=');
      query.set(eq === -1 ? pair : pair.slice(0, eq), eq === -1 ? '' : pair.slice(eq + 1));
    }
  }
  if (dialect === 'postgresql' || dialect === 'postgres') return { database: 'postgresql', driver: explicitDriver ?? 'psycopg2', query };
  if (dialect === 'mysql' || dialect === 'mariadb') return { database: 'mysql', driver: explicitDriver ?? 'mysqldb', query };
  return { database: 'other', driver: explicitDriver ?? dialect, query };
}

/**
 * The engine URL of a `create_engine(...)` call. With `partial`, a URL built at run time whose
 * scheme is written out (`f"mysql+pymysql://{user}@{host}/db"`, `"mysql+pymysql://" + rest`, a
 * module constant) gives its database and driver, with no query options known.
 */
export function engineUrl(file: PythonFile, args: CallArguments, options: { readonly partial?: boolean } = {}): DatabaseUrl | undefined {
  const node = args.positional[0] ?? args.keywords.get('url');
  const value = file.stringValue(node);
  if (value !== undefined) return parseDatabaseUrl(value);
  if (!options.partial || !node) return undefined;
  const prefix = literalPrefix(file, node, 0);
  if (!prefix || !prefix.includes('://')) return undefined;
  const url = parseDatabaseUrl(prefix.slice(0, prefix.indexOf('://') + 3));
  return url && { ...url, query: new Map() };
}

/** The text an expression's value starts with, when it starts with a literal (f-string, `+`, `.format`, a module constant). */
function literalPrefix(file: PythonFile, node: PyNode, depth: number): string | undefined {
  if (depth > 4) return undefined;
  if (node.type === 'string') {
    let text = '';
    for (const child of node.children) {
      if (child.type === 'string_content') text += file.text(child);
      else if (child.type === 'interpolation') return text;
    }
    return text;
  }
  if (node.type === 'binary_operator') {
    // The operator token is not kept in the tree copy: read it between the operands.
    const [left, right] = node.children.filter((c) => c.named);
    if (left && right && file.source.text.slice(left.end, right.start).trim() === '+') return literalPrefix(file, left, depth + 1);
    return undefined;
  }
  if (node.type === 'call') {
    const callee = field(node, 'function');
    if (callee?.type === 'attribute' && file.text(field(callee, 'attribute')!) === 'format') return literalPrefix(file, field(callee, 'object')!, depth + 1);
    return undefined;
  }
  if (node.type === 'identifier') {
    // A module-level constant assigned once.
    const name = file.text(node);
    let found: PyNode | undefined;
    for (const assignment of file.nodesIn(file.moduleScope, ['assignment'])) {
      const left = field(assignment, 'left');
      if (left?.type !== 'identifier' || file.text(left) !== name) continue;
      if (found) return undefined;
      found = field(assignment, 'right');
    }
    return found ? literalPrefix(file, found, depth + 1) : undefined;
  }
  return undefined;
}

/** Keys of a dict literal (`{"connect_timeout": 5}` or `dict(connect_timeout=5)`); undefined when not a literal. */
export function literalDictKeys(file: PythonFile, node: PyNode | undefined): Map<string, PyNode> | undefined {
  if (!node) return undefined;
  const keys = new Map<string, PyNode>();
  if (node.type === 'dictionary') {
    for (const pair of node.children) {
      if (pair.type === 'dictionary_splat') return undefined;
      if (pair.type !== 'pair') continue;
      const key = file.stringValue(field(pair, 'key'));
      const value = field(pair, 'value');
      if (key === undefined || !value) return undefined;
      keys.set(key, value);
    }
    return keys;
  }
  if (node.type === 'call' && file.text(field(node, 'function')!) === 'dict') {
    const args = file.callArguments(node);
    if (args.hasSplat || args.positional.length > 0) return undefined;
    return args.keywords;
  }
  return undefined;
}

/** libpq `key=value` connection strings and `postgresql://...?key=value` URIs: does `key` appear? */
export function libpqStringHasKey(dsn: string, key: string): boolean {
  if (dsn.includes('://')) return (parseDatabaseUrl(dsn)?.query.has(key)) ?? false;
  return dsn.split(/\s+/).some((part) => part.split('=')[0].trim() === key);
}

export { isDatabaseCall } from '../sharing';
import { isDatabaseCall } from '../sharing';

export function containsDatabaseCall(file: PythonFile, scope: Scope, node: PyNode): boolean {
  let found = false;
  const stack = [node];
  while (stack.length > 0 && !found) {
    const current = stack.pop()!;
    if (current.type === 'call' && isDatabaseCall(file, scope, current)) found = true;
    if (current.type === 'function_definition' || current.type === 'lambda' || current.type === 'class_definition') continue;
    for (const child of current.children) stack.push(child);
  }
  return found;
}

/** Descendants of `node` in its own function (not in nested functions), in source order. */
export function within(node: PyNode, type: string | ReadonlySet<string>): PyNode[] {
  const types = typeof type === 'string' ? new Set([type]) : type;
  const found: PyNode[] = [];
  const stack = [...node.children].reverse();
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (types.has(current.type)) found.push(current);
    if (current.type === 'function_definition' || current.type === 'lambda' || current.type === 'class_definition') continue;
    for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]);
  }
  return found;
}

/** Qualified names of the exception classes an except clause catches; `[]` for a bare `except:`. */
export function caughtExceptions(file: PythonFile, clause: PyNode): { names: string[]; nodes: PyNode[]; bare: boolean } {
  const typeNode = clause.children.find((c) => c.named && c.type !== 'block' && c.type !== 'comment');
  if (!typeNode) return { names: [], nodes: [], bare: true };
  let target = typeNode;
  if (target.type === 'as_pattern') target = target.children[0];
  const nodes = target.type === 'tuple' || target.type === 'parenthesized_expression' ? target.children.filter((c) => c.named) : [target];
  const names = nodes.map((n) => file.qualifiedName(n) ?? (n.type === 'identifier' ? `builtins.${file.text(n)}` : file.text(n)));
  return { names, nodes, bare: false };
}

export const BROAD_EXCEPTIONS: ReadonlySet<string> = new Set(['builtins.Exception', 'builtins.BaseException']);

export const SLEEP_CALLS: ReadonlySet<string> = new Set(['time.sleep', 'asyncio.sleep', 'gevent.sleep', 'trio.sleep', 'anyio.sleep']);

export function isSleepCall(file: PythonFile, call: PyNode): boolean {
  const callee = field(call, 'function');
  const qualified = callee ? file.qualifiedName(callee) : undefined;
  return qualified !== undefined && SLEEP_CALLS.has(qualified);
}

export function calleeText(file: PythonFile, call: PyNode): string {
  const callee = field(call, 'function');
  return callee ? file.text(callee) : 'call';
}
