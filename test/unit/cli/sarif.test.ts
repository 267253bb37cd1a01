// toSarif and findingFingerprints called directly (the CLI tests run the bundled CLI in a child
// process): every field of a result, rule, notification and fingerprint, on hand-made reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES, RULE_NAMES, ruleDocsUrl } from '../../../src/engine/catalogue';
import { FINGERPRINT_KEY, findingFingerprints, toSarif, type FileReport } from '../../../src/cli/sarif';
import type { Finding } from '../../../src/engine/types';

const CWD = path.resolve('/work/project');

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<Record<string, unknown> & { id: string; help?: { text: string; markdown: string } }> } };
    originalUriBaseIds: Record<string, { uri: string }>;
    automationDetails?: { id: string };
    results: Array<Record<string, unknown> & { partialFingerprints: Record<string, string> }>;
    invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: unknown[] }>;
  }>;
}

function sarif(reports: FileReport[], options?: { automationId?: string }): SarifLog {
  return toSarif(reports, CWD, '9.8.7', options) as SarifLog;
}

function finding(rule: Finding['rule'], severity: Finding['severity'], line: number, extra: Partial<Finding> = {}): Finding {
  return { rule, message: `${rule} at ${line}`, severity, start: { line, column: 5 }, end: { line: line + 1, column: 9 }, ...extra };
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

test('the log, the run and the driver: schema, version, tool identity and every rule with its default level and help', () => {
  const log = sarif([]);
  assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const [run] = log.runs;
  assert.equal(run.tool.driver.name, 'dbhealth');
  assert.equal(run.tool.driver.version, '9.8.7');
  assert.equal(run.tool.driver.informationUri, 'https://github.com/dbhealth/dbhealth');
  assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(CWD + path.sep).href } });
  assert.ok(run.originalUriBaseIds['%SRCROOT%'].uri.endsWith('/project/'));
  assert.equal('automationDetails' in run, false);
  assert.deepEqual(run.results, []);
  assert.deepEqual(run.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  assert.deepEqual(run.tool.driver.rules.map((rule) => rule.id), RULE_NAMES.map((name) => `dbhealth/${name}`));
  const levels = { error: 'error', warning: 'warning', info: 'note' } as const;
  for (const rule of run.tool.driver.rules) {
    const name = rule.name as (typeof RULE_NAMES)[number];
    assert.equal(rule.id, `dbhealth/${name}`);
    assert.deepEqual(rule.shortDescription, { text: RULES[name].description });
    assert.equal(rule.helpUri, ruleDocsUrl(name));
    assert.deepEqual(rule.defaultConfiguration, { level: levels[RULES[name].defaultSeverity] });
    assert.equal(rule.help?.text, `${RULES[name].description} See ${ruleDocsUrl(name)}`);
    assert.match(rule.help?.markdown ?? '', new RegExp(`^# dbhealth/${name}\\n`));
  }
  assert.ok(run.tool.driver.rules.some((rule) => (rule.defaultConfiguration as { level: string }).level === 'note'), 'an info rule maps to note');
});

test('automationDetails.id only when an automation id is given', () => {
  assert.deepEqual(sarif([], { automationId: 'ci/lint/42' }).runs[0].automationDetails, { id: 'ci/lint/42' });
  assert.equal('automationDetails' in sarif([], { automationId: '' }).runs[0], false);
});

