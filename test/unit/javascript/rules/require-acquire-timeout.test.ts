import rule from '../../../../src/javascript/rules/require-acquire-timeout';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('require-acquire-timeout', rule, {
  valid: [
    // A pool made, used once and dropped inside one function (a readiness probe): nobody queues behind it.
    cjs(`const { Pool } = require('pg');
async function databaseIsUp() {
  const probe = new Pool({ max: 1 });
  await probe.query('SELECT 1');
  await probe.end();
}
module.exports = databaseIsUp;`),
    ts(`import { Pool } from 'pg';
export const pool = new Pool({ max: 10, connectionTimeoutMillis: 5000 });`),
    cjs(`const { Pool } = require('pg');
module.exports = new Pool({ connectionTimeoutMillis: Number(process.env.DB_ACQUIRE_MS) });`),
    // Options from elsewhere: unknowable, so not judged.
    js(`import pg from 'pg';
import { settings } from './settings.js';
export const pool = new pg.Pool(settings);`),
    // A local function that returns something other than literals: nothing to judge.
    cjs(`const { Pool } = require('pg');
function connectionData() {
  if (process.env.DATABASE_URL) return parse(process.env.DATABASE_URL);
  return { host: 'localhost' };
}
module.exports = new Pool(connectionData());`),
    // A spread of an exported object: another module may add the timeout.
    js(`import pg from 'pg';
export const base = { max: 5 };
export const pool = new pg.Pool({ ...base });`),
    cjs(`const mysql = require('mysql2');
const pool = mysql.createPool({ host: 'db', waitForConnections: false });`),
    // A bounded queue makes overload fail fast.
    ts(`import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ host: 'db', queueLimit: 50 });`),
    // Single connections have no checkout.
    ts(`import { Client } from 'pg';
export const client = new Client({ connectionTimeoutMillis: 2000 });`),
    // Not one of our drivers.
    js(`import { Pool } from 'generic-pool';
export const pool = new Pool({});`),
    cjs(`const mysql = require('mysql');
const pool = mysql.createPool({ waitForConnections: process.env.WAIT === '1' });`),
  ],
  invalid: [
    // A local function returns one literal per environment, none with the timeout (a plugin server's pool).
    {
      ...cjs(`const { Pool } = require('pg');
const connectionData = () => {
  if (process.env.NODE_ENV === 'test') return { host: 'localhost', database: 'test' };
  return { connectionString: process.env.DATABASE_URL, ssl: true };
};
module.exports = new Pool(connectionData());`),
      errors: [{ messageId: 'pgNoTimeout', data: { max: '10' }, line: 6, suggestions: [] }],
    },
    // A spread of a literal this file keeps to itself: every option is visible, and none is the timeout.
    {
      ...js(`import pg from 'pg';
const base = { max: 5 };
export const pool = new pg.Pool({ ...base });`),
      errors: [{ messageId: 'pgNoTimeout', data: { max: '5' }, line: 3, suggestions: [] }],
    },
    {
      ...ts(`import { Pool } from 'pg';
export const pool = new Pool({ max: 20 });`),
      errors: [
        {
          messageId: 'pgNoTimeout',
          data: { max: '20' },
          line: 2,
          suggestions: [{ messageId: 'addTimeout', output: `import { Pool } from 'pg';
export const pool = new Pool({ max: 20, connectionTimeoutMillis: 10_000 });` }],
        },
      ],
    },
    {
      ...js(`import pg from 'pg';
export const pool = new pg.Pool();`),
      errors: [{ messageId: 'pgNoTimeout', data: { max: '10' }, suggestions: [{ messageId: 'addTimeout', output: `import pg from 'pg';
export const pool = new pg.Pool({ connectionTimeoutMillis: 10_000 });` }] }],
    },
    {
      ...cjs(`const { Pool: PgPool } = require('pg');
const pool = new PgPool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
});`),
      errors: [{ messageId: 'pgNoTimeout', suggestions: [{ messageId: 'addTimeout', output: `const { Pool: PgPool } = require('pg');
const pool = new PgPool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 10_000,
});` }] }],
    },
    {
      ...ts(`import * as pg from 'pg';
export const pool = new pg.Pool({ connectionTimeoutMillis: 0 });`),
      errors: [{ messageId: 'pgZero', column: 60, suggestions: [{ messageId: 'addTimeout', output: `import * as pg from 'pg';
export const pool = new pg.Pool({ connectionTimeoutMillis: 10_000 });` }] }],
    },
    {
      ...cjs(`const Pool = require('pg').Pool;
const pool = new Pool({ host: 'db' });`),
      errors: [{ messageId: 'pgNoTimeout', suggestions: [{ messageId: 'addTimeout', output: `const Pool = require('pg').Pool;
const pool = new Pool({ host: 'db', connectionTimeoutMillis: 10_000 });` }] }],
    },
    {
      ...cjs(`const mysql = require('mysql2');
const pool = mysql.createPool({ host: 'db', connectionLimit: 10 });`),
      errors: [{ messageId: 'queueForever', suggestions: [{ messageId: 'failFast', output: `const mysql = require('mysql2');
const pool = mysql.createPool({ host: 'db', connectionLimit: 10, waitForConnections: false });` }] }],
    },
    {
      ...ts(`import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ host: 'db', waitForConnections: true, queueLimit: 0 });`),
      errors: [{ messageId: 'queueForever', suggestions: [{ messageId: 'failFast', output: `import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ host: 'db', waitForConnections: false, queueLimit: 0 });` }] }],
    },
    {
      ...js(`import { createPool } from 'mysql';
export const pool = createPool({ host: 'db' });`),
      errors: [{ messageId: 'queueForever', suggestions: [{ messageId: 'failFast', output: `import { createPool } from 'mysql';
export const pool = createPool({ host: 'db', waitForConnections: false });` }] }],
    },
  ],
});
