import type { PythonFile, Scope } from '../model';
import type { PythonRule } from '../rule';
import { field, walk, type PyNode } from '../tree';
import { HTTP_CLIENT_CLASSES, HTTP_METHODS, SLOW_IO_CALLS } from './common';

interface HeldRegion {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  /** Where the connection was taken. */
  readonly at?: PyNode;
}

/**
 * A call in an `except` of the `try` whose body takes the connection: reached when the checkout
 * itself failed as often as not (`except PoolError: time.sleep(0.1)`), so nothing is known to be held.
 */
function inHandlerOfAcquiringTry(node: PyNode, region: HeldRegion): boolean {
  if (!region.at) return false;
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'except_clause') continue;
    const tryStatement = p.parent;
    const body = tryStatement ? field(tryStatement, 'body') : undefined;
    if (body && region.at.start >= body.start && region.at.end <= body.end) return true;
  }
  return false;
}

/** Names bound to HTTP client objects (`session = requests.Session()`, `async with httpx.AsyncClient() as client`). */
function httpClients(file: PythonFile): Set<string> {
  const names = new Set<string>();
  walk(file.root, (node) => {
    if (node.type === 'assignment' || node.type === 'as_pattern') {
      const value = node.type === 'assignment' ? field(node, 'right') : node.children[0];
      const target = node.type === 'assignment' ? field(node, 'left') : field(node, 'alias')?.children.find((c) => c.type === 'identifier');
      const callee = value?.type === 'call' ? field(value, 'function') : undefined;
      const qualified = callee ? file.qualifiedName(callee) : undefined;
      if (target?.type === 'identifier' && qualified && HTTP_CLIENT_CLASSES.has(qualified)) names.add(file.text(target));
    }
  });
  return names;
}

function heldRegions(file: PythonFile, scope: Scope): HeldRegion[] {
  const regions: HeldRegion[] = [];
  for (const node of file.nodesIn(scope, ['with_statement', 'assignment'])) {
    if (node.type === 'with_statement') {
      for (const item of node.children.find((c) => c.type === 'with_clause')?.children ?? []) {
        if (item.type !== 'with_item') continue;
        const value = item.children[0]?.type === 'as_pattern' ? item.children[0].children[0] : item.children[0];
        if (!value || !file.acquisitionOf(value, scope)) continue;
        const body = field(node, 'body');
        const alias = item.children[0]?.type === 'as_pattern' ? field(item.children[0], 'alias') : undefined;
        if (body) regions.push({ name: alias ? file.text(alias) : 'the connection', start: body.start, end: body.end, line: file.source.positionAt(value.start).line });
      }
    }
    if (node.type === 'assignment' && !scope.isModule) {
      const left = field(node, 'left');
      const right = field(node, 'right');
      if (left?.type !== 'identifier' || !right) continue;
      const acquisition = file.acquisitionOf(right, scope);
      if (!acquisition) continue;
      // Held until the last release call of this name in the function; no release found: not our call.
      const name = file.text(left);
      let end = -1;
      for (const n of file.nodesIn(scope, ['call'])) {
        if (n.start < node.end) continue;
        const callee = field(n, 'function');
        if (callee?.type !== 'attribute') continue;
        const method = file.text(field(callee, 'attribute')!);
        const object = field(callee, 'object');
        const args = file.callArguments(n);
        const closesName = object && file.text(object) === name && acquisition.release.some((r) => r.kind === 'method' && r.name === method);
        const returnsName = args.positional[0] && file.text(args.positional[0]) === name && acquisition.release.some((r) => r.kind === 'owner-method' && r.name === method);
        if (closesName || returnsName) end = Math.max(end, n.start);
      }
      if (end > node.end) regions.push({ name, start: node.end, end, line: file.source.positionAt(node.start).line, at: node });
    }
  }
  return regions;
}

export const noIoWhileHoldingConnection: PythonRule = {
  name: 'no-io-while-holding-connection',
  check(file, report) {
    let clients: Set<string> | undefined;
    for (const scope of file.scopes) {
      const regions = heldRegions(file, scope);
      if (regions.length === 0) continue;
      clients ??= httpClients(file);
      for (const node of file.nodesIn(scope, ['call'])) {
        const region = regions.find((r) => node.start >= r.start && node.end <= r.end && !inHandlerOfAcquiringTry(node, r));
        if (!region) continue;
        const callee = field(node, 'function');
        if (!callee) continue;
        const qualified = file.qualifiedName(callee);
        let slow = qualified !== undefined && SLOW_IO_CALLS.has(qualified);
        if (slow && (qualified === 'asyncio.sleep' || qualified === 'time.sleep')) {
          const seconds = file.numberValue(file.callArguments(node).positional[0]);
          if (seconds === 0) slow = false; // sleep(0) only yields to the event loop
        }
        if (!slow && callee.type === 'attribute') {
          const object = field(callee, 'object');
          const method = field(callee, 'attribute');
          slow = Boolean(object?.type === 'identifier' && method && clients!.has(file.text(object)) && HTTP_METHODS.has(file.text(method)));
        }
        if (!slow) continue;
        report({
          at: node,
          message: `\`${file.text(callee)}()\` waits on slow I/O while \`${region.name}\` (taken on line ${region.line}) is checked out: do the I/O before acquiring or after releasing, so the connection serves other requests meanwhile.`,
        });
      }
    }
  },
};

export type { PyNode };
