/**
 * `npm run demo` (the README's first command) starts: it prints a workbench address that answers,
 * writes the database it shows into the workspace's .env, that database has the promised sessions,
 * and Ctrl+C stops everything and removes the temporary workspace.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { PROJECT_ROOT } from './lib';

let demo: ChildProcess | undefined;
after(() => {
  if (demo && demo.exitCode === null) demo.kill('SIGINT');
});

function waitForLine(child: ChildProcess, pattern: RegExp, output: string[], timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs / 1000} s:\n${output.join('').slice(-3000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = output.join('').match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run demo exited (code ${code}) before it was ready:\n${output.join('').slice(-3000)}`));
    });
  });
}

test('npm run demo serves the workbench, a database with live sessions, and cleans up on Ctrl+C', { timeout: 300_000 }, async () => {
  const environment = { ...process.env };
  delete environment.DATABASE_URL;
  demo = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'demo.mjs')], { cwd: PROJECT_ROOT, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const [, url] = await waitForLine(demo, /Open:\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)\n[\s\S]*Press Ctrl\+C/, output, 240_000);
  const printed = output.join('');

  const response = await fetch(url);
  assert.equal(response.status, 200, `${url} answered ${response.status}`);
  assert.match(await response.text(), /workbench/i);

  const workspace = decodeURIComponent(new URL(url).searchParams.get('folder') ?? '');
  assert.ok(existsSync(path.join(workspace, 'orders_service', 'reports.py')), 'the workspace is not a copy of samples/workspace');
  const databaseUrl = readFileSync(path.join(workspace, '.env'), 'utf8').match(/^DATABASE_URL=(.+)$/m)?.[1];
  assert.ok(databaseUrl, 'the workspace .env has no DATABASE_URL');
  assert.ok(printed.includes(databaseUrl), 'the demo did not say which database it shows');

  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'dbhealth-demo-test' });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: string }>(
      "SELECT state FROM pg_stat_activity WHERE application_name LIKE 'orders-%'",
    );
    if (printed.includes('throwaway PostgreSQL')) {
      const states = rows.map((row) => row.state).sort();
      assert.deepEqual(states, ['active', 'active', 'idle', 'idle', 'idle in transaction']);
    }
  } finally {
    await client.end();
  }

  const exited = new Promise<number | null>((resolve) => demo?.once('exit', (code) => resolve(code)));
  demo.kill('SIGINT');
  assert.equal(await exited, 0);
  assert.ok(!existsSync(workspace), 'the temporary workspace was left behind');
  const port = Number(new URL(url).port);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'code-server still answers after Ctrl+C');
});
