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
    return silent;
  });
  return silent;
}

export const noSwallowedDbError: PythonRule = {
  name: 'no-swallowed-db-error',
  check(file, report) {
    for (const scope of file.scopes) {
      for (const node of file.nodesIn(scope, ['except_clause'])) {
        if (!isSilent(file, node)) continue;
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
