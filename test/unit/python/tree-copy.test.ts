import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { directCursor, loadPythonParser } from '../../../src/python/parser';
import { copyTree, FIELDLESS_TYPES, walk } from '../../../src/python/tree';

const SAMPLE = [
  'import psycopg2, asyncpg as apg',
  'from sqlalchemy import create_engine as ce',
  '@app.route("/x", methods=["GET"])',
  'async def handler(request: Request, *args, limit: int = 5, **kwargs) -> dict:',
  '    """doc"""',
  '    async with pool.acquire(timeout=-3) as conn, other() as (a, b):',
  '        rows = await conn.fetch(f"SELECT {x!r:>10}", *args)',
  '    for i, v in enumerate(rows[1:2]):',
  '        if not v and i is not None or -i < 2:',
  '            continue',
  '        elif (lambda q: q)(v): pass',
  '        else: break',
  '    while True:',
  '        try:',
  '            conn = psycopg2.connect("dbname=x\\n", connect_timeout=5)',
  '        except (psycopg2.OperationalError, KeyError) as error:',
  '            raise ValueError("no") from error',
  '        finally:',
  '            conn.close()  # dbhealth: ignore[no-leaked-connection]',
  '    global g',
  '    del g[0], kwargs["k"]',
  '    assert {1, 2} == {**kwargs, "a": [x for x in range(3) if x]}',
  '    return (yield conn) if limit else "a" "b"',
  'class Repo(Base, metaclass=Meta):',
  '    x: list[int] = []',
  '    def m(self): self.pool = create_engine(url, pool_recycle=3600); return self.pool',
].join('\n');

test('every type the copy treats as field-less has no fields in the grammar', () => {
  const nodeTypes = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'node_modules', 'tree-sitter-python', 'src', 'node-types.json'), 'utf8')) as { type: string; named: boolean; fields?: Record<string, unknown> }[];
  for (const type of FIELDLESS_TYPES) {
    const entry = nodeTypes.find((t) => t.named && t.type === type);
    assert.ok(entry, `${type} is a node type of the grammar`);
    assert.deepEqual(Object.keys(entry.fields ?? {}), [], `${type} has no fields`);
  }
});

test('the copy keeps the field names, offsets and types tree-sitter reports for the nodes it keeps', async () => {
  const parser = await loadPythonParser();
  // The copy reads the tree through the runtime's exported cursor functions; this test checks that path.
  assert.ok(directCursor(), 'web-tree-sitter exposes the cursor functions the copy calls directly');
  const tree = parser.parse(SAMPLE)!;
  try {
    // Reference: every node with its field name, read through tree-sitter's cursor without shortcuts.
    const reference = new Map<string, string | null>();
    const cursor = tree.walk();
    for (;;) {
      reference.set(`${cursor.nodeType}@${cursor.startIndex}-${cursor.endIndex}`, cursor.currentFieldName ?? null);
      if (cursor.gotoFirstChild()) continue;
      let moved = false;
      while (!moved && !(moved = cursor.gotoNextSibling())) if (!cursor.gotoParent()) break;
      if (!moved) break;
    }
    cursor.delete();
    const root = copyTree(tree);
    let compared = 0;
    walk(root, (node) => {
      const key = `${node.type}@${node.start}-${node.end}`;
      assert.ok(reference.has(key), `${key} is a node of the tree`);
      assert.equal(node.field, reference.get(key), `field of ${key}`);
      compared++;
    });
    assert.ok(compared > 150, `compared ${compared} nodes`);
    const fieldsSeen = new Set<string>();
    walk(root, (node) => void (node.field && fieldsSeen.add(node.field)));
    for (const name of ['function', 'arguments', 'object', 'attribute', 'left', 'right', 'body', 'name', 'alias', 'value', 'key', 'type', 'module_name', 'condition', 'parameters']) {
      assert.ok(fieldsSeen.has(name), `the copy carries the field ${name}`);
    }
  } finally {
    tree.delete();
  }
});
