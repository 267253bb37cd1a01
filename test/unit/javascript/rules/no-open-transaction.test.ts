import rule from '../../../../src/javascript/rules/no-open-transaction';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('no-open-transaction', rule, {
  valid: [
    // One string that begins and commits runs on one client and ends there.
    js(`import pg from 'pg';
const pool = new pg.Pool({ connectionTimeoutMillis: 10_000 });
export async function migrate() {
  await pool.query('BEGIN; CREATE TABLE IF NOT EXISTS s (id int); COMMIT;');
}`),
    // A rollback done by a helper of the file.
    js(`async function rollback(connection) {
  await connection.rollback();
}
export async function save(connection) {
  await connection.beginTransaction();
  try {
    await connection.query('UPDATE a SET x = 1');
    await connection.commit();
  } catch (error) {
    await rollback(connection);
    throw error;
  }
}`),
    // A transaction object's own begin(): its commit and rollback are sibling methods (or inherited).
    ts(`export class TedTransaction {
  begin(conn: any) {
    return new Promise<void>((resolve, reject) => {
      conn.beginTransaction((err: Error) => (err ? reject(err) : resolve()));
    });
  }
}`),
    // The node-postgres docs' transaction pattern.
    ts(`export async function transfer(pool: any) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE a SET x = x - 1');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}`),
    js(`export async function t(pool) {
  const conn = await pool.getConnection();
  await conn.beginTransaction();
  try {
    await conn.query('UPDATE a SET x = 1');
    await conn.commit();
  } catch (error) {
    await conn.rollback();
    throw error;
  } finally {
    conn.release();
  }
}`),
    // Callback style with a rollback in the continuation.
    cjs(`const mysql = require('mysql');
const connection = mysql.createConnection({});
connection.beginTransaction(function (err) {
  if (err) throw err;
  connection.query('INSERT INTO t VALUES (1)', function (error) {
    if (error) return connection.rollback(function () { throw error; });
    connection.commit();
  });
});`),
    // Only BEGIN here: a helper, the caller ends the transaction.
    ts(`export async function begin(client: any) {
  await client.query('BEGIN');
}`),
    // Releasing with an error destroys the client: the server rolls back.
    js(`export async function t(pool) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    client.release(error);
    throw error;
  }
}`),
    // Not a transaction.
    ts(`export async function f(pool: any) {
  const client = await pool.connect();
  try { await client.query('SELECT 1'); } finally { client.release(); }
}`),
    // BEGIN inside a string that is not the statement's start.
    js(`export async function f(pool) {
  await pool.query("SELECT 'BEGIN'");
  await pool.query('SELECT 2');
}`),
    cjs(`async function t(client) {
  try {
    await client.query('START TRANSACTION');
    await client.query('UPDATE t SET x = 1');
    await client.query('COMMIT');
  } finally {
    await client.query('ROLLBACK');
  }
}`),
  ],
  invalid: [
    {
      ...js(`import pg from 'pg';
const pool = new pg.Pool({ connectionTimeoutMillis: 10_000 });
export async function withTransaction(sql, params) {
  await pool.query('BEGIN');
  try {
    await pool.query(sql, params);
    await pool.query('COMMIT');
  } catch (error) {
    await pool.query('ROLLBACK');
    throw error;
  }
}`),
      errors: [{ messageId: 'beginOnPool', line: 4 }],
    },
    {
      ...ts(`export async function placeOrder(pool: any) {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('INSERT INTO orders DEFAULT VALUES');
  await client.query('COMMIT');
  client.release();
}`),
      errors: [{ messageId: 'noRollback', line: 3 }],
    },
    {
      ...js(`export async function t(pool) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE a SET x = 1');
    await client.query('COMMIT');
  } catch (error) {
    console.error(error);
  } finally {
    client.release();
  }
}`),
      errors: [{ messageId: 'noRollback' }],
    },
    {
      ...cjs(`async function t(pool) {
  const conn = await pool.getConnection();
  await conn.beginTransaction();
  await conn.query('UPDATE a SET x = 1');
  await conn.commit();
  conn.release();
}`),
      errors: [{ messageId: 'noRollback' }],
    },
    {
      ...cjs(`const mysql = require('mysql');
const connection = mysql.createConnection({});
connection.beginTransaction(function (err) {
  connection.query('INSERT INTO t VALUES (1)', function () {
    connection.commit();
  });
});`),
      errors: [{ messageId: 'noRollback' }],
    },
    {
      ...ts(`export async function t(client: any) {
  await client.query('start transaction');
  await client.query('UPDATE t SET x = 1');
  await client.query('commit');
}`),
      errors: [{ messageId: 'noRollback' }],
    },
    {
      ...js(`import mysql from 'mysql2/promise';
export async function t() {
  const connection = await mysql.createConnection({});
  await connection.query(\`BEGIN\`);
  await connection.execute('UPDATE t SET x = 1');
  await connection.query('COMMIT');
  await connection.end();
}`),
      errors: [{ messageId: 'noRollback' }],
    },
    {
      // A savepoint rollback does not end the transaction.
      ...ts(`export async function t(client: any) {
  await client.query('BEGIN');
  try {
    await client.query('UPDATE t SET x = 1');
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT s');
  }
  await client.query('COMMIT');
}`),
      errors: [{ messageId: 'noRollback' }],
    },
    {
      ...cjs(`class Repo {
  async save(pool) {
    this.client = await pool.connect();
    await this.client.query('BEGIN');
    await this.client.query('INSERT INTO t VALUES (1)');
    await this.client.query('COMMIT');
  }
}`),
      errors: [{ messageId: 'noRollback' }],
    },
  ],
});
