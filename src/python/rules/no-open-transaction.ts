import type { PythonFile, Scope } from '../model';
import type { PythonRule } from '../rule';
import { ancestors, field, walk, type PyNode } from '../tree';
import { nextSibling, statementOf } from '../paths';

const ENDING_METHODS: ReadonlySet<string> = new Set(['rollback', 'close', 'putconn', 'release']);

/** Whether `node` (a block/clause) calls rollback/close/putconn/release on anything. */
function endsTransaction(file: PythonFile, node: PyNode): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n.type === 'call') {
      const callee = field(n, 'function');
      const method = callee?.type === 'attribute' ? field(callee, 'attribute') : undefined;
      if (method && ENDING_METHODS.has(file.text(method))) found = true;
      // `cur.execute("ROLLBACK")`
      const args = file.callArguments(n);
      const sql = file.stringValue(args.positional[0]);
      if (sql && /^\s*rollback\b/i.test(sql)) found = true;
    }
    return !found;
  });
  return found;
}

/** A try statement whose error paths end the transaction: rollback/close in an except that catches broadly, or in finally. */
function guards(file: PythonFile, tryStatement: PyNode): boolean {
  return tryStatement.children.some((c) => (c.type === 'finally_clause' || c.type === 'except_clause') && endsTransaction(file, c));
}

function isBeginSql(file: PythonFile, call: PyNode): boolean {
  const callee = field(call, 'function');
  const method = callee?.type === 'attribute' ? field(callee, 'attribute') : undefined;
  if (!method || file.text(method) !== 'execute') return false;
  const sql = file.stringValue(file.callArguments(call).positional[0]);
  return sql !== undefined && /^\s*(begin|start\s+transaction)\b/i.test(sql);
}

/** Method names that can begin a transaction in some driver table, or run a BEGIN statement. */
const BEGIN_METHOD_NAMES: ReadonlySet<string> = new Set(['execute', 'begin', 'transaction', 'start_transaction']);

function isExplicitBegin(file: PythonFile, scope: Scope, call: PyNode): string | undefined {
  const callee = field(call, 'function');
  const attribute = callee?.type === 'attribute' ? field(callee, 'attribute') : undefined;
  if (!attribute || !BEGIN_METHOD_NAMES.has(file.text(attribute))) return undefined;
  if (isBeginSql(file, call)) return file.text(call);
  const method = file.methodCall(call, scope);
  if (method?.spec.kind !== 'begin') return undefined;
  // `with conn.begin():` / `async with conn.transaction():` end the transaction themselves.
  if (call.parent?.type === 'with_item' || (call.parent?.type === 'as_pattern' && call.parent.parent?.type === 'with_item')) return undefined;
  if (call.parent?.type === 'await' && call.parent.parent?.type === 'with_item') return undefined;
  // asyncpg: `tr = conn.transaction()` only begins at `await tr.start()`; the assignment is where we point.
  return `${file.text(call)}`;
}

export const noOpenTransaction: PythonRule = {
  name: 'no-open-transaction',
  check(file, report) {
    for (const scope of file.scopes) {
      if (scope.isModule) continue;
      for (const node of file.nodesIn(scope, ['call', 'try_statement'])) {
        if (node.type === 'call') {
          const begin = isExplicitBegin(file, scope, node);
          if (!begin) continue;
          const statement = statementOf(node);
          const insideGuard = ancestors(node).some((a) => a.type === 'try_statement' && guards(file, a) && field(a, 'body') && node.start >= field(a, 'body')!.start && node.end <= field(a, 'body')!.end);
          if (insideGuard) continue;
          // `begin` then a guarded try right after it.
          const next = nextSibling(statement);
          if (next?.type === 'try_statement' && guards(file, next)) continue;
          report({
            at: node,
            message: `\`${begin}\` starts a transaction that an exception leaves open ("idle in transaction", holding locks): roll back in an \`except\`/\`finally\`, or use the transaction as a context manager.`,
          });
        }
        if (node.type === 'try_statement') checkSwallowingTry(file, node, report);
      }
    }
  },
};

/**
 * `try: cur.execute(...); conn.commit()  except DbError: log(...)` with no rollback: the connection
 * stays in an aborted transaction and refuses every later statement.
 */
function checkSwallowingTry(file: PythonFile, tryStatement: PyNode, report: Parameters<PythonRule['check']>[1]): void {
  const body = field(tryStatement, 'body');
  if (!body) return;
  let commits = false;
  walk(body, (n) => {
    if (n.type === 'call') {
      const callee = field(n, 'function');
      const method = callee?.type === 'attribute' ? field(callee, 'attribute') : undefined;
      if (method && file.text(method) === 'commit') commits = true;
    }
    return !commits && n.type !== 'function_definition';
  });
  if (!commits) return;
  if (tryStatement.children.some((c) => c.type === 'finally_clause' && endsTransaction(file, c))) return;
  for (const handler of tryStatement.children.filter((c) => c.type === 'except_clause')) {
    if (endsTransaction(file, handler)) continue;
    let reraises = false;
    walk(handler, (n) => {
      if (n.type === 'raise_statement') reraises = true;
      return !reraises;
    });
    if (reraises) continue;
    report({
      at: { start: handler.children[0].start, end: handler.children[0].end },
      message: 'This handler keeps going after a failed statement without rolling back: the connection stays in an aborted transaction ("idle in transaction") and rejects every later query. Call rollback() here.',
    });
  }
}
