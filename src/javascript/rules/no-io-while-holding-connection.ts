import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { ANY_CHECKOUT_RELEASE_METHODS } from '../libraries/drivers';
import { enclosingFunction, methodCall, walk } from '../analysis/ast';
import { fileModel } from '../analysis/model';
import { destinationOf, usesOf } from '../analysis/ownership';
import { slowIoOf } from '../analysis/slow-io';
import { createDbhealthRule } from './create-rule';

export default createDbhealthRule('no-io-while-holding-connection', {
  messages: {
    http: 'An HTTP request while `{{name}}` is checked out: the connection sits idle for as long as the remote service takes, and under load the pool runs dry. Make the call before checking out or after releasing.',
    sleep: 'Sleeping while `{{name}}` is checked out keeps the connection from every other request. Release it first, or sleep before checking out.',
  },
  create(context) {
    const model = fileModel(context);
    const sourceCode = context.sourceCode;
    return {
      CallExpression(node) {
        const call = methodCall(node);
        if (!call || (call.method !== 'connect' && call.method !== 'getConnection') || node.arguments.length > 0) return;
        const pool = model.handle(call.receiver);
        if (!pool || pool.kind !== 'pool' || !model.isCheckoutMethod(pool, call.method)) return;
        const fn = enclosingFunction(node);
        if (!fn) return;
        const destination = destinationOf(sourceCode, node);
        if (destination.kind !== 'variable') return;
        const releaseMethods = pool.driver ? new Set(pool.driver.checkoutReleaseMethods) : ANY_CHECKOUT_RELEASE_METHODS;
        const { releases } = usesOf(destination.variable, releaseMethods);
        // Held from the checkout to the first release after it; without a release, to the function's end.
        const heldUntil = Math.min(fn.body.range[1], ...releases.filter((r) => r.range[0] > node.range[1]).map((r) => r.range[0]));
        walk(fn.body, (inner: TSESTree.Node) => {
          if (inner.type !== AST_NODE_TYPES.AwaitExpression) return;
          if (inner.range[0] < node.range[1] || inner.range[1] > heldUntil) return;
          const kind = slowIoOf(model, inner.argument);
          if (kind) context.report({ node: inner, messageId: kind, data: { name: destination.variable.name } });
        });
      },
    };
  },
});
