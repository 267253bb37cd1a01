import rule from '../../../../src/javascript/rules/require-retry-backoff';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('require-retry-backoff', rule, {
  valid: [
    // Five attempts at a fixed pace end by themselves: a constant delay is judged only when nothing caps the loop.
    js(`import { setTimeout } from 'node:timers/promises';
export async function query(pool) {
  for (let i = 0; i < 5; i++) {
    try { return await pool.query('SELECT 1'); } catch (error) { await setTimeout(500); }
  }
}`),
    // Exponential backoff with a cap.
    ts(`import { Client } from 'pg';
export async function connect() {
  for (let attempt = 0; attempt < 5; attempt++) {
    const client = new Client();
    try { await client.connect(); return client; } catch (error) {
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5000)));
    }
  }
  throw new Error('database unreachable');
}`),
    js(`import { setTimeout as sleep } from 'node:timers/promises';
export async function query(pool, sql) {
  let delay = 100;
  while (true) {
    try { return await pool.query(sql); } catch (error) { await sleep(delay); delay = Math.min(delay * 2, 5000); }
  }
}`),
    // The catch rethrows: not a retry.
    cjs(`async function once(pool) {
  for (let i = 0; i < 3; i++) {
    try { return await pool.query('SELECT 1'); } catch (error) { throw error; }
  }
}`),
    // No database call in the loop.
    ts(`export async function poll(url: string) {
  while (true) {
    try { return await fetch(url); } catch {}
  }
}`),
    // A loop over rows, not a retry (no break/return on success).
    js(`export async function all(pool, ids) {
  for (let i = 0; i < ids.length; i++) {
    try { await pool.query('DELETE FROM t WHERE id = $1', [ids[i]]); } catch (error) { console.error(error); }
  }
}`),
    // Retry scheduled through a callback timer: not a busy loop.
    cjs(`const mysql = require('mysql');
function connect(attempt) {
  const connection = mysql.createConnection({});
  connection.connect((err) => { if (err) setTimeout(() => connect(attempt + 1), 2 ** attempt * 100); });
}`),
    ts(`export async function q(pool: any) {
  let wait = 200;
  do {
    try { return await pool.query('SELECT 1'); } catch { await sleep(wait); wait *= 2; }
  } while (wait < 10_000);
}`),
    js(`export async function q(pool) {
  while (true) {
    const result = await pool.query('SELECT 1');
    if (result.rowCount) break;
  }
}`),
  ],
  invalid: [
    {
      ...ts(`import { Client } from 'pg';
export async function connect() {
  while (true) {
    const client = new Client();
    try { await client.connect(); return client; } catch (error) { console.warn('retrying', error); }
  }
}`),
      errors: [{ messageId: 'noDelay', line: 3 }],
    },
    {
      ...js(`export async function query(pool, sql) {
  for (let attempt = 0; attempt < 10; attempt++) {
    try { return await pool.query(sql); } catch (error) { continue; }
  }
}`),
      errors: [{ messageId: 'noDelay' }],
    },
    {
      ...cjs(`const mysql = require('mysql2/promise');
async function connect() {
  let connection;
  do {
    try { connection = await mysql.createConnection({}); break; } catch (e) { console.error(e); }
  } while (!connection);
  return connection;
}`),
      errors: [{ messageId: 'noDelay' }],
    },
    {
      ...ts(`export async function query(pool: any) {
  while (true) {
    try { return await pool.query('SELECT 1'); } catch (error) { await new Promise((r) => setTimeout(r, 1000)); }
  }
}`),
      errors: [{ messageId: 'constantDelay', data: { ms: '1000' } }],
    },
    {
      ...cjs(`async function get(pool) {
  while (true) {
    try { const conn = await pool.getConnection(); return conn; } catch { await sleep(2000); }
  }
}`),
      errors: [{ messageId: 'constantDelay' }],
    },
    {
      ...ts(`import mysql from 'mysql2/promise';
const pool = mysql.createPool({ waitForConnections: false });
export async function run(sql: string) {
  for (;;) {
    try { const [rows] = await pool.execute(sql); return rows; } catch (error) { console.log(error); }
  }
}`),
      errors: [{ messageId: 'noDelay' }],
    },
    {
      ...js(`import { Pool } from 'pg';
export async function ready() {
  const pool = new Pool();
  let ok = false;
  while (!ok) {
    try { await pool.query('SELECT 1'); ok = true; break; } catch {}
  }
  return pool;
}`),
      errors: [{ messageId: 'noDelay' }],
    },
  ],
});
