import rule from '../../../../src/javascript/rules/require-statement-timeout';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('require-statement-timeout', rule, {
  valid: [
    ts(`import { Pool } from 'pg';
export const pool = new Pool({ statement_timeout: 15000 });`),
    js(`import pg from 'pg';
export const pool = new pg.Pool({ query_timeout: 20000 });`),
    cjs(`const { Pool } = require('pg');
const pool = new Pool({ options: '-c statement_timeout=5s' });`),
    cjs(`const { Pool } = require('pg');
const pool = new Pool(config);`),
    // A short-lived connection inside a function: the rule is about long-lived handles.
    ts(`import { Client } from 'pg';
export async function once() {
  const client = new Client({ connectionTimeoutMillis: 1000 });
  await client.connect();
  try { return await client.query('SELECT 1'); } finally { await client.end(); }
}`),
    // mysql2 and mysql have no connection-level statement timeout; not judged.
    js(`import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ host: 'db' });`),
    cjs(`const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db' });`),
    ts(`import { Pool } from 'pg';
export const pool = new Pool({ ...shared, max: 4 });`),
  ],
  invalid: [
    {
      ...ts(`import { Pool } from 'pg';
export const pool = new Pool({ max: 10 });`),
      errors: [{ messageId: 'noTimeout', data: { kind: 'pool' }, suggestions: [{ messageId: 'addTimeout', output: `import { Pool } from 'pg';
export const pool = new Pool({ max: 10, statement_timeout: 30_000 });` }] }],
    },
    {
      ...js(`import pg from 'pg';
export const pool = new pg.Pool();`),
      errors: [{ messageId: 'noTimeout', suggestions: [{ messageId: 'addTimeout', output: `import pg from 'pg';
export const pool = new pg.Pool({ statement_timeout: 30_000 });` }] }],
    },
    {
      ...cjs(`const { Client } = require('pg');
const client = new Client({ host: 'db' });
module.exports = client;`),
      errors: [{ messageId: 'noTimeout', data: { kind: 'connection' }, suggestions: [{ messageId: 'addTimeout', output: `const { Client } = require('pg');
const client = new Client({ host: 'db', statement_timeout: 30_000 });
module.exports = client;` }] }],
    },
    {
      ...cjs(`const pg = require('pg');
const pool = new pg.Pool({
  max: 10,
  connectionTimeoutMillis: 5000
});`),
      errors: [{ messageId: 'noTimeout', suggestions: [{ messageId: 'addTimeout', output: `const pg = require('pg');
const pool = new pg.Pool({
  max: 10,
  connectionTimeoutMillis: 5000,
  statement_timeout: 30_000
});` }] }],
    },
    {
      ...ts(`import { Pool as PgPool } from 'pg';
class Db {
  readonly pool = new PgPool({ max: 3 });
}
export const db = new Db();`),
      errors: [{ messageId: 'noTimeout', line: 3, suggestions: [{ messageId: 'addTimeout', output: `import { Pool as PgPool } from 'pg';
class Db {
  readonly pool = new PgPool({ max: 3, statement_timeout: 30_000 });
}
export const db = new Db();` }] }],
    },
    {
      ...js(`import * as pg from 'pg';
export const pool = new pg.Pool({ options: '-c search_path=app' });`),
      errors: [{ messageId: 'noTimeout', suggestions: [{ messageId: 'addTimeout', output: `import * as pg from 'pg';
export const pool = new pg.Pool({ options: '-c search_path=app', statement_timeout: 30_000 });` }] }],
    },
    {
      ...cjs(`const { Pool } = require('node:pg'.slice(5));
const { Pool: P } = require('pg');
exports.pool = new P({ host: 'db' });`),
      errors: [{ messageId: 'noTimeout', line: 3, suggestions: [{ messageId: 'addTimeout', output: `const { Pool } = require('node:pg'.slice(5));
const { Pool: P } = require('pg');
exports.pool = new P({ host: 'db', statement_timeout: 30_000 });` }] }],
    },
    {
      ...ts(`import pg from 'pg';
const { Pool } = pg;
export const pool = new Pool({ connectionString: process.env.DATABASE_URL });`),
      errors: [{ messageId: 'noTimeout', suggestions: [{ messageId: 'addTimeout', output: `import pg from 'pg';
const { Pool } = pg;
export const pool = new Pool({ connectionString: process.env.DATABASE_URL, statement_timeout: 30_000 });` }] }],
    },
  ],
});
