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
  ],
});