test('a result: rule id and index, level per severity, message, relative URI against %SRCROOT%, exact region', () => {
  const reports: FileReport[] = [{
    file: path.join(CWD, 'app', 'my orders.py'),
    findings: [finding('no-leaked-connection', 'error', 3), finding('require-connect-timeout', 'warning', 7), finding('require-statement-timeout', 'info', 9)],
    findingLines: ['conn = pool.getconn()', 'psycopg2.connect(dsn)', 'pool = Pool()'],
  }];
  const results = sarif(reports).runs[0].results;
  assert.equal(results.length, 3);
  assert.deepEqual(results.map((result) => [result.ruleId, result.ruleIndex, result.level]), [
    ['dbhealth/no-leaked-connection', RULE_NAMES.indexOf('no-leaked-connection'), 'error'],
    ['dbhealth/require-connect-timeout', RULE_NAMES.indexOf('require-connect-timeout'), 'warning'],
    ['dbhealth/require-statement-timeout', RULE_NAMES.indexOf('require-statement-timeout'), 'note'],
  ]);
  assert.ok(RULE_NAMES.indexOf('require-connect-timeout') > 0);
  assert.deepEqual(results[1].message, { text: 'require-connect-timeout at 7' });
  assert.deepEqual(results[1].locations, [{
    physicalLocation: {
      artifactLocation: { uri: 'app/my%20orders.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 7, startColumn: 5, endLine: 8, endColumn: 9 },
    },
  }]);
  assert.equal('relatedLocations' in results[0], false);
  const uri = 'app/my%20orders.py';
  assert.deepEqual(results.map((result) => result.partialFingerprints), [
    { [FINGERPRINT_KEY]: sha(`no-leaked-connection\u0000${uri}\u0000conn = pool.getconn()\u00001`) },
    { [FINGERPRINT_KEY]: sha(`require-connect-timeout\u0000${uri}\u0000psycopg2.connect(dsn)\u00001`) },
    { [FINGERPRINT_KEY]: sha(`require-statement-timeout\u0000${uri}\u0000pool = Pool()\u00001`) },
  ]);
});

test('a file outside the working directory keeps its absolute file: URI; results from several files keep their own URIs', () => {
  const outside = path.resolve(CWD, '..', 'elsewhere', 'db.ts');
  const results = sarif([
    { file: outside, findings: [finding('no-leaked-connection', 'error', 1)] },
    { file: path.join(CWD, 'db.ts'), findings: [finding('no-leaked-connection', 'error', 2)] },
  ]).runs[0].results;
  const uris = results.map((result) => (result.locations as Array<{ physicalLocation: { artifactLocation: { uri: string } } }>)[0].physicalLocation.artifactLocation.uri);
  assert.deepEqual(uris, [pathToFileURL(outside).href, 'db.ts']);
});

test('related locations: numbered from 0, with message and exact region, in the same file', () => {
  const leak = finding('no-leaked-connection', 'error', 4, {
    related: [
      { message: 'released here on the success path', start: { line: 10, column: 3 }, end: { line: 10, column: 20 } },
      { message: 'and here', start: { line: 12, column: 1 }, end: { line: 13, column: 2 } },
    ],
  });
  const [result] = sarif([{ file: path.join(CWD, 'svc.py'), findings: [leak] }]).runs[0].results;
  assert.deepEqual(result.relatedLocations, [
    { id: 0, message: { text: 'released here on the success path' }, physicalLocation: { artifactLocation: { uri: 'svc.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 10, startColumn: 3, endLine: 10, endColumn: 20 } } },
    { id: 1, message: { text: 'and here' }, physicalLocation: { artifactLocation: { uri: 'svc.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 1, endLine: 13, endColumn: 2 } } },
  ]);
  const none = sarif([{ file: path.join(CWD, 'svc.py'), findings: [finding('no-leaked-connection', 'error', 4, { related: [] })] }]).runs[0].results[0];
  assert.equal('relatedLocations' in none, false);
});

test('files not analysed and warnings become notifications with their locations; execution is unsuccessful only on a failure', () => {
  const warned = sarif([{ file: path.join(CWD, 'latin1.py'), findings: [], warnings: ['invalid UTF-8 at byte 12', 'second warning'] }]).runs[0].invocations[0];
  assert.equal(warned.executionSuccessful, true);
  const location = (file: string) => [{ physicalLocation: { artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' } } }];
  assert.deepEqual(warned.toolExecutionNotifications, [
    { level: 'warning', message: { text: 'invalid UTF-8 at byte 12' }, locations: location('latin1.py') },
    { level: 'warning', message: { text: 'second warning' }, locations: location('latin1.py') },
  ]);
  const failed = sarif([
    { file: path.join(CWD, 'ok.py'), findings: [] },
    { file: path.join(CWD, 'huge.py'), findings: [], failure: 'larger than 10 MB', cause: 'too-large' },
    { file: path.join(CWD, 'notes.txt'), findings: [], failure: 'not a Python or JavaScript file' },
  ]).runs[0].invocations[0];
  assert.equal(failed.executionSuccessful, false);
  assert.deepEqual(failed.toolExecutionNotifications, [
    { level: 'error', message: { text: 'not analysed: larger than 10 MB' }, locations: location('huge.py'), properties: { cause: 'too-large' } },
    { level: 'error', message: { text: 'not analysed: not a Python or JavaScript file' }, locations: location('notes.txt') },
  ]);
});

test('fingerprints: whitespace-insensitive line text, numbered occurrences of the same rule and text, different per rule and file', () => {
  const findings = [finding('no-leaked-connection', 'error', 3), finding('no-leaked-connection', 'error', 9), finding('require-connect-timeout', 'warning', 9), finding('no-leaked-connection', 'error', 20)];
  const lines = ['  conn =   pool.getconn()  ', 'conn = pool.getconn()', 'conn = pool.getconn()', 'other\tline'];
  const prints = findingFingerprints('svc.py', findings, lines);
  assert.deepEqual(prints, [
    sha('no-leaked-connection\u0000svc.py\u0000conn = pool.getconn()\u00001'),
    sha('no-leaked-connection\u0000svc.py\u0000conn = pool.getconn()\u00002'),
    sha('require-connect-timeout\u0000svc.py\u0000conn = pool.getconn()\u00001'),
    sha('no-leaked-connection\u0000svc.py\u0000other line\u00001'),
  ]);
  assert.ok(prints.every((print) => /^[0-9a-f]{32}$/.test(print)));
  assert.notEqual(findingFingerprints('other.py', findings, lines)[0], prints[0]);
  // Missing line texts count as empty lines, still numbered per (rule, text).
  assert.deepEqual(findingFingerprints('svc.py', findings.slice(0, 2), []), [
    sha('no-leaked-connection\u0000svc.py\u0000\u00001'),
    sha('no-leaked-connection\u0000svc.py\u0000\u00002'),
  ]);
});

test('the fingerprint key is the versioned contract code scanning tracks alerts by; a report without line texts fingerprints empty lines', () => {
  assert.equal(FINGERPRINT_KEY, 'dbhealth/v1');
  const [result] = sarif([{ file: path.join(CWD, 'svc.py'), findings: [finding('no-leaked-connection', 'error', 2)] }]).runs[0].results;
  assert.deepEqual(Object.keys(result.partialFingerprints), ['dbhealth/v1']);
  assert.equal(result.partialFingerprints['dbhealth/v1'], sha('no-leaked-connection\u0000svc.py\u0000\u00001'));
});
