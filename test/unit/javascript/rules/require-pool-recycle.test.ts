import rule from '../../../../src/javascript/rules/require-pool-recycle';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('require-pool-recycle', rule, {
  valid: [
    // `min` keeps idle clients only from pg-pool 3.10 (pg 8.16); the installed version is not known, so `min` alone is not judged.
    js(`import pg from 'pg';
export const pool = new pg.Pool({ min: 4, max: 10 });`),
    // pg-pool closes clients idle for 10 s by default.
    ts(`import { Pool } from 'pg';
export const pool = new Pool({ max: 10 });`),
    ts(`import { Pool } from 'pg';
export const pool = new Pool({ idleTimeoutMillis: 0, keepAlive: true });`),
    js(`import pg from 'pg';
export const pool = new pg.Pool({ min: 2, maxLifetimeSeconds: 600 });`),
    cjs(`const { Pool } = require('pg');
const pool = new Pool({ idleTimeoutMillis: 30000 });`),
    // mysql2 turns TCP keepalive on unless told otherwise.
    cjs(`const mysql = require('mysql2');
const pool = mysql.createPool({ host: 'db' });`),
    js(`import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ enableKeepAlive: false, maxIdle: 2, idleTimeout: 60000 });`),
    // mysqljs pings every connection it hands out.
    cjs(`const mysql = require('mysql');
const pool = mysql.createPool({ host: 'db' });`),
    ts(`import { Pool } from 'pg';
export const pool = new Pool({ idleTimeoutMillis: 0, keepAlive: settings.keepAlive });`),
  ],
  invalid: [
    {
      ...ts(`import { Pool } from 'pg';
export const pool = new Pool({ idleTimeoutMillis: 0 });`),
      errors: [{ messageId: 'pgIdleForever', data: { why: '`idleTimeoutMillis: 0`' }, suggestions: [{ messageId: 'addKeepAlive', output: `import { Pool } from 'pg';
export const pool = new Pool({ idleTimeoutMillis: 0, keepAlive: true });` }] }],
    },
    {
      ...cjs(`const { Pool } = require('pg');
const pool = new Pool({ idleTimeoutMillis: 0, keepAlive: false });`),
      errors: [{ messageId: 'pgIdleForever', suggestions: [{ messageId: 'addKeepAlive', output: `const { Pool } = require('pg');
const pool = new Pool({ idleTimeoutMillis: 0, keepAlive: true });` }] }],
    },
    {
      ...cjs(`const pg = require('pg');
const pool = new pg.Pool({
  min: 1,
  idleTimeoutMillis: 0,
});`),
      errors: [{ messageId: 'pgIdleForever', suggestions: [{ messageId: 'addKeepAlive', output: `const pg = require('pg');
const pool = new pg.Pool({
  min: 1,
  idleTimeoutMillis: 0,
  keepAlive: true,
});` }] }],
    },
    {
      ...cjs(`const mysql = require('mysql2');
const pool = mysql.createPool({ host: 'db', enableKeepAlive: false });`),
      errors: [{ messageId: 'mysqlNoKeepAlive', suggestions: [{ messageId: 'enableKeepAlive', output: `const mysql = require('mysql2');
const pool = mysql.createPool({ host: 'db', enableKeepAlive: true });` }] }],
    },
    {
      ...ts(`import { createPool } from 'mysql2/promise';
export const pool = createPool({ enableKeepAlive: false, connectionLimit: 5 });`),
      errors: [{ messageId: 'mysqlNoKeepAlive', suggestions: [{ messageId: 'enableKeepAlive', output: `import { createPool } from 'mysql2/promise';
export const pool = createPool({ enableKeepAlive: true, connectionLimit: 5 });` }] }],
    },
    {
      ...ts(`import * as pg from 'pg';
export const pool = new pg.Pool({ min: 2, idleTimeoutMillis: 0, connectionTimeoutMillis: 1000 });`),
      errors: [{ messageId: 'pgIdleForever', data: { why: '`idleTimeoutMillis: 0`' }, suggestions: [{ messageId: 'addKeepAlive', output: `import * as pg from 'pg';
export const pool = new pg.Pool({ min: 2, idleTimeoutMillis: 0, connectionTimeoutMillis: 1000, keepAlive: true });` }] }],
    },
    {
      ...js(`import mysql2 from 'mysql2';
export const pool = mysql2.createPool({ enableKeepAlive: false }).promise();`),
      errors: [{ messageId: 'mysqlNoKeepAlive', suggestions: [{ messageId: 'enableKeepAlive', output: `import mysql2 from 'mysql2';
export const pool = mysql2.createPool({ enableKeepAlive: true }).promise();` }] }],
    },
  ],
});
