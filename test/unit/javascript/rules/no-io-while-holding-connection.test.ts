import rule from '../../../../src/javascript/rules/no-io-while-holding-connection';
import { cjs, createRuleTester, js, ts } from '../rule-tester';

createRuleTester().run('no-io-while-holding-connection', rule, {
  valid: [
    // The HTTP call happens before the checkout.
    ts(`export async function sync(pool: any, id: number) {
  const profile = await fetch('https://api.example.com/' + id);
  const client = await pool.connect();
  try { await client.query('UPDATE t SET p = $1', [await profile.text()]); } finally { client.release(); }
}`),
    // ...or after the release.
    js(`import axios from 'axios';
export async function notify(pool) {
  const client = await pool.connect();
  let rows;
  try { rows = (await client.query('SELECT 1')).rows; } finally { client.release(); }
  await axios.post('https://hooks.example.com', rows);
}`),
    // pool.query holds a connection only for the query itself.
    cjs(`const axios = require('axios');
async function f(pool) {
  const { rows } = await pool.query('SELECT 1');
  await axios.get('https://x');
}`),
    // A local function named fetch is not the global fetch.
    ts(`const fetch = async (client: any) => client.query('SELECT 1');
export async function f(pool: any) {
  const client = await pool.connect();
  try { await fetch(client); } finally { client.release(); }
}`),
    // Not awaited: started, not waited on while holding.
    js(`export async function f(pool) {
  const client = await pool.connect();
  try { fetch('https://x'); await client.query('SELECT 1'); } finally { client.release(); }
}`),
    // Callback checkout: not analysed for I/O (nothing awaited on the connection).
    cjs(`const mysql = require('mysql');
const pool = mysql.createPool({});
pool.getConnection((err, conn) => { if (err) return; conn.release(); });`),
    // A redis client, not a database pool checkout.
    ts(`export async function f(redis: any) {
  const conn = await redis.connect();
  await fetch('https://x');
}`),
    js(`import { setTimeout as sleep } from 'node:timers/promises';
export async function f(pool) {
  await sleep(100);
  const client = await pool.connect();
  try { await client.query('SELECT 1'); } finally { client.release(); }
}`),
  ],
  invalid: [
    {
      ...ts(`export async function sync(pool: any, id: number) {
  const client = await pool.connect();
  try {
    const response = await fetch('https://api.example.com/' + id);
    await client.query('UPDATE t SET p = $1', [await response.text()]);
  } finally {
    client.release();
  }
}`),
      errors: [{ messageId: 'http', data: { name: 'client' }, line: 4 }],
    },
    {
      ...js(`import axios from 'axios';
export async function f(pool) {
  const client = await pool.connect();
  try { await axios.get('https://x'); } finally { client.release(); }
}`),
      errors: [{ messageId: 'http' }],
    },
    {
      ...cjs(`const axios = require('axios');
async function f(pool) {
  const client = await pool.connect();
  const r = await axios('https://x');
  client.release();
}`),
      errors: [{ messageId: 'http' }],
    },
    {
      ...ts(`import { setTimeout } from 'node:timers/promises';
export async function f(pool: any) {
  const conn = await pool.getConnection();
  try { await setTimeout(5000); await conn.query('SELECT 1'); } finally { conn.release(); }
}`),
      errors: [{ messageId: 'sleep', data: { name: 'conn' } }],
    },
    {
      ...js(`export async function f(pool) {
  const client = await pool.connect();
  try { await new Promise((resolve) => setTimeout(resolve, 1000)); } finally { client.release(); }
}`),
      errors: [{ messageId: 'sleep' }],
    },
    {
      ...cjs(`const got = require('got');
const mysql = require('mysql2/promise');
const pool = mysql.createPool({});
async function f() {
  const conn = await pool.getConnection();
  try { await got.post('https://x'); } finally { conn.release(); }
}`),
      errors: [{ messageId: 'http' }],
    },
    {
      ...ts(`import { request } from 'undici';
export async function f(pool: any) {
  const client = await pool.connect();
  try { await request('https://x'); } finally { client.release(); }
}`),
      errors: [{ messageId: 'http' }],
    },
    {
      ...js(`import https from 'node:https';
async function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
export async function f(pool) {
  const client = await pool.connect();
  try { await sleep(10); await https.get('https://x'); } finally { client.release(); }
}`),
      errors: [{ messageId: 'sleep' }, { messageId: 'http' }],
    },
  ],
});
