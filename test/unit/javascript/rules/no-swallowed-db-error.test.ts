import rule from '../../../../src/javascript/rules/no-swallowed-db-error';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('no-swallowed-db-error', rule, {
  valid: [
    // A checkout callback that ignores err crashes on the missing connection: not a silently dropped error.
    cjs(`const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db', connectionLimit: 5, queueLimit: 10 });
function count(res) {
  pool.getConnection((err, conn) => {
    conn.query('SELECT 1', (error, rows) => {
      conn.release();
      if (error) return res.status(500).end();
      res.json(rows);
    });
  });
}
module.exports = count;`),
    ts(`export async function f(pool: any) {
  try { await pool.query('INSERT INTO t VALUES (1)'); } catch (error) { console.error('insert failed', error); }
}`),
    js(`export async function f(pool) {
  try { await pool.query('INSERT INTO t VALUES (1)'); } catch (error) { throw new Error('insert failed', { cause: error }); }
}`),
    // Not a database call inside the try.
    ts(`export function parse(text: string) {
  try { return JSON.parse(text); } catch { return null; }
}`),
    cjs(`const mysql = require('mysql');
const pool = mysql.createPool({});
pool.query('SELECT 1', (err, rows) => { if (err) return console.error(err); console.log(rows); });`),
    js(`export function f(pool) {
  return pool.query('SELECT 1').catch((error) => { logger.error(error); throw error; });
}`),
    // Error passed on to the caller's callback.
    cjs(`const mysql = require('mysql2');
const pool = mysql.createPool({});
function load(cb) { pool.query('SELECT 1', (error, rows) => cb(error, rows)); }`),
    // The handler records the error somewhere.
    ts(`export async function f(pool: any, errors: unknown[]) {
  try { await pool.query('SELECT 1'); } catch (e) { errors.push(e); }
}`),
    // Callback without an error parameter name we recognise: not judged.
    cjs(`const mysql = require('mysql');
const connection = mysql.createConnection({});
connection.query('SELECT 1', (result) => console.log(result));`),
  ],
  invalid: [
    {
      ...cjs(`const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db', connectionLimit: 5, queueLimit: 10 });
function save(id) {
  pool.query('UPDATE t SET x = 1 WHERE id = ?', [id], (err) => {
    if (err) {}
  });
}
module.exports = save;`),
      errors: [{ messageId: 'callbackIgnores', line: 4 }],
    },
    {
      ...ts(`export async function f(pool: any) {
  try { await pool.query('INSERT INTO t VALUES (1)'); } catch (error) {}
}`),
      errors: [{ messageId: 'catchSwallows', line: 2 }],
    },
    {
      ...js(`export async function f(pool) {
  try {
    const { rows } = await pool.query('SELECT 1');
    return rows;
  } catch {
    return [];
  }
}`),
      errors: [{ messageId: 'catchSwallows' }],
    },
    {
      ...cjs(`const { Client } = require('pg');
async function f() {
  const client = new Client();
  try { await client.connect(); } catch (e) { return null; }
}`),
      errors: [{ messageId: 'catchSwallows' }],
    },
    {
      ...js(`export function f(pool) {
  return pool.query('UPDATE t SET x = 1').catch(() => {});
}`),
      errors: [{ messageId: 'promiseSwallows' }],
    },
    {
      ...ts(`export const rows = (pool: any) => pool.query('SELECT 1').catch(() => null);`),
      errors: [{ messageId: 'promiseSwallows' }],
    },
    {
      ...cjs(`const mysql = require('mysql');
const pool = mysql.createPool({});
pool.query('SELECT 1', (err, rows) => { console.log(rows); });`),
      errors: [{ messageId: 'callbackIgnores', data: { name: 'err' } }],
    },
    {
      ...js(`import mysql from 'mysql2';
const connection = mysql.createConnection({});
connection.execute('UPDATE t SET x = 1', (error) => { done(); });`),
      errors: [{ messageId: 'callbackIgnores', data: { name: 'error' } }],
    },
    {
      ...ts(`export async function f(pool: any) {
  for (const id of [1, 2]) {
    try { await pool.query('DELETE FROM t WHERE id = $1', [id]); } catch (error) { continue; }
  }
}`),
      errors: [{ messageId: 'catchSwallows' }],
    },
  ],
});
