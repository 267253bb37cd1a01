// Reduced reproductions of what real Node.js services do across modules (issue: follow connections
// through real projects): each pattern class with a true and a false case, linted with the project index.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { code, linesOf, TempProject } from './project-helpers';

const projects: TempProject[] = [];
after(() => projects.forEach((project) => project.dispose()));
function project(files: Record<string, string>): TempProject {
  const made = new TempProject(files);
  projects.push(made);
  return made;
}

const POOL = `new Pool({ connectionTimeoutMillis: 5000, statement_timeout: 10000 })`;

test('module.exports = pool, required elsewhere: a release skipped by a throw is a leak at the checkout', async () => {
  const p = project({
    'db.js': code`
      const { Pool } = require('pg');
      module.exports = ${POOL};
    `,
    'routes/users.js': code`
      const pool = require('../db');
      async function list(req, res) {
        const client = await pool.connect();
        const result = await client.query('SELECT * FROM users');
        client.release();
        res.json(result.rows);
      }
      async function safe(req, res) {
        const client = await pool.connect();
        try {
          res.json((await client.query('SELECT 1')).rows);
        } finally {
          client.release();
        }
      }
      module.exports = { list, safe };
    `,
  });
  const findings = await p.findings('routes/users.js', 'no-leaked-connection');
  assert.deepEqual(linesOf(findings), [3]);
  assert.equal(findings[0].related?.[0].start.line, 5);
});

test('export default new Pool(), module.exports = { pool, query }, export const pool, and a tsconfig paths alias', async () => {
  const p = project({
    'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }',
    'src/config/database.ts': code`
      import { Pool } from 'pg';
      export default ${POOL};
    `,
    'src/lib/db.js': code`
      const mysql = require('mysql2/promise');
      const pool = mysql.createPool({ host: 'db', connectionLimit: 5, queueLimit: 50 });
      module.exports = { pool, query: (sql, args) => pool.query(sql, args) };
    `,
    'src/named.ts': code`
      import { Pool } from 'pg';
      export const pool = ${POOL};
    `,
    'src/a.ts': code`
      import pool from './config/database';
      export async function a() {
        const client = await pool.connect();
        await client.query('SELECT 1');
        client.release();
      }
    `,
    'src/b.js': code`
      const { pool } = require('./lib/db');
      async function b() {
        const conn = await pool.getConnection();
        await conn.query('SELECT 1');
      }
      module.exports = b;
    `,
    'src/c.ts': code`
      import { pool } from '@/named';
      export async function c() {
        const client = await pool.connect();
        await client.query('SELECT 1');
        client.release();
      }
    `,
  });
  assert.deepEqual(linesOf(await p.findings('src/a.ts', 'no-leaked-connection')), [3]);
  assert.deepEqual(linesOf(await p.findings('src/b.js', 'no-leaked-connection')), [3]);
  assert.deepEqual(linesOf(await p.findings('src/c.ts', 'no-leaked-connection')), [3]);
});

test('helpers: getClient() hands out a checkout, releaseClient(client) gives it back', async () => {
  const p = project({
    'db.ts': code`
      import { Pool } from 'pg';
      const pool = ${POOL};
      export async function getClient() {
        return pool.connect();
      }
      export function releaseClient(client: any) {
        client.release();
      }
    `,
    'service.ts': code`
      import { getClient, releaseClient } from './db';
      export async function leaky() {
        const client = await getClient();
        await client.query('SELECT 1');
        releaseClient(client);
      }
      export async function safe() {
        const client = await getClient();
        try {
          await client.query('SELECT 1');
        } finally {
          releaseClient(client);
        }
      }
    `,
  });
  assert.deepEqual(linesOf(await p.findings('service.ts', 'no-leaked-connection')), [3]);
});

