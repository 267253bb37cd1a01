/**
 * The runbook's audit trail: every action attempt (done, refused or failed) as one line with time,
 * connection, action, target and result — written to a JSONL file and to any other sink (the
 * extension adds its output channel).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface AuditEntry {
  readonly time: string;
  /** `engine user@host:port/database` — never the password. */
  readonly connection: string;
  readonly action: string;
  readonly target: {
    readonly id: string;
    readonly backendStart?: string | null;
    readonly user?: string | null;
    readonly client?: string | null;
    readonly database?: string | null;
  };
  readonly result: 'done' | 'refused' | 'failed';
  readonly message: string;
}

export interface AuditSink {
  write(entry: AuditEntry): Promise<void> | void;
}

export function formatAuditLine(entry: AuditEntry): string {
  const target = entry.target;
  const who = target.user || target.client ? ` (${target.user ?? '?'}@${target.client ?? '?'}${target.database ? `/${target.database}` : ''})` : '';
  return `${entry.time} ${entry.connection} ${entry.action} ${target.id}${who}: ${entry.result} — ${entry.message}`;
}

export class JsonlAuditFile implements AuditSink {
  constructor(readonly file: string) {}

  async write(entry: AuditEntry): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(entry)}\n`, 'utf8');
  }
}

/** Writes to every sink; one failing sink does not stop the others, and the error is re-raised after. */
export class AuditLog {
  constructor(private readonly sinks: readonly AuditSink[]) {}

  async record(entry: Omit<AuditEntry, 'time'>): Promise<AuditEntry> {
    const full: AuditEntry = { time: new Date().toISOString(), ...entry };
    const results = await Promise.allSettled(this.sinks.map(async (sink) => sink.write(full)));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw new Error(`could not write the audit log: ${failed.reason instanceof Error ? failed.reason.message : String(failed.reason)}`);
    return full;
  }
}
