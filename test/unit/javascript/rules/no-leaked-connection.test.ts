import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import rule from '../../../../src/javascript/rules/no-leaked-connection';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('no-leaked-connection', rule, {
  valid: [
    // A promise chain whose .then and .catch both release the client.
    cjs(`const { Pool } = require('pg');
const pool = new Pool({ connectionTimeoutMillis: 10_000 });
function pick(sql, reply) {
  pool.connect().then((client) => client.query(sql).then((result) => { client.release(); return result.rows; }).catch((err) => { client.release(); console.log(err); }).then(reply));
}
module.exports = pick;`),
    // \`if (connection) connection.release()\`: without a connection there is nothing to release.
    cjs(`const mysql = require('mysql2');
const pool = mysql.createPool({ host: 'db', connectionLimit: 5, queueLimit: 10 });
pool.getConnection((err, connection) => {
  if (err) console.error(err);
  if (connection) connection.release();
});`),
    // A callback defined elsewhere receives the client and owns it.
    cjs(`const { Pool } = require('pg');
const pool = new Pool({ connectionTimeoutMillis: 10_000 });
function listen(err, client) { client.query('LISTEN jobs'); }
pool.connect(listen);`),
    // The node-postgres docs' pattern: release in finally.
    ts(`import { Pool } from 'pg';
const pool = new Pool();
export async function name(id: number) {
  const client = await pool.connect();
  try {
    return (await client.query('SELECT name FROM t WHERE id = $1', [id])).rows[0];
  } finally {
    client.release();
  }
}`),
    // Released in the promise's .finally().
    js(`export async function one(pool) {
  const client = await pool.connect();
  return client.query('SELECT 1').finally(() => client.release());
}`),
    // Ownership moves to the caller by return.
    ts(`export async function checkout(pool: import('pg').Pool) {
  const client = await pool.connect();
  await client.query('SET search_path TO app');
  return client;
}`),
    // Handed to a function that owns it (withClient-style helpers).
    cjs(`const { Pool } = require('pg');
const pool = new Pool();
async function withClient(work) {
  const client = await pool.connect();
  return work(client);
}`),
    // mysql callback API: the docs' example releases on every branch after the checkout error.
    cjs(`const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db' });
pool.getConnection(function (err, connection) {
  if (err) throw err;
  connection.query('SELECT 1', function (error, results) {
    connection.release();
    if (error) throw error;
  });
});`),
    // pool.query checks out and releases by itself.
    js(`import pg from 'pg';
const pool = new pg.Pool();
export const count = async () => (await pool.query('SELECT count(*) FROM t')).rows[0];`),
    // A connection opened at module level lives as long as the process.
    js(`import { Client } from 'pg';
const client = new Client();
await client.connect();
export const now = () => client.query('SELECT now()');`),
    // Released in catch (then rethrown) and after the try: both paths covered.
    ts(`export async function run(pool: { connect(): Promise<any> }) {
  const client = await pool.connect();
  try {
    await client.query('SELECT 1');
  } catch (error) {
    client.release();
    throw error;
  }
  client.release();
}`),
    // Assigned inside try, released in finally with optional chaining.
    ts(`export async function run(pool: any) {
  let client;
  try {
    client = await pool.connect();
    await client.query('SELECT 1');
  } finally {
    client?.release();
  }
}`),
    // pg callback checkout that calls done() on every path.
    cjs(`const pg = require('pg');
const pool = new pg.Pool();
pool.connect((err, client, done) => {
  if (err) return console.error(err);
  client.query('SELECT 1', (queryError, result) => {
    done();
    if (queryError) console.error(queryError);
  });
});`),
    // Not a pool: a redis client's connect() is none of our business.
    js(`export async function cache(redisClient) {
  const connection = await redisClient.connect();
  await connection.get('k');
}`),
    // `await using` disposes the client on every path.
    ts(`import { Pool } from 'pg';
const pool = new Pool();
export async function a() {
  await using client = await pool.connect();
  await client.query('SELECT 1');
}`),
    // A pg Client kept at module level lives as long as the process.
    ts(`import { Client } from 'pg';
const client = new Client();
await client.connect();`),
    // Callback checkouts released on every path: a switch with a default, try/finally, try and catch
    // both, `return conn.release()`, an expression body, a nested query callback, a promise chain's
    // .finally, a .then with a rejection handler, a listener that keeps the release for later.
    ...[
      `switch (kind) {
      case 1: conn.release(); break;
      default: conn.release();
    }`,
      `try { conn.query('SELECT 1'); } finally { conn.release(); }`,
      `try { conn.query('SELECT 1'); conn.release(); } catch (e) { conn.release(); }`,
      `if (kind) return conn.release();
    conn.release();`,
      `conn.query('SELECT 1', (e, rows) => { conn.release(); });`,
      `work(conn).then(() => 1).finally(() => conn.release());`,
      `work(conn).then(() => { conn.release(); }, () => { conn.release(); });`,
      `work(conn).then(() => 1).catch(() => { conn.release(); }).then(() => { conn.release(); });`,
      `emitter.on('done', () => conn.release());`,
    ].map((body) => ts(`import mysql from 'mysql2';
const pool = mysql.createPool({ host: 'db' });
export function a(kind: number, work: (c: unknown) => Promise<void>, emitter: { on(e: string, f: () => void): void }) {
  pool.getConnection((err, conn) => {
    if (err) return;
    ${body}
  });
}`)),
    ts(`import mysql from 'mysql2';
const pool = mysql.createPool({ host: 'db' });
export function a() {
  pool.getConnection((err, conn) => conn.release());
}`),
    // Released right after the checkout: nothing can fail in between.
    ts(`import { Pool } from 'pg';
const pool = new Pool();
export async function a() {
  const client = await pool.connect();
  client.release();
}`),
    // Evidence from use needs a use as a connection: a release alone proves nothing.
    ts(`export async function a(db: { connect(): Promise<{ release(): void }> }) {
  const client = await db.connect();
  await new Promise((r) => setTimeout(r, 1));
  client.release();
}`),
    // \`this.connect()\` inside a class is the pool's own implementation.
    ts(`export class P {
  connect(cb: (e: unknown, c: { release(): void }) => void) { return cb; }
  run(x: number) {
    this.connect((err, conn) => { if (x) return; conn.release(); });
  }
  async take() { return { query: async (s: string) => s, release() {} }; }
}`),
    // A pool known only by its name, with no release in sight: no proof it is a pool.
    ts(`export async function a(pool: { connect(): Promise<{ query(s: string): Promise<void> }> }) {
  const client = await pool.connect();
  await client.query('x');
}`),
  ],
  invalid: [
    {
      ...ts(`export async function run(pool: any) {
  const client = await pool.connect();
  await client.query('SELECT 1');
  client.release();
}`),
      // Reported at the acquisition (the skipped release is the related location), as in Python.
      errors: [{ messageId: 'releaseSkipped', line: 2, column: 24 }],
      output: `export async function run(pool: any) {
  const client = await pool.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    client.release();
  }
}`,
    },
    {
      // The fix carries comments along and is idempotent: the second pass finds nothing.
      ...js(`import pg from 'pg';
const pool = new pg.Pool();
export async function move(a, b) {
  const client = await pool.connect();
  await client.query('UPDATE t SET x = 1 WHERE id = $1', [a]);
  // second statement
  await client.query('UPDATE t SET x = 2 WHERE id = $1', [b]);
  client.release();
}`),
      errors: [{ messageId: 'releaseSkipped' }],
      output: `import pg from 'pg';
const pool = new pg.Pool();
export async function move(a, b) {
  const client = await pool.connect();
  try {
    await client.query('UPDATE t SET x = 1 WHERE id = $1', [a]);
    // second statement
    await client.query('UPDATE t SET x = 2 WHERE id = $1', [b]);
  } finally {
    client.release();
  }
}`,
    },
    {
      // A later statement uses a name declared before the release: offered as a suggestion only.
      ...ts(`export async function one(pool: any) {
  const client = await pool.connect();
  const result = await client.query('SELECT 1');
  client.release();
  return result.rows;
}`),
      errors: [
        {
          messageId: 'releaseSkipped',
          suggestions: [
            {
              messageId: 'wrapInTryFinally',
              output: `export async function one(pool: any) {
  const client = await pool.connect();
  try {
    const result = await client.query('SELECT 1');
    return result.rows;
  } finally {
    client.release();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      ...js(`import pg from 'pg';
const pool = new pg.Pool();
export async function count() {
  const client = await pool.connect();
  const res = await client.query('SELECT count(*) FROM t');
  return res.rows[0];
}`),
      errors: [
        {
          messageId: 'neverReleased',
          line: 4,
          suggestions: [
            {
              messageId: 'wrapInTryFinally',
              output: `import pg from 'pg';
const pool = new pg.Pool();
export async function count() {
  const client = await pool.connect();
  try {
    const res = await client.query('SELECT count(*) FROM t');
    return res.rows[0];
  } finally {
    client.release();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      ...cjs(`const mysql = require('mysql2/promise');
const pool = mysql.createPool({ host: 'db' });
async function touch(id) {
  const conn = await pool.getConnection();
  await conn.execute('UPDATE t SET seen = 1 WHERE id = ?', [id]);
}`),
      errors: [
        {
          messageId: 'neverReleased',
          suggestions: [
            {
              messageId: 'wrapInTryFinally',
              output: `const mysql = require('mysql2/promise');
const pool = mysql.createPool({ host: 'db' });
async function touch(id) {
  const conn = await pool.getConnection();
  try {
    await conn.execute('UPDATE t SET seen = 1 WHERE id = ?', [id]);
  } finally {
    conn.release();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      ...ts(`export async function warm(pool: any) {
  await pool.connect();
}`),
      errors: [{ messageId: 'discarded' }],
    },
    {
      ...js(`export async function maybe(pool) {
  const client = await pool.connect();
  const res = await client.query('SELECT 1');
  if (res.rowCount > 0) {
    client.release();
  }
  return res.rowCount;
}`),
      errors: [{ messageId: 'notEveryPath' }],
    },
    {
      // The query's error branch returns before the release.
      ...cjs(`const mysql = require('mysql2');
const pool = mysql.createPool({});
function load(cb) {
  pool.getConnection((err, conn) => {
    if (err) return cb(err);
    conn.query('SELECT 1', (error, rows) => {
      if (error) return cb(error);
      conn.release();
      cb(null, rows);
    });
  });
}`),
      errors: [{ messageId: 'callbackBranch', line: 4 }],
    },
    {
      ...cjs(`const { Client } = require('pg');
async function once() {
  const client = new Client({ connectionTimeoutMillis: 1000 });
  await client.connect();
  return (await client.query('SELECT 1')).rows;
}`),
      errors: [
        {
          messageId: 'neverReleased',
          data: { name: 'client', verb: 'closed' },
          suggestions: [
            {
              messageId: 'wrapInTryFinally',
              output: `const { Client } = require('pg');
async function once() {
  const client = new Client({ connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return (await client.query('SELECT 1')).rows;
  } finally {
    await client.end();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      ...ts(`import * as mysql from 'mysql';
export function report(done: () => void) {
  const connection = mysql.createConnection({ host: 'db' });
  connection.query('SELECT 1', done);
}`),
      errors: [
        {
          messageId: 'neverReleased',
          suggestions: [
            {
              messageId: 'wrapInTryFinally',
              output: `import * as mysql from 'mysql';
export function report(done: () => void) {
  const connection = mysql.createConnection({ host: 'db' });
  try {
    connection.query('SELECT 1', done);
  } finally {
    connection.end();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      ...cjs(`const pg = require('pg');
const pool = new pg.Pool();
pool.connect((err, client, done) => {
  if (err) throw err;
  client.query('SELECT 1', (queryError) => {
    if (queryError) return;
    done();
  });
});`),
      errors: [{ messageId: 'callbackBranch' }],
    },
    {
      // A pg Client never ended: "closed", and the suggestion awaits end().
      ...ts(`import { Client } from 'pg';
export async function a() {
  const client = new Client();
  await client.connect();
  await client.query('SELECT 1');
}`),
      errors: [{
        messageId: 'neverReleased', line: 3, column: 18, data: { name: 'client', verb: 'closed' },
        suggestions: [{ messageId: 'wrapInTryFinally', data: { name: 'client' }, output: `import { Client } from 'pg';
export async function a() {
  const client = new Client();
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}` }],
      }],
    },
    {
      ...ts(`import { Client } from 'pg';
export async function a() {
  const client = new Client();
  await client.connect();
  await client.query('SELECT 1');
  await client.end();
}`),
      errors: [{ messageId: 'releaseSkipped', line: 3, column: 18, data: { name: 'client', method: 'end', verb: 'closed' } }],
      output: `import { Client } from 'pg';
export async function a() {
  const client = new Client();
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}`,
    },
    {
      ...ts(`import mysql from 'mysql2/promise';
export async function a() {
  const conn = await mysql.createConnection({ host: 'db' });
  await conn.query('SELECT 1');
}`),
      errors: [{
        messageId: 'neverReleased', line: 3, column: 22, data: { name: 'conn', verb: 'closed' },
        suggestions: [{ messageId: 'wrapInTryFinally', data: { name: 'conn' }, output: `import mysql from 'mysql2/promise';
export async function a() {
  const conn = await mysql.createConnection({ host: 'db' });
  try {
    await conn.query('SELECT 1');
  } finally {
    await conn.end();
  }
}` }],
      }],
    },
    {
      // A helper of the file hands out a checkout.
      ...ts(`import { Pool } from 'pg';
const pool = new Pool();
async function getClient() { return pool.connect(); }
export async function a() {
  const client = await getClient();
  await client.query('SELECT 1');
}`),
      errors: [{
        messageId: 'neverReleased', line: 5, column: 24, data: { name: 'client', verb: 'released' },
        suggestions: [{ messageId: 'wrapInTryFinally', data: { name: 'client' }, output: `import { Pool } from 'pg';
const pool = new Pool();
async function getClient() { return pool.connect(); }
export async function a() {
  const client = await getClient();
  try {
    await client.query('SELECT 1');
  } finally {
    client.release();
  }
}` }],
      }],
    },
    {
      // pool.connect().then(() => …): resolved and dropped.
      ...ts(`import { Pool } from 'pg';
const pool = new Pool();
export function a() {
  return pool.connect().then(() => 1);
}`),
      errors: [{ messageId: 'discarded', line: 4, column: 10 }],
    },
    {
      ...ts(`import { Pool } from 'pg';
const pool = new Pool();
export function a() {
  return pool.connect().then((client) => client.query('SELECT 1'));
}`),
      errors: [{ messageId: 'neverReleased', line: 4, column: 10, data: { name: 'client', verb: 'released' } }],
    },
    {
      ...ts(`import { Pool } from 'pg';
const pool = new Pool();
export function a(flag: boolean) {
  return pool.connect().then((client) => { if (flag) { client.release(); return 1; } return 2; });
}`),
      errors: [{ messageId: 'callbackBranch', line: 4, column: 10, data: { name: 'client' } }],
    },
    // Callback checkouts with a path that skips the release: a switch without default, a case that
    // returns first, a catch that returns, a throw that is not the checkout's own error.
    ...[
      `switch (kind) {
      case 1: conn.release(); break;
    }`,
      `switch (kind) {
      case 1: return;
      default: conn.release();
    }`,
      `try { conn.query('SELECT 1'); conn.release(); } catch (e) { console.log(e); return; }`,
      `if (kind) throw new Error('x');
    conn.release();`,
      `if (kind) { conn.release(); } else { console.log(kind); }`,
    ].map((body) => ({
      ...ts(`import mysql from 'mysql2';
const pool = mysql.createPool({ host: 'db' });
export function a(kind: number) {
  pool.getConnection((err, conn) => {
    if (err) throw err;
    ${body}
  });
}`),
      errors: [{ messageId: 'callbackBranch' as const, line: 4, column: 3, data: { name: 'conn' } }],
    })),
    {
      // Evidence from use: getConnection on an unknown receiver whose callback releases its second parameter.
      ...ts(`export function a(db: { getConnection(cb: (err: unknown, c: { query(s: string): void; release(): void }) => void): void }, x: number) {
  db.getConnection((err, conn) => {
    if (err) return;
    if (x) return;
    conn.release();
  });
}`),
      errors: [{ messageId: 'callbackBranch', line: 2, column: 3, data: { name: 'conn' } }],
    },
    {
      // Released only in one branch after the checkout.
      ...ts(`import { Pool } from 'pg';
const pool = new Pool();
export async function a(x: boolean) {
  const client = await pool.connect();
  await client.query('SELECT 1');
  if (x) {
    client.release();
  }
}`),
      errors: [{ messageId: 'notEveryPath', line: 4, column: 24, data: { name: 'client', verb: 'released' } }],
    },
  ],
});

// What the reader sees: the rendered text of each message, not only its id.
test('no-leaked-connection messages read as documented', () => {
  const linter = new Linter({ configType: 'flat' });
  const messagesOf = (code: string) =>
    linter
      .verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins: { dbhealth: { rules: { 'no-leaked-connection': rule as never } } }, rules: { 'dbhealth/no-leaked-connection': 'error' } }], 'file.ts')
      .map((message) => [message.messageId, message.message, message.suggestions?.map((suggestion) => suggestion.desc) ?? []]);
  const pool = `import { Pool } from 'pg';\nconst pool = new Pool();\n`;
  assert.deepEqual(messagesOf(`${pool}export async function a() {\n  const client = await pool.connect();\n  await client.query('SELECT 1');\n}`), [
    ['neverReleased', '`client` is never released: each call leaks a connection until the pool or server runs out. Release it in a `finally` block.', ['Wrap the code that uses `client` in try/finally and release it in `finally`']],
  ]);
  assert.deepEqual(messagesOf(`${pool}export async function a() {\n  const client = await pool.connect();\n  await client.query('SELECT 1');\n  client.release();\n}`), [
    ['releaseSkipped', '`client` is released by `client.release()` only when nothing before it throws or returns: every failure leaks the connection. Move the release into a `finally` block.', []],
  ]);
  assert.deepEqual(messagesOf(`${pool}export async function a(x: boolean) {\n  const client = await pool.connect();\n  await client.query('SELECT 1');\n  if (x) {\n    client.release();\n  }\n}`), [
    ['notEveryPath', '`client` is released only on some paths; the others leak the connection. Release it in a `finally` block.', []],
  ]);
  assert.deepEqual(messagesOf(`${pool}export async function a() {\n  await pool.connect();\n}`), [
    ['discarded', 'The checked-out connection is dropped without being released: it stays out of the pool for good.', []],
  ]);
  assert.deepEqual(messagesOf(`${pool}export function a(flag: boolean) {\n  return pool.connect().then((client) => { if (flag) { client.release(); return 1; } return 2; });\n}`), [
    ['callbackBranch', 'Not every path of this callback releases `client`; a path that skips the release leaks the connection.', []],
  ]);
});