test('callback checkouts from an imported pool: an early return on one branch leaks', async () => {
  const p = project({
    'db.js': code`
      const mysql = require('mysql');
      module.exports = mysql.createPool({ host: 'db', connectionLimit: 5, queueLimit: 50 });
    `,
    'route.js': code`
      const pool = require('./db');
      function handler(req, res) {
        pool.getConnection((err, conn) => {
          if (err) return res.status(500).end();
          conn.query('SELECT 1', (error, rows) => {
            if (error) return res.status(500).end();
            conn.release();
            res.json(rows);
          });
        });
      }
      module.exports = handler;
    `,
  });
  assert.deepEqual(linesOf(await p.findings('route.js', 'no-leaked-connection')), [3]);
});

test('attributes: app.locals.db set in one module, req.app.locals.db used in another', async () => {
  const p = project({
    'app.js': code`
      const { Pool } = require('pg');
      const express = require('express');
      const app = express();
      app.locals.db = ${POOL};
      module.exports = app;
    `,
    'orders.js': code`
      async function orders(req, res) {
        const client = await req.app.locals.db.connect();
        const { rows } = await client.query('SELECT 1');
        client.release();
        res.json(rows);
      }
      module.exports = orders;
    `,
  });
  assert.deepEqual(linesOf(await p.findings('orders.js', 'no-leaked-connection')), [2]);
});

test('evidence from use: an unknown receiver whose connect() result is queried and released', async () => {
  const p = project({
    'repo.js': code`
      async function load(source) {
        const client = await source.connect();
        const { rows } = await client.query('SELECT 1');
        client.release();
        return rows;
      }
      async function redis(cache) {
        const connection = await cache.connect();
        return connection.get('k');
      }
      module.exports = { load, redis };
    `,
  });
  assert.deepEqual(linesOf(await p.findings('repo.js', 'no-leaked-connection')), [2]);
});

test('explicit resource management: `await using` releases on every path', async () => {
  const p = project({
    'db.ts': code`
      import mysql from 'mysql2/promise';
      export const pool = mysql.createPool({ host: 'db', connectionLimit: 5, queueLimit: 50 });
    `,
    'use.ts': code`
      import { pool } from './db';
      export async function f() {
        await using conn = await pool.getConnection();
        await conn.query('SELECT 1');
      }
    `,
  });
  assert.deepEqual(await p.findings('use.ts', 'no-leaked-connection'), []);
});

test('a handler that calls a helper which opens a client is a connection per request; a lazy singleton is not', async () => {
  const p = project({
    'db.js': code`
      const { Client, Pool } = require('pg');
      let pool;
      function connect() {
        return new Client({ connectionTimeoutMillis: 5000 });
      }
      function getPool() {
        if (!pool) pool = new Pool({ connectionTimeoutMillis: 5000 });
        return pool;
      }
      module.exports = { connect, getPool };
    `,
    'routes.js': code`
      const { connect, getPool } = require('./db');
      async function a(req, res) {
        const client = connect();
        await client.connect();
        try { res.json((await client.query('SELECT 1')).rows); } finally { await client.end(); }
      }
      async function b(req, res) {
        res.json((await getPool().query('SELECT 1')).rows);
      }
      module.exports = { a, b };
    `,
  });
  assert.deepEqual(linesOf(await p.findings('routes.js', 'no-connect-per-request')), [3]);
});

test('a helper that always throws or exits ends the path (never-returning facts across modules)', async () => {
  const p = project({
    'fail.ts': code`
      export function fail(message: string): never {
        throw new Error(message);
      }
    `,
    'x.ts': code`
      import { fail } from './fail';
      export function check(value: unknown) {
        if (!value) fail('missing');
      }
    `,
  });
  // The facts are read through the index: the import resolves and says the helper never returns.
  const view = p.index.view(p.path('x.ts'), 'javascript');
  await p.findings('x.ts');
  assert.deepEqual(view.imported('./fail', 'fail'), { kind: 'function', facts: { neverReturns: 'raises' } });
});
