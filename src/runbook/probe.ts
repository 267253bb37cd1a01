/**
 * Network stability probe: repeated TCP connects to the database port for a few seconds (the
 * runbook's ping/mtr step without ICMP, which needs privileges and is often filtered). Connect time
 * is one round trip plus the server's accept, a fair proxy for network latency and its jitter.
 */
import { lookup } from 'node:dns/promises';
import { describeTarget, redactTarget } from '../db/target';
import type { ConnectionTarget, RedactedTarget } from '../db/types';
import { openTcp } from './connectivity';

export interface ProbeOptions {
  readonly attempts: number;
  readonly intervalMs: number;
  /** Per-connect limit; a connect slower than this counts as a failure. */
  readonly timeoutMs: number;
}

export const DEFAULT_PROBE_OPTIONS: ProbeOptions = { attempts: 20, intervalMs: 200, timeoutMs: 2_000 };

export interface ProbeReport {
  readonly target: RedactedTarget;
  readonly address: string | null;
  readonly attempts: number;
  readonly failures: number;
  /** Distinct failure messages with their counts. */
  readonly failureReasons: Readonly<Record<string, number>>;
  readonly minMs: number | null;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly maxMs: number | null;
  /** Mean absolute difference between consecutive successful samples (RFC 3550's idea of jitter). */
  readonly jitterMs: number | null;
  readonly samplesMs: readonly number[];
}

/** Nearest-rank percentile over sorted samples. */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function jitterOf(samples: readonly number[]): number | null {
  if (samples.length < 2) return null;
  let total = 0;
  for (let i = 1; i < samples.length; i++) total += Math.abs(samples[i] - samples[i - 1]);
  return total / (samples.length - 1);
}

const round = (value: number | null): number | null => (value === null ? null : Math.round(value * 1000) / 1000);

export async function probeNetwork(target: ConnectionTarget, options: ProbeOptions = DEFAULT_PROBE_OPTIONS): Promise<ProbeReport> {
  const failureReasons: Record<string, number> = {};
  const samples: number[] = [];
  let address: string | null = null;
  try {
    address = (await lookup(target.host)).address;
  } catch (error) {
    failureReasons[`DNS: ${error instanceof Error ? error.message : String(error)}`] = options.attempts;
  }
  if (address !== null) {
    for (let attempt = 0; attempt < options.attempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
      const started = performance.now();
      try {
        const socket = await openTcp(address, target.port, options.timeoutMs);
        samples.push(performance.now() - started);
        socket.destroy();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
      }
    }
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    target: redactTarget(target),
    address,
    attempts: options.attempts,
    failures: options.attempts - samples.length,
    failureReasons,
    minMs: round(sorted[0] ?? null),
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    maxMs: round(sorted[sorted.length - 1] ?? null),
    jitterMs: round(jitterOf(samples)),
    samplesMs: samples.map((sample) => round(sample)!),
  };
}

export function formatProbeReport(report: ProbeReport): string {
  const ms = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(2)} ms`);
  const lines = [
    `Network probe: ${describeTarget(report.target)}${report.address ? ` (${report.address})` : ''}`,
    `  connects: ${report.attempts - report.failures}/${report.attempts} succeeded`,
    `  latency:  min ${ms(report.minMs)}, p50 ${ms(report.p50Ms)}, p95 ${ms(report.p95Ms)}, max ${ms(report.maxMs)}`,
    `  jitter:   ${ms(report.jitterMs)}`,
  ];
  for (const [reason, count] of Object.entries(report.failureReasons)) lines.push(`  failed ${count}×: ${reason}`);
  return lines.join('\n');
}
