/**
 * `npm run demo` (the README's first command) starts: it prints a workbench address that answers,
 * writes the database it shows into the workspace's .env, that database has the promised sessions,
 * and Ctrl+C stops everything and removes the temporary workspace.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { PROJECT_ROOT } from './lib';

let demo: ChildProcess | undefined;
after(() => {
  if (demo && demo.exitCode === null) demo.kill('SIGINT');
});

/**
 * The PostgreSQL major version whose binaries the demo must use, found the way the README says
 * (the newest /usr/lib/postgresql/<version>/bin with initdb and pg_ctl); undefined when there is none.
 */
function machinePostgresVersion(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((version) => /^\d+$/.test(version) && ['initdb', 'pg_ctl'].every((tool) => existsSync(path.join(root, version, 'bin', tool))))
    .sort((a, b) => Number(b) - Number(a))[0];
}

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

  // Which database the demo must show is decided here from the machine, not from what it printed:
  // with PostgreSQL binaries installed, falling back to PGlite is a failure, not a quieter demo.
  const postgresVersion = machinePostgresVersion();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'dbhealth-demo-test' });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: string }>(
      "SELECT state FROM pg_stat_activity WHERE application_name LIKE 'orders-%'",
    );
    const states = rows.map((row) => row.state).sort();
    if (postgresVersion) {
      assert.doesNotMatch(printed, /using PGlite instead/, `the demo fell back to PGlite although PostgreSQL ${postgresVersion} is installed:\n${printed.slice(-3000)}`);
      assert.match(printed, new RegExp(`Database:\\s+a throwaway PostgreSQL ${postgresVersion} cluster on 127\\.0\\.0\\.1:\\d+`));
      const major = (await client.query<{ version: string }>("SELECT current_setting('server_version_num') AS version")).rows[0].version.slice(0, -4);
      assert.equal(major, postgresVersion, 'the database behind DATABASE_URL is not the machine\'s PostgreSQL');
      assert.deepEqual(states, ['active', 'active', 'idle', 'idle', 'idle in transaction']);
    } else {
      assert.match(printed, /Database:\s+an embedded PGlite/);
      assert.deepEqual(states, []);
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
