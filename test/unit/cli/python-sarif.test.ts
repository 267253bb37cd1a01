import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RULE_NAMES } from '../../../src/engine/catalogue';
import { bundleCli } from '../javascript/bundle';

/**
 * The CLI is bundled from src/cli/main.ts for this run, as esbuild.mjs does, into a folder of the
 * test's own (never dist/, which may be stale or rebuilt by someone else meanwhile), with the
 * Python front end's wasm copied beside it as esbuild.mjs copies it into dist/.
 */
let buildDir: string;
let CLI: string;
before(async () => {
  buildDir = mkdtempSync(path.join(tmpdir(), 'dbhealth-cli-py-'));
  CLI = await bundleCli(buildDir);
});
after(() => rmSync(buildDir, { recursive: true, force: true }));

const LEAKY = [
  'import psycopg2',
  '',
  'def load():',
  '    conn = psycopg2.connect("dbname=app connect_timeout=5")',
  '    conn.cursor().execute("SELECT 1")',
  '',
].join('\n');

const CLEAN = ['import psycopg', '', 'def load():', '    with psycopg.connect("dbname=app") as conn:', '        return conn.execute("SELECT 1").fetchone()', ''].join('\n');

interface SarifLog {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; helpUri: string; shortDescription: { text: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
    }[];
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
  }[];
}

test('dbhealth lint --format sarif on Python files produces SARIF 2.1.0 with rule metadata and locations', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'dbhealth-sarif-'));
  try {
    writeFileSync(path.join(folder, 'leaky.py'), LEAKY);
    writeFileSync(path.join(folder, 'clean.py'), CLEAN);
    writeFileSync(path.join(folder, 'junk.py'), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00]));
    const run = spawnSync(process.execPath, [CLI, 'lint', '.', '--format', 'sarif'], { cwd: folder, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 3, `exit code 3 when a file was not analysed, whatever was found; stderr: ${run.stderr}`);
    const log = JSON.parse(run.stdout) as SarifLog;
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.tool.driver.name, 'dbhealth');
    assert.deepEqual(sarifRun.tool.driver.rules.map((r) => r.id), RULE_NAMES.map((name) => `dbhealth/${name}`));
    for (const rule of sarifRun.tool.driver.rules) {
      assert.match(rule.helpUri, new RegExp(`^https://.+/docs/rules/${rule.id.slice('dbhealth/'.length)}\\.md$`));
      assert.ok(rule.shortDescription.text.length > 0);
    }
    assert.equal(sarifRun.results.length, 1);
    const [result] = sarifRun.results;
    assert.equal(result.ruleId, 'dbhealth/no-leaked-connection');
    assert.equal(sarifRun.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.equal(result.level, 'error');
    assert.match(result.message.text, /never closed/);
    assert.equal(result.locations.length, 1);
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'leaky.py');
    assert.deepEqual(result.locations[0].physicalLocation.region.startLine, 4);
    assert.deepEqual(result.locations[0].physicalLocation.region.startColumn, 12);
    const notifications = sarifRun.invocations[0].toolExecutionNotifications;
    assert.equal(notifications.length, 1, 'the binary file is reported, not crashed on');
    assert.equal(notifications[0].locations[0].physicalLocation.artifactLocation.uri, 'junk.py');
    assert.match(notifications[0].message.text, /binary/);
    assert.equal((notifications[0] as unknown as { level: string }).level, 'error');
    assert.equal(sarifRun.invocations[0].executionSuccessful, false, 'a run that skipped a file did not cover everything');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
