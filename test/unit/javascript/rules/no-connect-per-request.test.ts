import rule from '../../../../src/javascript/rules/no-connect-per-request';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('no-connect-per-request', rule, {
  valid: [
    // A readiness loop: the creation sits in a try that retries, require-retry-backoff judges it.
    cjs(`const { Pool } = require('pg');
async function waitForDb() {
  for (let i = 0; i < 10; i++) {
    try {
      const pool = new Pool({ connectionTimeoutMillis: 1000 });
      await pool.query('SELECT 1');
      return pool;
    } catch (e) {
      await new Promise((r) => setTimeout(r, 1000 * 2 ** i));
    }
  }
}
module.exports = waitForDb;`),
    // The pool is created once; handlers check out from it.
    cjs(`const express = require('express');
const { Pool } = require('pg');
const pool = new Pool();
const app = express();
app.get('/users', async (req, res) => {
  res.json((await pool.query('SELECT * FROM users')).rows);
});`),
    // A lazily created singleton stored outside the handler.
    js(`import mysql from 'mysql2/promise';
let pool;
export function getPool() {
  if (!pool) pool = mysql.createPool({ host: 'db' });
  return pool;
}
app.get('/x', async (req, res) => res.json(await getPool().query('SELECT 1')));`),
    ts(`import { Pool } from 'pg';
class Repo {
  pool?: Pool;
  handle(req: unknown) {
    this.pool ??= new Pool();
    return this.pool.query('SELECT 1');
  }
}`),
    // A while loop around connect is a retry loop: require-retry-backoff judges it.
    ts(`import { Client } from 'pg';
export async function connectWithRetry() {
  while (true) {
    const client = new Client();
    try { await client.connect(); return client; } catch { await new Promise((r) => setTimeout(r, 1000)); }
  }
}`),
    // A script that opens one connection: not a handler, not a loop.
    cjs(`const mysql = require('mysql');
async function main() {
  const connection = mysql.createConnection({ host: 'db' });
  connection.end();
}`),
    // Not a handler: first parameter is not a request.
    js(`import { Pool } from 'pg';
emitter.on('start', (config) => { const pool = new Pool(config); });`),
    // Looping over items that are not connections.
    ts(`import { Pool } from 'pg';
const pool = new Pool();
export async function all(ids: number[]) {
  for (const id of ids) await pool.query('SELECT $1', [id]);
}`),
    // Pools per tenant created once at startup, outside any handler or loop.
    js(`import { Pool } from 'pg';
export const pools = { a: new Pool({ database: 'a' }), b: new Pool({ database: 'b' }) };`),
  ],
  invalid: [
    {
      // A handler by its signature, registered in another file (routes.js imports it).
      ...cjs(`const { Client } = require('pg');
async function getUsers(req, res) {
  const client = new Client({ connectionTimeoutMillis: 5000 });
  await client.connect();
  try { res.json((await client.query('SELECT * FROM users')).rows); } finally { await client.end(); }
}
module.exports = { getUsers };`),
      errors: [{ messageId: 'connectionPerRequest', line: 3 }],
    },
    {
      ...cjs(`const { Pool } = require('pg');
app.get('/users', async (req, res) => {
  const pool = new Pool();
  res.json((await pool.query('SELECT 1')).rows);
});`),
      errors: [{ messageId: 'poolPerRequest', line: 3 }],
    },
    {
      ...ts(`import { Client } from 'pg';
router.post('/orders', async (req, res) => {
  const client = new Client();
  await client.connect();
  try { res.json(await client.query('SELECT 1')); } finally { await client.end(); }
});`),
      errors: [{ messageId: 'connectionPerRequest' }],
    },
    {
      ...js(`import mysql from 'mysql2/promise';
fastify.get('/x', async (request, reply) => {
  const connection = await mysql.createConnection({ host: 'db' });
  return connection.query('SELECT 1');
});`),
      errors: [{ messageId: 'connectionPerRequest' }],
    },
    {
      ...ts(`import { createConnection } from 'mysql';
router.get('/', async (ctx) => {
  const connection = createConnection({ host: 'db' });
  ctx.body = 'ok';
  connection.end();
});`),
      errors: [{ messageId: 'connectionPerRequest' }],
    },
    {
      // Next.js API route
      ...ts(`import { Pool } from 'pg';
export default async function handler(req, res) {
  const pool = new Pool();
  res.status(200).json((await pool.query('SELECT 1')).rows);
}`),
      errors: [{ messageId: 'poolPerRequest' }],
    },
    {
      // Next.js app-router route
      ...ts(`import { Client } from 'pg';
export async function GET(request: Request) {
  const client = new Client();
  await client.connect();
  try { return Response.json((await client.query('SELECT 1')).rows); } finally { await client.end(); }
}`),
      errors: [{ messageId: 'connectionPerRequest' }],
    },
    {
      ...cjs(`const mysql = require('mysql2');
function importAll(rows) {
  for (const row of rows) {
    const connection = mysql.createConnection({ host: 'db' });
    connection.query('INSERT INTO t VALUES (?)', [row]);
    connection.end();
  }
}`),
      errors: [{ messageId: 'connectionInLoop' }],
    },
    {
      ...js(`import pg from 'pg';
export function pools(databases) {
  return databases.map((database) => new pg.Pool({ database }));
}`),
      errors: [{ messageId: 'poolInLoop' }],
    },
    {
      // Nested helper inside a handler still runs per request.
      ...cjs(`const { Client } = require('pg');
app.use(async (req, res, next) => {
  const open = () => new Client();
  const client = open();
  next();
});`),
      errors: [{ messageId: 'connectionPerRequest' }],
    },
  ],
});
