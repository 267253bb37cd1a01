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
    // Options read through a local config: set by an assignment after the literal.
    cjs(`const { Client } = require('pg');
async function open(target) {
  const config = { host: target.host, user: target.user };
  config.connectionTimeoutMillis = target.timeoutMs;
  const client = new Client(config);
  await client.connect();
  return client;
}`),
    // Handed to a function before the client is built: it may add any option.
    cjs(`const { Client } = require('pg');
async function open(target) {
  const config = { host: target.host };
  applyDefaults(config);
  return new Client(config);
}`),
    // One of the alternatives comes from outside this file.
    cjs(`const { Client } = require('pg');
function open(target, fallback) {
  const config = target ? { host: target.host } : fallback;
  return new Client(config);
}`),
    // Exported: another module may add the timeout.
    ts(`import { Client } from 'pg';
export const config = { host: 'db' };
export function open() { return new Client(config); }`),
    // Reassigned: which object is built from is not visible.
    cjs(`const { Client } = require('pg');
function open(target) {
  let config = { host: 'db' };
  if (target) config = target;
  return new Client(config);
}`),
  ],
  invalid: [
    // A local config filled in before the client is built, never with the timeout (a SQL tool's driver).
    {
      ...cjs(`const pg = require('pg');
class Session {
  async connect(target) {
    const config = { user: target.user, host: target.host, database: target.database };
    if (target.queryTimeoutSeconds) config.query_timeout = target.queryTimeoutSeconds * 1000;
    if (target.certificate) config.ssl = { cert: target.certificate };
    this.client = new pg.Client(config);
    await this.client.connect();
  }
}`),
      errors: [{ messageId: 'noTimeout', line: 7, suggestions: [] }],
    },
    // Every alternative is a literal without the timeout, spread into the options.
    {
      ...cjs(`const { Client } = require('pg');
function open(url, settings) {
  const credentials = url ? { connectionString: url } : { host: settings.host, user: settings.user };
  return new Client({ ...credentials, statement_timeout: 5000 });
}`),
      errors: [{ messageId: 'noTimeout', line: 4, suggestions: [] }],
    },
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
