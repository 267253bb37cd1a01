import rule from '../../../../src/javascript/rules/require-connect-timeout';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('require-connect-timeout', rule, {
  valid: [
    ts(`import { Client } from 'pg';
export const client = new Client({ connectionTimeoutMillis: 5000 });`),
    // A pg pool's connectionTimeoutMillis is require-acquire-timeout's concern.
    ts(`import { Pool } from 'pg';
export const pool = new Pool({ max: 5 });`),
    // mysql2 and mysql default connectTimeout to 10 s.
    cjs(`const mysql = require('mysql2');
const connection = mysql.createConnection({ host: 'db' });`),
    js(`import mysql from 'mysql';
export const connection = mysql.createConnection({ host: 'db' });`),
    js(`import mysql from 'mysql2/promise';
export const connection = await mysql.createConnection({ host: 'db', connectTimeout: 3000 });`),
    cjs(`const { Client } = require('pg');
const client = new Client(config);`),
    cjs(`const { Client } = require('pg');
const client = new Client({ ...config });`),
    ts(`import { Client } from 'pg';
export const client = new Client({ connectionTimeoutMillis: settings.connectMs });`),
  ],
  invalid: [
    {
      ...ts(`import { Client } from 'pg';
export const client = new Client({ host: 'db' });`),
      errors: [{ messageId: 'noTimeout', data: { option: 'connectionTimeoutMillis' }, suggestions: [{ messageId: 'addTimeout', data: { option: 'connectionTimeoutMillis' }, output: `import { Client } from 'pg';
export const client = new Client({ host: 'db', connectionTimeoutMillis: 10_000 });` }] }],
    },
    {
      ...js(`import pg from 'pg';
export const client = new pg.Client();`),
      errors: [{ messageId: 'noTimeout', suggestions: [{ messageId: 'addTimeout', output: `import pg from 'pg';
export const client = new pg.Client({ connectionTimeoutMillis: 10_000 });` }] }],
    },
    {
      ...cjs(`const { Client } = require('pg');
async function once() {
  const client = new Client({
    connectionString: process.env.DATABASE_URL,
  });
  await client.connect();
  try { return await client.query('SELECT 1'); } finally { await client.end(); }
}`),
      errors: [{ messageId: 'noTimeout', line: 3, suggestions: [{ messageId: 'addTimeout', output: `const { Client } = require('pg');
async function once() {
  const client = new Client({
    connectionString: process.env.DATABASE_URL,
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try { return await client.query('SELECT 1'); } finally { await client.end(); }
}` }] }],
    },
    {
      ...ts(`import { Client } from 'pg';
export const client = new Client({ connectionTimeoutMillis: 0 });`),
      errors: [{ messageId: 'disabled', suggestions: [{ messageId: 'addTimeout', output: `import { Client } from 'pg';
export const client = new Client({ connectionTimeoutMillis: 10_000 });` }] }],
    },
    {
      ...cjs(`const mysql = require('mysql2');
const connection = mysql.createConnection({ host: 'db', connectTimeout: 0 });`),
      errors: [{ messageId: 'disabled', data: { option: 'connectTimeout' }, suggestions: [{ messageId: 'addTimeout', output: `const mysql = require('mysql2');
const connection = mysql.createConnection({ host: 'db', connectTimeout: 10_000 });` }] }],
    },
    {
      ...js(`import { createPool } from 'mysql2/promise';
export const pool = createPool({ host: 'db', connectTimeout: 0, waitForConnections: false });`),
      errors: [{ messageId: 'disabled', suggestions: [{ messageId: 'addTimeout', output: `import { createPool } from 'mysql2/promise';
export const pool = createPool({ host: 'db', connectTimeout: 10_000, waitForConnections: false });` }] }],
    },
    {
      ...ts(`import mysql = require('mysql');
export const connection = mysql.createConnection({ connectTimeout: 0 });`),
      errors: [{ messageId: 'disabled', suggestions: [{ messageId: 'addTimeout', output: `import mysql = require('mysql');
export const connection = mysql.createConnection({ connectTimeout: 10_000 });` }] }],
    },
    {
      ...cjs(`const pg = require('pg');
const client = pg.Client({ user: 'app' });`),
      errors: [{ messageId: 'noTimeout', suggestions: [{ messageId: 'addTimeout', output: `const pg = require('pg');
const client = pg.Client({ user: 'app', connectionTimeoutMillis: 10_000 });` }] }],
    },
  ],
});
