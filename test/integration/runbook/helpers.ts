/** Shared by the runbook integration tests: tagged sessions the test creates, and an audit file. */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AuditLog, JsonlAuditFile, type AuditEntry } from '../../../src/runbook/audit';

/** A tag no other test on these shared servers uses, so the test only ever touches its own sessions. */
export function uniqueTag(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

export function temporaryAudit(): { log: AuditLog; file: string; entries(): AuditEntry[] } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dbhealth-runbook-audit-')), 'audit.jsonl');
  return {
    log: new AuditLog([new JsonlAuditFile(file)]),
    file,
    entries: () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry) : []),
  };
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
