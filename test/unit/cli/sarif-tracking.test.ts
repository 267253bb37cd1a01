/**
 * SARIF that code scanning can track: fingerprints that survive unrelated edits, a settable
 * automation id, the rule pages as help; and the whole log accepted by Microsoft's SARIF validator.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleCli, REPOSITORY_ROOT } from '../javascript/bundle';
import { FINGERPRINT_KEY } from '../../../src/cli/sarif';

let directory: string;
let cli: string;

const SERVICE = [
  'import psycopg2',
  '',
  'def load():',
  '    conn = psycopg2.connect("dbname=app connect_timeout=5")',
  '    conn.cursor().execute("SELECT 1")',
  '',
  'def again():',
  '    conn = psycopg2.connect("dbname=app connect_timeout=5")',
  '    conn.cursor().execute("SELECT 1")',
  '',
].join('\n');

interface Result {
  ruleId: string;
  locations: { physicalLocation: { region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
}

before(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'dbhealth-sarif-tracking-'));
  cli = await bundleCli(directory);
});
after(() => rmSync(directory, { recursive: true, force: true }));

function sarifOf(text: string, ...args: string[]): { runs: { results: Result[]; automationDetails?: { id: string }; tool: { driver: { rules: { id: string; help?: { text: string; markdown: string } }[] } } }[] } {
  writeFileSync(path.join(directory, 'service.py'), text);
  const run = spawnSync(process.execPath, [cli, 'lint', 'service.py', '--format', 'sarif', ...args], { cwd: directory, encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  return JSON.parse(run.stdout);
}

function leaks(log: ReturnType<typeof sarifOf>): [number, string][] {
  return log.runs[0].results.filter((r) => r.ruleId === 'dbhealth/no-leaked-connection').map((r) => [r.locations[0].physicalLocation.region.startLine, r.partialFingerprints[FINGERPRINT_KEY]]);
}

test('a finding keeps its fingerprint when lines above it move, and two identical lines get different ones', () => {
  const before = leaks(sarifOf(SERVICE));
  assert.deepEqual(before.map(([line]) => line), [4, 8]);
  assert.match(before[0][1], /^[0-9a-f]{32}$/);
  assert.notEqual(before[0][1], before[1][1], 'the same line text twice in a file: told apart by occurrence');
  const moved = leaks(sarifOf(`"""Orders service."""\nimport logging\n\nlog = logging.getLogger(__name__)\n${SERVICE}`));
  assert.deepEqual(moved.map(([line]) => line), [8, 12]);
  assert.deepEqual(moved.map(([, fingerprint]) => fingerprint), before.map(([, fingerprint]) => fingerprint));
  // Editing the flagged line itself makes it another finding.
  const edited = leaks(sarifOf(SERVICE.replace('conn = psycopg2.connect("dbname=app connect_timeout=5")', 'db = psycopg2.connect("dbname=app connect_timeout=5")').replace('    conn.cursor().execute("SELECT 1")', '    db.cursor().execute("SELECT 1")')));
  assert.notEqual(edited[0][1], before[0][1]);
});

test('--automation-id names the run for sharded jobs, and each rule carries its page as help', () => {
  const log = sarifOf(SERVICE, '--automation-id', 'dbhealth/backend/');
  assert.deepEqual(log.runs[0].automationDetails, { id: 'dbhealth/backend/' });
  for (const rule of log.runs[0].tool.driver.rules) {
    const page = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'rules', `${rule.id.slice('dbhealth/'.length)}.md`), 'utf8');
    assert.equal(rule.help?.markdown, page, rule.id);
    assert.match(rule.help?.text ?? '', /See https:\/\/.+\.md$/);
  }
  const misuse = spawnSync(process.execPath, [cli, 'lint', 'service.py', '--automation-id', 'x'], { cwd: directory, encoding: 'utf8' });
  assert.equal(misuse.status, 2);
  assert.match(misuse.stderr, /--automation-id is for --format sarif/);
});

test("Microsoft's SARIF validator finds nothing to report in a log with findings, related locations, notifications and an automation id", () => {
  const project = mkdtempSync(path.join(directory, 'validated-'));
  writeFileSync(path.join(project, 'service.py'), SERVICE);
  writeFileSync(path.join(project, 'repository.ts'), "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function load() {\n  const client = await pool.connect();\n  await client.query('SELECT 1');\n  client.release();\n}\nexport async function leak(id: number) {\n  const client = await pool.connect();\n  const { rows } = await client.query('SELECT $1', [id]);\n  if (!rows.length) return null;\n  client.release();\n  return rows[0];\n}\n");
  writeFileSync(path.join(project, 'binary.py'), Buffer.from([0x00, 0x01]));
  const lint = spawnSync(process.execPath, [cli, 'lint', '.', '--format', 'sarif', '--automation-id', 'dbhealth/ci/'], { cwd: project, encoding: 'utf8' });
  assert.equal(lint.status, 3, lint.stderr);
  const log = JSON.parse(lint.stdout) as { runs: { results: { relatedLocations?: unknown[] }[]; invocations: { toolExecutionNotifications: unknown[] }[] }[] };
  // The log exercises every part we write.
  assert.ok(log.runs[0].results.some((result) => result.relatedLocations?.length));
  assert.equal(log.runs[0].invocations[0].toolExecutionNotifications.length, 1);
  const input = path.join(project, 'dbhealth.sarif');
  const output = path.join(project, 'validation.sarif');
  writeFileSync(input, lint.stdout);
  const validator = path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'sarif-multitool');
  const validate = spawnSync(validator, ['validate', input, '--output', output, '--log', 'ForceOverwrite'], { encoding: 'utf8', env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
  assert.equal(validate.status, 0, validate.stdout + validate.stderr);
  const report = JSON.parse(readFileSync(output, 'utf8')) as { runs: { results?: { ruleId: string; level?: string; message: unknown }[] }[] };
  const problems = report.runs.flatMap((run) => run.results ?? []).map((result) => `${result.level ?? 'warning'} ${result.ruleId} ${JSON.stringify(result.message)}`);
  assert.deepEqual(problems, []);
});
