import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTarget, parseConnectionUrl, redactTarget, TargetConfigError } from '../../../src/db/target';

describe('parseConnectionUrl', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['postgres://alice:s%40cret@db.example.com/app', { engine: 'postgres', host: 'db.example.com', port: 5432, database: 'app', user: 'alice', password: 's@cret', tls: 'prefer', applicationName: 'dbhealth-monitor', connectTimeoutMs: 5000 }],
    ['postgresql://bob@127.0.0.1:6543/x?sslmode=require&connect_timeout=2&application_name=probe', { engine: 'postgres', port: 6543, tls: 'require', connectTimeoutMs: 2000, applicationName: 'probe' }],
    ['postgres://admin@bouncer:6432/pgbouncer', { engine: 'pgbouncer', database: 'pgbouncer', port: 6432 }],
    ['pgbouncer://admin@bouncer', { engine: 'pgbouncer', database: 'pgbouncer', port: 6432 }],
    ['mysql://root@localhost/test', { engine: 'mysql', port: 3306, tls: 'disable', user: 'root' }],
    ['mariadb://app@db:3307/shop?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ca.pem', { engine: 'mysql', port: 3307, tls: 'verify-full', caFile: '/etc/ca.pem' }],
    ['mysql://app@[::1]:3306/x?connectTimeout=1500', { host: '::1', connectTimeoutMs: 1500, tls: 'disable' }],
  ];
  for (const [url, expected] of cases) {
    it(`parses ${url}`, () => {
      const target = parseConnectionUrl(url) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(target[key], value, key);
    });
  }

  it('defaults the user per engine and never loses an absent password', () => {
    const target = parseConnectionUrl('postgres://db.internal/app');
    assert.equal(target.user, 'postgres');
    assert.equal('password' in target, false);
  });

  it('refuses other schemes and bad options without echoing the password', () => {
    assert.throws(() => parseConnectionUrl('redis://x'), TargetConfigError);
    assert.throws(() => parseConnectionUrl('not a url'), /not a valid connection URL/);
    assert.throws(() => parseConnectionUrl('postgres://u:hunter2@h/d?sslmode=sometimes'), (error: Error) => !error.message.includes('hunter2'));
    assert.throws(() => parseConnectionUrl('postgres://h/d?connect_timeout=-1'), /connect_timeout must be a positive number/);
  });

  it('redacts the password for display', () => {
    const target = parseConnectionUrl('postgres://alice:hunter2@h:1/d');
    const redacted = redactTarget(target);
    assert.equal(JSON.stringify(redacted).includes('hunter2'), false);
    assert.equal(redacted.hasPassword, true);
    assert.equal(describeTarget(redacted), 'postgres alice@h:1/d');
  });
});
