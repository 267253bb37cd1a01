import type { PythonFile, Scope } from '../model';
import type { PythonRule } from '../rule';
import { isSlowCall } from '../sharing';
import { field, type PyNode } from '../tree';

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

/** The first call after `from` that gives `name` back: its own release method, a pool's, or a project helper that releases it. */
function firstRelease(file: PythonFile, scope: Scope, name: string, from: number, methods: ReadonlySet<string>, ownerMethods: ReadonlySet<string>): number {
  let end = Number.POSITIVE_INFINITY;
  for (const call of file.nodesIn(scope, ['call'])) {
    if (call.start < from) continue;
    const callee = field(call, 'function');
    if (!callee) continue;
    const args = file.callArguments(call).positional;
    const position = args.findIndex((arg) => arg.type === 'identifier' && file.text(arg) === name);
    if (callee.type === 'attribute') {
      const method = file.text(field(callee, 'attribute')!);
      const object = field(callee, 'object');
      if (object && file.text(object) === name && methods.has(method)) end = Math.min(end, call.start);
      if (position === 0 && ownerMethods.has(method)) end = Math.min(end, call.start);
    }
    if (position !== -1 && file.callFacts(call, scope)?.releases?.includes(position)) end = Math.min(end, call.start);
  }
  return end === Number.POSITIVE_INFINITY ? -1 : end;
}

function heldRegions(file: PythonFile, scope: Scope): HeldRegion[] {
  const regions: HeldRegion[] = [];
  for (const node of file.nodesIn(scope, ['with_statement', 'assignment'])) {
    if (node.type === 'with_statement') {
      for (const item of node.children.find((c) => c.type === 'with_clause')?.children ?? []) {
        if (item.type !== 'with_item') continue;
        const value = item.children[0]?.type === 'as_pattern' ? item.children[0].children[0] : item.children[0];
        const acquisition = value ? file.acquisitionOf(value, scope) : undefined;
        // A session holds a connection only inside a transaction: not judged.
        if (!value || !acquisition || acquisition.binding.role !== 'connection') continue;
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
      if (!acquisition || acquisition.binding.role !== 'connection') continue;
      // Held until the first release of this name after it (later ones give back later checkouts);
      // no release found: not our call to judge.
      const name = file.text(left);
      const methods = new Set(acquisition.release.flatMap((r) => (r.kind === 'method' ? [r.name] : [])));
      const ownerMethods = new Set(acquisition.release.flatMap((r) => (r.kind === 'owner-method' ? [r.name] : [])));
      const end = firstRelease(file, scope, name, node.end, methods, ownerMethods);
      if (end > node.end) regions.push({ name, start: node.end, end, line: file.source.positionAt(node.start).line, at: node });
    }
  }
  return regions;
}

export const noIoWhileHoldingConnection: PythonRule = {
  name: 'no-io-while-holding-connection',
  check(file, report) {
    for (const scope of file.scopes) {
      const regions = heldRegions(file, scope);
      if (regions.length === 0) continue;
      for (const node of file.nodesIn(scope, ['call'])) {
        const region = regions.find((r) => node.start >= r.start && node.end <= r.end && !inHandlerOfAcquiringTry(node, r));
        if (!region || !isSlowCall(file, scope, node)) continue;
        const callee = field(node, 'function')!;
        report({
          at: node,
          message: `\`${file.text(callee)}()\` waits on slow I/O while \`${region.name}\` (taken on line ${region.line}) is checked out: do the I/O before acquiring or after releasing, so the connection serves other requests meanwhile.`,
        });
      }
    }
  },
};

export type { PyNode };
