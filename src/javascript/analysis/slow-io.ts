import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { GLOBAL_HTTP_FUNCTIONS, HTTP_CLIENT_MODULES, PROMISE_TIMER_MODULES, SLEEP_FUNCTION_NAMES } from '../libraries/slow-io';
import { isFunction, some, unwrapValue } from './ast';
import type { FileModel } from './model';

export type SlowIo = 'http' | 'sleep';

/** Whether `node` (the operand of an `await`) makes an HTTP request or sleeps. */
export function slowIoOf(model: FileModel, node: TSESTree.Node): SlowIo | undefined {
  const value = unwrapValue(node);
  if (value.type === AST_NODE_TYPES.NewExpression) {
    // `new Promise((resolve) => setTimeout(resolve, ms))`
    const callback = value.arguments[0];
    if (value.callee.type === AST_NODE_TYPES.Identifier && value.callee.name === 'Promise' && callback && isFunction(callback)) {
      const sleeps = some(callback.body, (n) => n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.Identifier && n.callee.name === 'setTimeout');
      return sleeps ? 'sleep' : undefined;
    }
    return undefined;
  }
  if (value.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = value.callee;
  const imported = model.importedValue(callee);
  if (imported) {
    if (PROMISE_TIMER_MODULES.has(imported.module) && imported.path.length === 1 && imported.path[0] === 'setTimeout') return 'sleep';
    const http = HTTP_CLIENT_MODULES[imported.module];
    if (http) {
      if (imported.path.length === 0 && http.callable) return 'http';
      if (imported.path.length === 1 && (http.methods.includes(imported.path[0]) || (imported.path[0] === 'default' && http.callable))) return 'http';
    }
    return undefined;
  }
  if (callee.type === AST_NODE_TYPES.Identifier) {
    if (GLOBAL_HTTP_FUNCTIONS.has(callee.name) && model.isGlobal(callee)) return 'http';
    if (SLEEP_FUNCTION_NAMES.has(callee.name)) return 'sleep';
  }
  // A helper of this file or the project that waits on the network (`await sendWelcomeMail(user)`).
  if (model.calleeFacts(value)?.slowIo) return 'http';
  return undefined;
}
