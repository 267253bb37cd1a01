/** `dbhealth health` through the CLI dispatcher against the real PostgreSQL and MariaDB. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from 'pg';
import mysql from 'mysql2/promise';
import { runCli } from '../../../src/cli/main';
import { freePort, pgClient, ThrowawayCluster } from './helpers';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, env, cwd: process.cwd() });
  return { code, stdout, stderr };
}

describe('dbhealth health', { timeout: 30_000 }, () => {
  it('prints the JSON contract for PostgreSQL', async () => {
    const { stdout } = await run(['health', '--url', 'postgres://postgres@127.0.0.1:5432/test', '--format', 'json']);
    const snapshot = JSON.parse(stdout);
    for (const field of ['engine', 'serverVersion', 'sampledAt', 'connections', 'alerts', 'sessions', 'rates', 'limits', 'byUser', 'byApplication', 'byClient']) assert.ok(field in snapshot, field);
    for (const field of ['total', 'max', 'utilization', 'byState']) assert.ok(field in snapshot.connections, field);
    assert.equal(snapshot.engine, 'postgres');
    assert.ok(snapshot.connections.utilization >= 0 && snapshot.connections.utilization <= 1);
  });

  it('exits 0 on a quiet server and 1 once the test fills it past the error threshold', { timeout: 90_000 }, async () => {
    // A server of the test's own, so the only sessions on it are the ones the test opens:
    // max_connections 10 with 3 reserved for superusers leaves 7 usable.
    const port = await freePort(16470, 16479);
    const cluster = new ThrowawayCluster(port, { settings: { max_connections: '10', superuser_reserved_connections: '3' } });
    const held: Client[] = [];
    try {
      cluster.start();
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      // Only the monitor's own session: 1 of 7 usable (14 %), under the 80 % warning threshold.
      const quiet = await run(['health', '--url', url, '--format', 'json']);
      const quietSnapshot = JSON.parse(quiet.stdout);
      assert.deepEqual([quietSnapshot.connections.total, quietSnapshot.connections.max], [1, 7]);
      assert.deepEqual(quietSnapshot.alerts.filter((alert: { severity: string }) => alert.severity === 'error'), []);
      assert.equal(quiet.code, 0, quiet.stderr);
      // Six idle sessions plus the monitor: 7 of 7 usable (100 %), over the 95 % error threshold.
      for (let index = 0; index < 6; index++) held.push(await pgClient({ port, database: 'postgres', application: 'health-cli-fill' }));
      const full = await run(['health', '--url', url, '--format', 'json']);
      const fullSnapshot = JSON.parse(full.stdout);
      assert.deepEqual([fullSnapshot.connections.total, fullSnapshot.connections.max], [7, 7]);
      assert.deepEqual(fullSnapshot.alerts.filter((alert: { severity: string }) => alert.severity === 'error').map((alert: { id: string }) => alert.id), ['connection-utilization']);
      assert.equal(full.code, 1);
      // The text format exits the same way and says why.
      const fullText = await run(['health', '--url', url]);
      assert.equal(fullText.code, 1);
      assert.match(fullText.stdout, /7 of 7 usable connections in use/);
    } finally {
      await Promise.all(held.map((client) => client.end().catch(() => undefined)));
      cluster.destroy();
    }
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

  it('says the server asks for a password and where to give one, when none was given (PostgreSQL)', { timeout: 90_000 }, async () => {
    const port = await freePort(16470, 16479);
    const cluster = new ThrowawayCluster(port, { superuserPassword: 'cluster-secret', scramRoles: ['all'] });
    const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
    // pg reads these from the process itself: neither may hand it a password here.
    delete process.env.PGPASSWORD;
    process.env.PGPASSFILE = '/nonexistent/pgpass';
    try {
      cluster.start();
      const { code, stdout, stderr } = await run(['health', '--url', `postgres://postgres@127.0.0.1:${port}/postgres`, '--format', 'json']);
      assert.equal(code, 1);
      assert.equal(JSON.parse(stdout).error.kind, 'auth');
      assert.equal(
        stderr,
        `dbhealth: connecting to PostgreSQL: the server asks for a password and none was given. Give one in the URL (postgres://user:PASSWORD@host:port/database), in the PGPASSWORD environment variable, or in ~/.pgpass; in VS Code, as the connection's password.\n`,
      );
      // The places named are real: the same URL with PGPASSWORD set gets in.
      process.env.PGPASSWORD = 'cluster-secret';
      const withPassword = await run(['health', '--url', `postgres://postgres@127.0.0.1:${port}/postgres`, '--format', 'json']);
      assert.equal(withPassword.code, 0, withPassword.stderr);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      cluster.destroy();
    }
  });

  it('says the server asks for a password and where to give one, when none was given (MariaDB)', async () => {
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' });
    const user = 'dbh_cli_pw';
    try {
      await admin.query(`CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY 'mysql-secret'`);
      await admin.query(`CREATE USER IF NOT EXISTS '${user}'@'localhost' IDENTIFIED BY 'mysql-secret'`);
      const { code, stderr } = await run(['health', '--url', `mysql://${user}@127.0.0.1:3306/test`]);
      assert.equal(code, 1);
      assert.equal(
        stderr,
        `dbhealth: connecting to MySQL/MariaDB: the server asks for a password and none was given. Give one in the URL (mysql://user:PASSWORD@host:port/database); in VS Code, as the connection's password.\n`,
      );
    } finally {
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.query(`DROP USER IF EXISTS '${user}'@'localhost'`);
      await admin.end();
    }
  });

  it('exits 1 with one clear line when the server cannot be reached', async () => {
    const { code, stderr, stdout } = await run(['health', '--url', 'postgres://postgres:pw@127.0.0.1:1/test', '--format', 'json']);
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(stdout).error.kind, 'unreachable');
    assert.equal(stderr, 'dbhealth: connecting to PostgreSQL: connect ECONNREFUSED 127.0.0.1:1\n');
  });
});
