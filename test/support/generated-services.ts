/**
 * Service modules of a chosen length, as the editor benchmark edits them and the incremental-lint
 * tests type into: many small functions sharing one module-level pool, half of them leaking.
 */

/** A Python service module of about `lines` lines: leaky loads (putconn not in finally) and safe saves. */
export function pythonService(lines: number): string {
  const header = ['import time', 'import requests', 'import psycopg2', 'from psycopg2.pool import ThreadedConnectionPool', '', 'pool = ThreadedConnectionPool(1, 10, dsn="postgresql://localhost/app")', ''];
  const block = (i: number) => [
    `def load_order_${i}(order_id):`,
    '    conn = pool.getconn()',
    '    cur = conn.cursor()',
    `    cur.execute("SELECT * FROM orders WHERE id = %s", (order_id + ${i},))`,
    '    row = cur.fetchone()',
    '    pool.putconn(conn)',
    '    return row',
    '',
    `def save_order_${i}(order):`,
    '    conn = pool.getconn()',
    '    try:',
    '        with conn.cursor() as cur:',
    '            cur.execute("UPDATE orders SET total = %s WHERE id = %s", (order.total, order.id))',
    '        conn.commit()',
    '    finally:',
    '        pool.putconn(conn)',
    '',
  ];
  return fill(header, block, lines);
}

/** The same in TypeScript on node-postgres. */
export function typescriptService(lines: number): string {
  const header = ["import { Pool } from 'pg';", '', 'export const pool = new Pool({ connectionString: process.env.DATABASE_URL });', ''];
  const block = (i: number) => [
    `export async function loadOrder${i}(id: number) {`,
    '  const client = await pool.connect();',
    `  const { rows } = await client.query('SELECT * FROM orders WHERE id = $1', [id + ${i}]);`,
    '  client.release();',
    '  return rows[0];',
    '}',
    '',
    `export async function saveOrder${i}(id: number, total: number) {`,
    '  const client = await pool.connect();',
    '  try {',
    "    await client.query('UPDATE orders SET total = $1 WHERE id = $2', [total, id]);",
    '  } finally {',
    '    client.release();',
    '  }',
    '}',
    '',
  ];
  return fill(header, block, lines);
}

function fill(header: string[], block: (i: number) => string[], count: number): string {
  // Whole blocks only, so the file stays valid: it ends a few lines past `count` at most.
  const lines = [...header];
  for (let i = 0; lines.length < count; i++) lines.push(...block(i));
  return lines.join('\n') + '\n';
}

