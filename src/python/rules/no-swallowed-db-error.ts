import { databaseException } from '../libraries';
import type { PythonFile, Scope } from '../model';
import type { PythonRule } from '../rule';
import { ancestors, field, walk, type PyNode } from '../tree';
import { BROAD_EXCEPTIONS, caughtExceptions, containsDatabaseCall } from './common';

/** A handler that neither calls anything (logging, metrics, cleanup) nor raises nor keeps the error. */
function isSilent(file: PythonFile, handler: PyNode): boolean {
  const body = handler.children.find((c) => c.type === 'block');
  if (!body) return false;
  const typeNode = handler.children.find((c) => c.type === 'as_pattern');
  const alias = typeNode ? field(typeNode, 'alias') : undefined;
  const aliasName = alias ? file.text(alias).trim() : undefined;
  let silent = true;
  walk(body, (node) => {
    if (!silent) return false;
    if (node.type === 'call' || node.type === 'raise_statement' || node.type === 'yield' || node.type === 'await') silent = false;
    if (aliasName && node.type === 'identifier' && file.text(node) === aliasName) silent = false;
    // The error becomes a result someone reads: a status returned (`return "failed"`, `return False, 409`)
    // or recorded (`result["streaming"] = False`, `ok = False`).
    if (node.type === 'return_statement' && !returnsNothing(file, node)) silent = false;
    if ((node.type === 'assignment' || node.type === 'augmented_assignment') && recordsStatus(file, handler, node)) silent = false;
    return silent;
  });
  return silent;
}

/**
 * An assignment that keeps a status someone reads: into a structure (`result["ok"] = False`,
 * `self.failed = True`), or a local read after the handler. `x = None` and dead stores keep nothing.
 */
function recordsStatus(file: PythonFile, handler: PyNode, assignment: PyNode): boolean {
  const left = field(assignment, 'left');
  const right = field(assignment, 'right');
  if (!left || right?.type === 'none') return false;
  if (left.type === 'subscript' || left.type === 'attribute') return true;
  if (left.type !== 'identifier') return false;
  const name = file.text(left);
  let fn: PyNode | null = handler.parent;
  while (fn && fn.type !== 'function_definition' && fn.type !== 'module') fn = fn.parent;
  if (!fn) return false;
  let readLater = false;
  walk(fn, (node) => {
    if (readLater) return false;
    if (node.type === 'identifier' && node.start >= handler.end && file.text(node) === name) readLater = true;
    return !readLater;
  });
  return readLater;
}

/** `return`, `return None`, `return []`: the caller learns nothing of the failure. */
function returnsNothing(file: PythonFile, node: PyNode): boolean {
  const value = node.children.find((c) => c.named && c.type !== 'comment');
  if (!value || value.type === 'none') return true;
  if ((value.type === 'list' || value.type === 'dictionary' || value.type === 'tuple') && !value.children.some((c) => c.named)) return true;
  return value.type === 'string' && file.stringValue(value) === '';
}

/** `try: while alive(): poll()  except Error: pass`: the error is how the polling ends (the server went away). */
function endsPollingLoop(tryStatement: PyNode | null): boolean {
  const body = tryStatement ? field(tryStatement, 'body') : undefined;
  const statements = body?.children.filter((c) => c.named && c.type !== 'comment') ?? [];
  return statements.length > 0 && statements.every((s) => s.type === 'while_statement' || s.type === 'expression_statement' || s.type === 'pass_statement') && statements.some((s) => s.type === 'while_statement');
}

export const noSwallowedDbError: PythonRule = {
  name: 'no-swallowed-db-error',
  check(file, report) {
    for (const scope of file.scopes) {
      for (const node of file.nodesIn(scope, ['except_clause'])) {
        if (!isSilent(file, node)) continue;
        if (endsPollingLoop(node.parent)) continue;
        // Best-effort work while handling another error (logging the failure, closing): the real
        // error is the one being handled, and it is not this handler's to report.
        if (ancestors(node).some((a) => a.type === 'except_clause' || a.type === 'finally_clause')) continue;
        // Inside a loop a silent handler is a retry or a deliberate skip; require-retry-backoff judges retries.
        if (ancestors(node).some((a) => a.type === 'for_statement' || a.type === 'while_statement')) continue;
        checkHandler(file, scope, node, report);
      }
    }
  },
};

function checkHandler(file: PythonFile, scope: Scope, handler: PyNode, report: Parameters<PythonRule['check']>[1]): void {
  const caught = caughtExceptions(file, handler);
  const tryStatement = handler.parent;
  const tryBody = tryStatement ? field(tryStatement, 'body') : undefined;
  const dbIndex = caught.names.findIndex((name) => databaseException(name) !== undefined);
  const broad = caught.bare || caught.names.some((name) => BROAD_EXCEPTIONS.has(name));
  let what: string | undefined;
  if (dbIndex !== -1) what = `\`${file.text(caught.nodes[dbIndex])}\``;
  else if (broad && tryBody && containsDatabaseCall(file, scope, tryBody)) what = caught.bare ? 'every error (bare `except:`) around a database call' : 'every error around a database call';
  if (!what) return;
  const keyword = handler.children[0];
  const body = handler.children.find((c) => c.type === 'block');
  const statements = body?.children.filter((c) => c.named && c.type !== 'comment') ?? [];
  const onlyPass = statements.length === 1 && statements[0].type === 'pass_statement';
  const suggestions = onlyPass ? [{ title: 'Re-raise the error', edits: [{ start: statements[0].start, end: statements[0].end, text: 'raise' }] }] : [];
  report({
    at: { start: keyword.start, end: (caught.nodes[0] ?? keyword).end },
    message: `This handler catches ${what} and drops it without logging or re-raising: failed queries and lost connections go unnoticed. Log it (logger.exception) or re-raise.`,
    suggestions,
  });
}
