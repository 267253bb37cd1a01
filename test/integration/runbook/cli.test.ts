import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { runCli } from '../../../src/cli/main';
import { uniqueTag, waitFor } from './helpers';

const URL = 'postgres://postgres@127.0.0.1:5432/test';
const tag = uniqueTag('rbcli');
const clients: Client[] = [];

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {}, cwd: process.cwd() });
  return { code, stdout, stderr };
}

after(async () => {
  for (const client of clients) await client.end().catch(() => undefined);
});

test('runbook explain / check / usage through the CLI entry', async () => {
  const explained = await run(['runbook', 'explain', 'ERROR', '1040', '(08004):', 'Too', 'many', 'connections']);
  assert.equal(explained.code, 0);
  assert.match(explained.stdout, /too many connections/);
  const unknown = await run(['runbook', 'explain', 'nothing to see here']);
  assert.equal(unknown.code, 1);
  const checked = await run(['runbook', 'check', '--url', URL, '--format', 'json']);
  assert.equal(checked.code, 0);
  assert.equal(JSON.parse(checked.stdout).ok, true);
  assert.equal((await run(['runbook', 'frobnicate', '--url', URL])).code, 2);
  assert.equal((await run(['runbook', 'terminate', '123', '--url', URL])).code, 2, 'a PostgreSQL terminate without --backend-start is a usage error');
});

test('terminate prints the confirmation and does nothing without --admin --yes; with them it ends the session and audits', async () => {
  const victim = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', application_name: tag });
  victim.on('error', () => undefined);
  await victim.connect();
  clients.push(victim);
  const { rows } = await victim.query<{ pid: number; start: string }>(`SELECT pg_backend_pid() AS pid, to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS start FROM pg_stat_activity WHERE pid = pg_backend_pid()`);
  const { pid, start } = rows[0];
  await victim.query('BEGIN');
  await victim.query(`SELECT 'held by ${tag}'`);
  const auditFile = path.join(mkdtempSync(path.join(tmpdir(), 'dbhealth-runbook-cli-')), 'audit.jsonl');
  const dry = await run(['runbook', 'terminate', String(pid), '--backend-start', start, '--url', URL, '--audit-file', auditFile]);
  assert.equal(dry.code, 1);
  assert.match(dry.stdout, new RegExp(`Terminate PostgreSQL session ${pid} \\(postgres@127\\.0\\.0\\.1:\\d+, database test, idle in transaction for \\d+s\\): SELECT 'held by ${tag}'`));
  assert.match(dry.stdout, /Nothing done/);
  assert.equal((await victim.query('SELECT 1 AS one')).rows[0].one, 1);
  const done = await run(['runbook', 'terminate', String(pid), '--backend-start', start, '--url', URL, '--audit-file', auditFile, '--admin', '--yes']);
  assert.equal(done.code, 0, done.stdout + done.stderr);
  const probe = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', application_name: `${tag}_probe` });
  await probe.connect();
  clients.push(probe);
  await waitFor(async () => (await probe.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0, 5000, 'the session to end');
  const entries = readFileSync(auditFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(entries.length, 1);
  assert.equal(entries[0].result, 'done');
  assert.equal(entries[0].target.id, String(pid));
});
