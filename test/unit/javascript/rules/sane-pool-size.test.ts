import rule from '../../../../src/javascript/rules/sane-pool-size';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('sane-pool-size', rule, {
  valid: [
    ts(`import { Pool } from 'pg';
export const pool = new Pool({ max: 20, min: 2 });`),
    ts(`import { Pool } from 'pg';
export const pool = new Pool({ max: 97 });`),
    js(`import pg from 'pg';
export const pool = new pg.Pool({ min: 5 });`),
    cjs(`const mysql = require('mysql2');
const pool = mysql.createPool({ connectionLimit: 151 });`),
    cjs(`const mysql = require('mysql');
const pool = mysql.createPool({ connectionLimit: Number(process.env.POOL_SIZE) });`),
    js(`import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ connectionLimit: 10 });`),
    // A single connection has no pool bounds.
    ts(`import { Client } from 'pg';
export const client = new Client({ max: 500 } as never);`),
    ts(`import { Pool } from 'pg';
export const pool = new Pool({ max: size, min: 50 });`),
  ],
  invalid: [
    {
      ...ts(`import { Pool } from 'pg';
export const pool = new Pool({ max: 5, min: 10 });`),
      errors: [{ messageId: 'minAboveMax', data: { minOption: 'min', min: '10', maxOption: 'max', max: '5' } }],
    },
    {
      ...js(`import pg from 'pg';
export const pool = new pg.Pool({ min: 20 });`),
      errors: [{ messageId: 'minAboveMax', data: { minOption: 'min', min: '20', maxOption: 'max', max: '10' } }],
    },
    {
      ...cjs(`const { Pool } = require('pg');
const pool = new Pool({ max: 0 });`),
      errors: [{ messageId: 'notPositive' }],
    },
    {
      ...ts(`import { Pool } from 'pg';
export const pool = new Pool({ max: 200 });`),
      errors: [{ messageId: 'aboveServer', data: { option: 'max', value: '200', server: 'PostgreSQL', budget: '97' } }],
    },
    {
      ...cjs(`const mysql = require('mysql2');
const pool = mysql.createPool({ connectionLimit: 1000 });`),
      errors: [{ messageId: 'aboveServer', data: { option: 'connectionLimit', value: '1000', server: 'MySQL/MariaDB', budget: '151' } }],
    },
    {
      ...js(`import { createPool } from 'mysql';
export const pool = createPool({ connectionLimit: -1 });`),
      errors: [{ messageId: 'notPositive' }],
    },
    {
      ...ts(`import mysql from 'mysql2/promise';
export const pool = mysql.createPool({ connectionLimit: 0 });`),
      errors: [{ messageId: 'notPositive' }],
    },
    {
      ...cjs(`const pg = require('pg');
const pool = new pg.Pool({ max: 300, min: 400 });`),
      errors: [{ messageId: 'aboveServer' }, { messageId: 'minAboveMax' }],
    },
  ],
});
