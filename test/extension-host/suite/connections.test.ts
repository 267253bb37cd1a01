import * as assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as mysql from 'mysql2/promise';
import * as vscode from 'vscode';

// Connection commands against the machine's real MariaDB (127.0.0.1:3306, root without password)
// and PostgreSQL (127.0.0.1:5432, trust). MariaDB checks passwords over TCP, so a login that works
// only with the right password proves the password travelled through SecretStorage.

interface TestStep { step: string; ok: boolean; detail: string }
interface TestResult { ok: boolean; steps: TestStep[]; failedStep?: string }

const USER = 'dbhealth_panel_test';
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-Secret!`;
const ENV_PASSWORD = `envpw-${Math.random().toString(36).slice(2)}`;

function connectionsSetting(): unknown {
  return vscode.workspace.getConfiguration('dbhealth').inspect('connections');
}

async function removeAll(ids: string[]): Promise<void> {
  for (const id of ids) await vscode.commands.executeCommand('dbhealth.removeConnection', id);
}

suite('connections: commands and SecretStorage', () => {
  const created: string[] = [];
  let admin: mysql.Connection | undefined;

  suiteSetup(async () => {
    admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
    await admin.query(`DROP USER IF EXISTS '${USER}'@'%'`);
    await admin.query(`CREATE USER '${USER}'@'%' IDENTIFIED BY ?`, [PASSWORD]);
    await admin.query(`GRANT PROCESS ON *.* TO '${USER}'@'%'`);
    await admin.query(`GRANT SELECT ON test.* TO '${USER}'@'%'`);
  });

  suiteTeardown(async () => {
    await removeAll(created);
    await admin?.query(`DROP USER IF EXISTS '${USER}'@'%'`);
    await admin?.end();
  });

  test('add stores the fields in settings and the password only in secret storage', async () => {
    const id = await vscode.commands.executeCommand<string>('dbhealth.addConnection', {
      name: 'MariaDB test', engine: 'mysql', host: '127.0.0.1', port: 3306, database: 'test', user: USER, tls: 'disable', password: PASSWORD,
    });
    assert.ok(id, 'the command returns the new connection id');
    created.push(id);
    const setting = connectionsSetting();
    const serialized = JSON.stringify(setting);
    assert.ok(serialized.includes(USER), `the connection is in settings: ${serialized}`);
    assert.ok(!serialized.includes(PASSWORD), 'the password is not in settings');
    assert.ok(!/password/i.test(serialized), 'no password field at all in settings');

    // Only the stored secret can make this login work.
    const result = await vscode.commands.executeCommand<TestResult>('dbhealth.testConnection', id);
    assert.equal(result.ok, true, JSON.stringify(result.steps));
    assert.deepEqual(result.steps.map((step) => step.step), ['resolve host', 'open TCP connection', 'log in', 'read server statistics']);
    assert.ok(!JSON.stringify(result).includes(PASSWORD), 'the test result does not echo the password');
  });

  test('edit with a wrong password fails at the log-in step and never writes the password to settings', async () => {
    const id = created[0];
    await vscode.commands.executeCommand('dbhealth.editConnection', { id, password: 'definitely-wrong' });
    const result = await vscode.commands.executeCommand<TestResult>('dbhealth.testConnection', id);
    assert.equal(result.ok, false);
    assert.equal(result.failedStep, 'log in');
    assert.match(result.steps.at(-1)!.detail, /Access denied/i);
    assert.ok(!JSON.stringify(connectionsSetting()).includes('definitely-wrong'));
    // Put the right one back: the login works again.
    await vscode.commands.executeCommand('dbhealth.editConnection', { id, password: PASSWORD });
    assert.equal((await vscode.commands.executeCommand<TestResult>('dbhealth.testConnection', id)).ok, true);
  });

  test('a closed port fails at the TCP step, an unknown host at name resolution', async () => {
    const closed = await vscode.commands.executeCommand<string>('dbhealth.addConnection', { name: 'closed', engine: 'postgres', host: '127.0.0.1', port: 16459, database: 'postgres', user: 'postgres', tls: 'disable' });
    const unknown = await vscode.commands.executeCommand<string>('dbhealth.addConnection', { name: 'nowhere', engine: 'postgres', host: 'no-such-host.invalid', port: 5432, database: 'postgres', user: 'postgres', tls: 'disable' });
    created.push(closed, unknown);
    const closedResult = await vscode.commands.executeCommand<TestResult>('dbhealth.testConnection', closed);
    assert.equal(closedResult.failedStep, 'open TCP connection');
    assert.match(closedResult.steps.at(-1)!.detail, /ECONNREFUSED/);
    const unknownResult = await vscode.commands.executeCommand<TestResult>('dbhealth.testConnection', unknown);
    assert.equal(unknownResult.failedStep, 'resolve host');
  });

  test('remove deletes the connection from settings', async () => {
    const id = created.pop()!;
    assert.equal(await vscode.commands.executeCommand<boolean>('dbhealth.removeConnection', id), true);
    assert.ok(!JSON.stringify(connectionsSetting()).includes(id));
  });

  test('DATABASE_URL from the workspace .env is offered, its password kept out of settings', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const envFile = path.join(folder.uri.fsPath, '.env');
    await writeFile(envFile, `# test\nOTHER=1\nDATABASE_URL="postgres://postgres:${ENV_PASSWORD}@127.0.0.1:5432/test"\n`);
    try {
      const envId = `env:${folder.uri.toString()}`;
      const selected = await vscode.commands.executeCommand<string>('dbhealth.selectConnection', envId);
      assert.equal(selected, envId);
      const result = await vscode.commands.executeCommand<TestResult>('dbhealth.testConnection', envId);
      assert.equal(result.ok, true, JSON.stringify(result.steps));
      assert.match(result.steps.at(-1)!.detail, /PostgreSQL/);
      assert.ok(!JSON.stringify(connectionsSetting()).includes(ENV_PASSWORD));
    } finally {
      await rm(envFile, { force: true });
    }
  });
});
