/** `dbhealth health` through the CLI dispatcher against the real PostgreSQL and MariaDB. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/main';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, env, cwd: process.cwd() });
  return { code, stdout, stderr };
}

describe('dbhealth health', { timeout: 30_000 }, () => {
  it('prints the JSON contract for PostgreSQL and exits 0 when no error alert is raised', async () => {
    const { code, stdout } = await run(['health', '--url', 'postgres://postgres@127.0.0.1:5432/test', '--format', 'json']);
    const snapshot = JSON.parse(stdout);
    for (const field of ['engine', 'serverVersion', 'sampledAt', 'connections', 'alerts', 'sessions', 'rates', 'limits', 'byUser', 'byApplication', 'byClient']) assert.ok(field in snapshot, field);
    for (const field of ['total', 'max', 'utilization', 'byState']) assert.ok(field in snapshot.connections, field);
    assert.equal(snapshot.engine, 'postgres');
    assert.ok(snapshot.connections.utilization >= 0 && snapshot.connections.utilization <= 1);
    assert.equal(code, snapshot.alerts.some((alert: { severity: string }) => alert.severity === 'error') ? 1 : 0);
  });

  it('prints text for MariaDB, taking the URL from DATABASE_URL', async () => {
    const { code, stdout } = await run(['health'], { DATABASE_URL: 'mariadb://root@127.0.0.1:3306/test' });
    assert.equal(code, 0);
    assert.match(stdout, /^mysql root@127\.0\.0\.1:3306\/test — .*MariaDB/);
    assert.match(stdout, /\nconnections: \d+ of \d+ usable/);
    assert.match(stdout, /\nmysql: threads connected \d+, running \d+/);
  });

  it('exits 2 with the usage on bad arguments, and never prints the password', async () => {
    const missing = await run(['health']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /health needs --url/);
    const format = await run(['health', '--url', 'postgres://x@h/d', '--format', 'xml']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be one of text, json/);
    const scheme = await run(['health', '--url', 'oracle://u:topsecret@h/d']);
    assert.equal(scheme.code, 2);
    assert.ok(!scheme.stderr.includes('topsecret'));
    const interval = await run(['health', '--url', 'postgres://h/d', '--watch', '--interval', '0']);
    assert.equal(interval.code, 2);
  });

  it('exits 1 with one clear line when the server cannot be reached', async () => {
    const { code, stderr, stdout } = await run(['health', '--url', 'postgres://postgres:pw@127.0.0.1:1/test', '--format', 'json']);
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout).error.kind, 'unreachable');
    assert.equal(stderr, 'dbhealth: connecting to PostgreSQL: connect ECONNREFUSED 127.0.0.1:1\n');
  });
});
