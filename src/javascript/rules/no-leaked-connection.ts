import { type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { ANY_CHECKOUT_RELEASE_METHODS } from '../libraries/drivers';
import { JAVASCRIPT_CHECKOUT_VOCABULARY } from '../../engine/libraries/evidence';
import { noteRelated } from '../analysis/related';
import { enclosingFunction, isFunction, isUnreachable, methodCall, propertyName, some, statementList, statementOf, unwrapValue } from '../analysis/ast';
import { hasMultilineLiteral, indentUnit, isExpressionStatementOf, lineIndent, lineStartOffset, reindent } from '../analysis/edits';
import { fileModel, type FileModel, type Handle } from '../analysis/model';
import { canExitEarly, destinationOf, isCatchAndAfterRelease, isGuaranteedRelease, usesOf } from '../analysis/ownership';
import { createDbhealthRule } from './create-rule';

type MessageId = 'neverReleased' | 'releaseSkipped' | 'notEveryPath' | 'discarded' | 'callbackBranch' | 'wrapInTryFinally';

export default createDbhealthRule<MessageId>('no-leaked-connection', {
  hasSuggestions: true,
  messages: {
    neverReleased: '`{{name}}` is never {{verb}}: each call leaks a connection until the pool or server runs out. Release it in a `finally` block.',
    releaseSkipped: '`{{name}}` is {{verb}} by `{{name}}.{{method}}()` only when nothing before it throws or returns: every failure leaks the connection. Move the release into a `finally` block.',
    notEveryPath: '`{{name}}` is {{verb}} only on some paths; the others leak the connection. Release it in a `finally` block.',
    discarded: 'The checked-out connection is dropped without being released: it stays out of the pool for good.',
    callbackBranch: 'Not every path of this callback releases `{{name}}`; a path that skips the release leaks the connection.',
    wrapInTryFinally: 'Wrap the code that uses `{{name}}` in try/finally and release it in `finally`',
  },
  create(context) {
    const model = fileModel(context);
    const sourceCode = context.sourceCode;

    function checkAcquisition(node: TSESTree.Node, handle: Handle, releaseMethods: ReadonlySet<string>, verb: string, releaseCall: (name: string) => string): void {
      const destination = destinationOf(sourceCode, node);
      if (destination.kind === 'discarded') {
        if (handle.kind === 'checkout') context.report({ node, messageId: 'discarded' });
        return;
      }
      if (destination.kind === 'promise-callback') {
        checkThenCallback(node, destination.callback, releaseMethods);
        return;
      }
      if (destination.kind !== 'variable') return;
      const { variable } = destination;
      // `await using conn = await pool.getConnection()`: disposed on every path (TypeScript 5.2, ES2026).
      if (destination.disposed) return;
      // A connection kept at module level lives as long as the process: that is its owner's choice.
      if (handle.kind === 'connection' && !enclosingFunction(node)) return;
      const uses = usesOf(variable, releaseMethods, { releasedArguments: releasesThroughHelper, sourceCode });
      if (uses.transferred) return;
      if (uses.releases.length === 0 && uses.memberUses.length === 0) return;
      // Only the pool's name said "pool": without a release in sight there is no proof it is one.
      if (handle.via === 'name' && uses.releases.length === 0) return;
      if (uses.releases.some((release) => isGuaranteedRelease(release, node))) return;
      if (isCatchAndAfterRelease(uses.releases, node)) return;
      const name = variable.name;
      const statement = statementOf(node);
      if (uses.releases.length === 0) {
        context.report({
          node,
          messageId: 'neverReleased',
          data: { name, verb },
          suggest: statement ? wrapSuggestion(statement, undefined, name, releaseCall(name)) : [],
        });
        return;
      }
      const owner = enclosingFunction(node);
      // Releases only inside callbacks (`.then(() => client.release())`): the order is not ours to judge.
      if (uses.releases.every((release) => enclosingFunction(release) !== owner)) return;
      const list = statement ? statementList(statement) : undefined;
      const siteIndex = list && statement ? list.indexOf(statement) : -1;
      const release = uses.releases
        .map((call) => list?.find((s, i) => i > siteIndex && (isExpressionStatementOf(s, call) || releasesThroughHelper(call).length > 0 && statementOf(call) === s)))
        .find((s): s is TSESTree.Statement => s !== undefined);
      const method = methodCall(uses.releases[0])?.method ?? 'release';
      const skipped = uses.releases.map((call) => ({ node: call as TSESTree.Node, message: `\`${name}\` is released here only on some paths` }));
      if (!release || !list || !statement) {
        context.report({ node, messageId: 'notEveryPath', data: { name, verb } });
        noteRelated(context, node, skipped);
        return;
      }
      const between = list.slice(siteIndex + 1, list.indexOf(release));
      if (!between.some((s) => canExitEarly(s))) return;
      const trailing = list.slice(list.indexOf(release) + 1);
      // A helper call that releases (`const r = await withTx(client, …)`) is not a statement to move.
      const movable = release.type === AST_NODE_TYPES.ExpressionStatement;
      const safe = movable && !declaresNamesUsedLater(between, trailing) && !hasMultilineLiteral(sourceCode, [statement.range[0], release.range[1]]);
      context.report({
        node,
        messageId: 'releaseSkipped',
        data: { name, method, verb },
        fix: safe ? (fixer) => wrapFix(fixer, between, release) : null,
        suggest: safe || !movable ? [] : wrapSuggestion(statement, release, name, sourceCode.getText(release)),
      });
      noteRelated(context, node, [{ node: release, message: `\`${name}.${method}()\` is skipped when anything before it throws or returns` }]);
    }

    /** A call that hands the connection to a helper of the project that releases it (`releaseClient(client)`). */
    function releasesThroughHelper(call: TSESTree.CallExpression): number[] {
      return model.calleeFacts(call)?.releases?.slice() ?? [];
    }

    /** `pool.connect().then((client) => …)`: the callback must release the client on every path. */
    function checkThenCallback(acquisition: TSESTree.Node, callback: TSESTree.Node, releaseMethods: ReadonlySet<string>): void {
      if (!isFunction(callback)) return;
      const param = callback.params[0];
      // `db.pool.connect().then(() => …)`: the client is resolved and dropped.
      if (!param) {
        context.report({ node: acquisition, messageId: 'discarded' });
        return;
      }
      if (param.type !== AST_NODE_TYPES.Identifier) return;
      const variable = sourceCode.scopeManager?.getDeclaredVariables(callback).find((v) => v.name === param.name);
      if (!variable) return;
      const uses = usesOf(variable, releaseMethods, { releasedArguments: releasesThroughHelper, sourceCode });
      if (uses.transferred) return;
      if (uses.releases.length === 0) {
        context.report({ node: acquisition, messageId: 'neverReleased', data: { name: param.name, verb: 'released' } });
        return;
      }
      if (!releasesOnEveryPath(callback, (n) => uses.releases.includes(n as TSESTree.CallExpression))) {
        context.report({ node: acquisition, messageId: 'callbackBranch', data: { name: param.name } });
      }
    }

    function declaresNamesUsedLater(moved: readonly TSESTree.Node[], later: readonly TSESTree.Node[]): boolean {
      if (later.length === 0) return false;
      const names = new Set<string>();
      for (const statement of moved) for (const variable of sourceCode.scopeManager?.getDeclaredVariables(statement) ?? []) names.add(variable.name);
      for (const statement of moved) {
        if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
          for (const declarator of statement.declarations) for (const variable of sourceCode.scopeManager?.getDeclaredVariables(declarator) ?? []) names.add(variable.name);
        }
      }
      if (names.size === 0) return false;
      return later.some((s) => some(s, (n) => n.type === AST_NODE_TYPES.Identifier && names.has(n.name), false));
    }

    /** `try { <between> } finally { <release> }` in place of the statements and the release. */
    function wrapFix(fixer: TSESLint.RuleFixer, between: readonly TSESTree.Node[], release: TSESTree.Node): TSESLint.RuleFix {
      const indent = lineIndent(sourceCode, release);
      const unit = indentUnit(indent);
      const start = lineStartOffset(sourceCode, between[0]);
      // Everything up to the release's line, comments included.
      const body = sourceCode.text.slice(start, lineStartOffset(sourceCode, release)).trimEnd();
      const text = `${indent}try {\n${reindent(body, unit)}\n${indent}} finally {\n${indent}${unit}${sourceCode.getText(release)}\n${indent}}`;
      return fixer.replaceTextRange([start, release.range[1]], text);
    }

    /**
     * Wraps every statement after the acquisition up to the end of its block. Offered, not applied:
     * code after an existing release then runs before it, which only the author can judge.
     */
    function wrapSuggestion(statement: TSESTree.Node, release: TSESTree.Node | undefined, name: string, releaseText: string) {
      const list = statementList(statement as TSESTree.Statement);
      if (!list) return [];
      const rest = list.slice(list.indexOf(statement) + 1).filter((s) => s !== release);
      if (rest.length === 0) return [];
      if (hasMultilineLiteral(sourceCode, [statement.range[0], list.at(-1)!.range[1]])) return [];
      const indent = lineIndent(sourceCode, rest[0]);
      const unit = indentUnit(indent);
      const start = lineStartOffset(sourceCode, rest[0]);
      const end = list.at(-1)!.range[1];
      let body = sourceCode.text.slice(start, end);
      if (release) {
        // Cut the old release's own line out of the moved code.
        const from = lineStartOffset(sourceCode, release) - start;
        const to = sourceCode.text.indexOf('\n', release.range[1]);
        body = body.slice(0, from) + (to === -1 || to >= end ? '' : sourceCode.text.slice(to + 1, end));
      }
      const text = `${indent}try {\n${reindent(body.trimEnd(), unit)}\n${indent}} finally {\n${indent}${unit}${releaseText}\n${indent}}`;
      return [{ messageId: 'wrapInTryFinally' as const, data: { name }, fix: (fixer: TSESLint.RuleFixer) => fixer.replaceTextRange([start, end], text) }];
    }

    function checkCallbackCheckout(call: TSESTree.CallExpression, model: FileModel): void {
      const callback = call.arguments.find((a) => isFunction(a));
      if (!callback || !isFunction(callback)) return;
      const checkout = model.callbackCheckout(callback) ?? evidentCallbackCheckout(call, callback);
      if (!checkout) return;
      const connection = sourceCode.scopeManager?.getDeclaredVariables(callback).find((v) => v.name === checkout.connection.name);
      if (!connection) return;
      const uses = usesOf(connection, checkout.pool.driver ? new Set(checkout.pool.driver.checkoutReleaseMethods) : ANY_CHECKOUT_RELEASE_METHODS);
      if (uses.transferred) return;
      // Released by a function the callback keeps for later (`const onError = () => client.release()`,
      // an event listener): the release is no longer on the callback's own paths to judge.
      if (uses.releases.some((release) => releasedByStoredClosure(release, callback))) return;
      const errorParameter = callback.params[0]?.type === AST_NODE_TYPES.Identifier ? callback.params[0].name : undefined;
      const doneName = checkout.done?.name;
      const isRelease = (node: TSESTree.Node): boolean =>
        uses.releases.includes(node as TSESTree.CallExpression) ||
        (doneName !== undefined && node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === doneName);
      if (!releasesOnEveryPath(callback, isRelease, errorParameter)) {
        context.report({ node: call, messageId: 'callbackBranch', data: { name: connection.name } });
      }
    }

    /**
     * Evidence from use, for a receiver whose origin is unknown: `x.getConnection((err, conn) => …)`
     * whose callback releases `conn` somewhere is a checkout (src/engine/libraries/evidence.ts).
     */
    function evidentCallbackCheckout(call: TSESTree.CallExpression, callback: TSESTree.Node & { params: TSESTree.Parameter[] }) {
      const method = methodCall(call);
      const word = method ? JAVASCRIPT_CHECKOUT_VOCABULARY.find((w) => w.acquire === method.method) : undefined;
      // `this.connect(cb)` inside a class is the pool's own implementation, not a user of one.
      if (!method || !word || model.handle(method.receiver) || method.receiver.type === AST_NODE_TYPES.ThisExpression) return undefined;
      const [, connection, done] = callback.params;
      if (connection?.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = sourceCode.scopeManager?.getDeclaredVariables(callback).find((v) => v.name === connection.name);
      const releases = new Set(word.releases.map((r) => r.method));
      if (!variable || usesOf(variable, releases).releases.length === 0) return undefined;
      const pool: Handle = { kind: 'pool', promise: false };
      return { pool, call, connection, done: done?.type === AST_NODE_TYPES.Identifier ? done : undefined };
    }

    /** `const client = await x.connect()` whose origin is unknown, released and queried like a checkout. */
    function isEvidentCheckout(node: TSESTree.CallExpression, method: string): boolean {
      const word = JAVASCRIPT_CHECKOUT_VOCABULARY.find((w) => w.acquire === method);
      if (!word || node.arguments.length > 0) return false;
      const receiver = methodCall(node)?.receiver;
      if (receiver?.type === AST_NODE_TYPES.ThisExpression) return false;
      const destination = destinationOf(sourceCode, node);
      if (destination.kind !== 'variable') return false;
      const uses = usesOf(destination.variable, new Set(word.releases.map((r) => r.method)));
      return uses.releases.length > 0 && uses.memberUses.some((use) => word.usedAs.includes(propertyNameOf(use)));
    }

    function onCall(node: TSESTree.CallExpression | TSESTree.NewExpression): void {
      if (isUnreachable(node)) return;
      const created = model.creation(node);
      if (created?.kind === 'connection') {
        const methods = new Set(created.driver.connectionCloseMethods);
        checkAcquisition(node, created, methods, 'closed', (name) => `${created.promise ? 'await ' : ''}${name}.end();`);
        return;
      }
      if (node.type !== AST_NODE_TYPES.CallExpression) return;
      const call = methodCall(node);
      if (!call) {
        // `const client = await getClient()`: a helper of this file or the project hands out a checkout.
        const handed = model.handle(node);
        if (handed?.via === 'facts' && (handed.kind === 'checkout' || handed.kind === 'connection')) {
          const methods = handed.kind === 'connection' ? new Set(handed.driver?.connectionCloseMethods ?? ['end', 'destroy']) : handed.driver ? new Set(handed.driver.checkoutReleaseMethods) : ANY_CHECKOUT_RELEASE_METHODS;
          checkAcquisition(node, handed, methods, handed.kind === 'connection' ? 'closed' : 'released', (name) => `${name}.${handed.kind === 'connection' ? 'end' : 'release'}();`);
        }
        return;
      }
      if (call.method !== 'connect' && call.method !== 'getConnection') {
        const handed = model.handle(node);
        if (handed?.via === 'facts' && (handed.kind === 'checkout' || handed.kind === 'connection')) {
          const methods = handed.kind === 'connection' ? new Set(handed.driver?.connectionCloseMethods ?? ['end', 'destroy']) : handed.driver ? new Set(handed.driver.checkoutReleaseMethods) : ANY_CHECKOUT_RELEASE_METHODS;
          checkAcquisition(node, handed, methods, handed.kind === 'connection' ? 'closed' : 'released', (name) => `${name}.${handed.kind === 'connection' ? 'end' : 'release'}();`);
        }
        return;
      }
      const pool = model.handle(call.receiver);
      if (node.arguments.some((a) => isFunction(a))) {
        checkCallbackCheckout(node, model);
        return;
      }
      // `pool.connect(onConnected)`: a callback defined elsewhere receives, and owns, the client.
      if (node.arguments.some((a) => a.type === AST_NODE_TYPES.Identifier || a.type === AST_NODE_TYPES.MemberExpression)) return;
      if (!pool) {
        if (isEvidentCheckout(node, call.method)) checkAcquisition(node, { kind: 'checkout', promise: true }, ANY_CHECKOUT_RELEASE_METHODS, 'released', (name) => `${name}.release();`);
        return;
      }
      if (pool.kind !== 'pool' || !model.isCheckoutMethod(pool, call.method)) return;
      const releaseMethods = pool.driver ? new Set(pool.driver.checkoutReleaseMethods) : ANY_CHECKOUT_RELEASE_METHODS;
      checkAcquisition(node, { kind: 'checkout', driver: pool.driver, promise: true, ...(pool.via ? { via: pool.via } : {}) }, releaseMethods, 'released', (name) => `${name}.release();`);
    }

    return { CallExpression: onCall, NewExpression: onCall };
  },
});

type PathOutcome = 'released' | 'leaks' | 'continues';

/**
 * Whether every way out of `fn` goes through a release. Nested callbacks count when they release
 * on every path themselves (`conn.query(sql, (err, rows) => { conn.release(); ... })`). The branch
 * that handles the checkout's own error (`if (err) return cb(err)`) holds no connection.
 */
export function releasesOnEveryPath(fn: TSESTree.Node, isRelease: (node: TSESTree.Node) => boolean, errorParameter?: string): boolean {
  if (!isFunction(fn)) return false;
  const containsRelease = (node: TSESTree.Node): boolean => some(node, isRelease) || callbackReleases(node);
  const callbackReleases = (node: TSESTree.Node): boolean => {
    const value = unwrapValue(node.type === AST_NODE_TYPES.ExpressionStatement ? node.expression : node);
    if (value.type !== AST_NODE_TYPES.CallExpression) return false;
    if (value.arguments.some((argument) => isFunction(argument) && releasesOnEveryPath(argument, isRelease))) return true;
    // A promise chain (`q.then(ok).catch(fail).then(reply)`): released when a `.finally` releases, or
    // when both a `.then` and a later `.catch` (or the `.then`'s rejection handler) do.
    let thenReleases = false;
    let catchReleases = false;
    for (let link: TSESTree.Node = value; link.type === AST_NODE_TYPES.CallExpression; link = (link.callee as TSESTree.MemberExpression).object) {
      const method = methodCall(link)?.method;
      if (!method) break;
      const handlers = link.arguments.filter((argument) => isFunction(argument)).map((fn) => releasesOnEveryPath(fn, isRelease));
      if (method === 'finally' && handlers[0]) return true;
      if (method === 'then' && handlers[0]) thenReleases = true;
      if ((method === 'then' && handlers[1]) || (method === 'catch' && handlers[0])) catchReleases = true;
    }
    return thenReleases && catchReleases;
  };
  const testsError = (test: TSESTree.Node): boolean =>
    errorParameter !== undefined && some(test, (n) => n.type === AST_NODE_TYPES.Identifier && n.name === errorParameter);

  const statement = (node: TSESTree.Node): PathOutcome => {
    switch (node.type) {
      case AST_NODE_TYPES.ExpressionStatement:
      case AST_NODE_TYPES.VariableDeclaration:
        return containsRelease(node) ? 'released' : 'continues';
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.ThrowStatement:
        return node.argument && containsRelease(node.argument) ? 'released' : 'leaks';
      case AST_NODE_TYPES.BlockStatement:
        return statements(node.body);
      case AST_NODE_TYPES.IfStatement: {
        // `if (connection) connection.release()`: without a connection there is nothing to release.
        if (!node.alternate && node.test.type === AST_NODE_TYPES.Identifier && statement(node.consequent) === 'released' && some(node.consequent, (n) => isRelease(n) && methodCall(n)?.receiver.type === AST_NODE_TYPES.Identifier && (methodCall(n)!.receiver as TSESTree.Identifier).name === (node.test as TSESTree.Identifier).name)) return 'released';
        const consequent = testsError(node.test) ? 'released' : statement(node.consequent);
        const alternate = node.alternate ? statement(node.alternate) : 'continues';
        if (consequent === 'released' && alternate === 'released') return 'released';
        if (consequent === 'leaks' || alternate === 'leaks') return 'leaks';
        return 'continues';
      }
      case AST_NODE_TYPES.SwitchStatement: {
        // Each case runs on to the next until a break; a case that returns before releasing leaks.
        let sawDefault = false;
        let allRelease = node.cases.length > 0;
        for (const switchCase of node.cases) {
          if (switchCase.test === null) sawDefault = true;
          const outcome = statements(switchCase.consequent.filter((s) => s.type !== AST_NODE_TYPES.BreakStatement));
          if (outcome === 'leaks') return 'leaks';
          if (outcome !== 'released') allRelease = false;
        }
        return allRelease && sawDefault ? 'released' : 'continues';
      }
      case AST_NODE_TYPES.TryStatement: {
        if (node.finalizer && statement(node.finalizer) === 'released') return 'released';
        const block = statement(node.block);
        const handler = node.handler ? statement(node.handler.body) : block;
        if (block === 'released' && handler === 'released') return 'released';
        if (block === 'leaks' || handler === 'leaks') return 'leaks';
        return 'continues';
      }
      default:
        return 'continues';
    }
  };
  const statements = (list: readonly TSESTree.Node[]): PathOutcome => {
    for (const item of list) {
      const outcome = statement(item);
      if (outcome !== 'continues') return outcome;
    }
    return 'continues';
  };
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return containsRelease(fn.body);
  return statements(fn.body.body) === 'released';
}

function propertyNameOf(member: TSESTree.MemberExpression): string {
  return propertyName(member) ?? '';
}

/** Whether a release sits in a function that `callback` defines and stores or registers, rather than calls back at once. */
function releasedByStoredClosure(release: TSESTree.Node, callback: TSESTree.Node): boolean {
  for (let fn = enclosingFunction(release); fn && fn !== callback; fn = enclosingFunction(fn)) {
    const parent = fn.parent;
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator || parent?.type === AST_NODE_TYPES.AssignmentExpression || parent?.type === AST_NODE_TYPES.Property) return true;
    if (parent?.type === AST_NODE_TYPES.CallExpression && ['on', 'once', 'addListener', 'addEventListener'].includes(methodCall(parent)?.method ?? '')) return true;
  }
  return false;
}
