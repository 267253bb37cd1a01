/**
 * Server-side cost of one PostgreSQL poll with 200 and with 1,000 sessions, and the monitoring
 * connection's own footprint, on a throwaway PostgreSQL 15 cluster (max_connections 1100,
 * pg_stat_statements loaded). Baseline measured in the same run: a `SELECT 1` on the same server.
 *
 * Figures: client round trip of one whole poll (median/p95 over POLLS polls) against the SELECT 1
 * round trip and against a bare `SELECT * FROM pg_stat_activity`; server execution time per poll from pg_stat_statements; backend memory of a session
 * that ran the monitor's statements against one that ran only SELECT 1 (pg_backend_memory_contexts
 * and private RSS from /proc).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { PostgresCollector, MAX_QUERY_TEXT } from '../src/db/postgres/collector';
import { POSTGRES_ACTIVITY, POSTGRES_OVERVIEW, POSTGRES_REPORTED_SETTINGS } from '../src/db/postgres/sql';
import { parseConnectionUrl } from '../src/db/target';
import { DEFAULT_THRESHOLDS } from '../src/db/types';
import { freePort, ThrowawayCluster } from '../test/integration/db/helpers';

const POLLS = 40;
const LEVELS = [200, 1000];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function connect(port: number, application: string): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', application_name: application });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function backendMemory(client: Client): Promise<{ contextsBytes: number; privateRssKb: number | null }> {
  const row = (await client.query('SELECT pg_backend_pid() AS pid, (SELECT sum(total_bytes)::bigint FROM pg_backend_memory_contexts) AS bytes')).rows[0];
  const rollup = `/proc/${row.pid}/smaps_rollup`;
  let privateRssKb: number | null = null;
  if (existsSync(rollup)) {
    const text = readFileSync(rollup, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    privateRssKb = field('Private_Clean') + field('Private_Dirty');
  }
  return { contextsBytes: Number(row.bytes), privateRssKb };
}

async function main(): Promise<void> {
  const port = await freePort(16440, 16449);
  const cluster = new ThrowawayCluster(port, {
    settings: {
      max_connections: '1100',
      shared_preload_libraries: "'pg_stat_statements'",
      'pg_stat_statements.track': "'top'",
    },
  });
  const idle: Client[] = [];
  const results: Record<string, unknown> = { port, polls: POLLS, levels: {} };
  try {
    cluster.start();
    const admin = await connect(port, 'bench-admin');
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');

    for (const level of LEVELS) {
      // the admin, monitor and baseline sessions make up the rest of the level
      while (idle.length < level - 3) {
        const batch = Math.min(25, level - 3 - idle.length);
        idle.push(...(await Promise.all(Array.from({ length: batch }, () => connect(port, 'bench-idle')))));
      }
      const collector = new PostgresCollector(parseConnectionUrl(`postgres://postgres@127.0.0.1:${port}/postgres?application_name=bench-monitor`));
      await collector.connect();
      for (let i = 0; i < 5; i++) await collector.collect(DEFAULT_THRESHOLDS);
      const baseline = await connect(port, 'bench-baseline');
      for (let i = 0; i < 5; i++) await baseline.query('SELECT 1');

      await admin.query('SELECT pg_stat_statements_reset()');
      const baselineTimes: number[] = [];
      for (let i = 0; i < POLLS; i++) {
        const started = performance.now();
        await baseline.query('SELECT 1');
        baselineTimes.push(performance.now() - started);
      }
      // a second baseline: the least any monitor pays to read the same view
      const bareViewTimes: number[] = [];
      for (let i = 0; i < POLLS; i++) {
        const started = performance.now();
        await baseline.query('SELECT * FROM pg_stat_activity');
        bareViewTimes.push(performance.now() - started);
      }
      const pollTimes: number[] = [];
      let sessionsSeen = 0;
      for (let i = 0; i < POLLS; i++) {
        const started = performance.now();
        const snapshot = await collector.collect(DEFAULT_THRESHOLDS);
        pollTimes.push(performance.now() - started);
        sessionsSeen = snapshot.connections.total;
      }
      const statements = (await admin.query(`
        SELECT CASE WHEN query LIKE '%FROM pg_stat_activity%WHERE backend_type%' THEN 'activity'
                    WHEN query LIKE '%server_time_ms%' THEN 'overview'
                    WHEN query = 'SELECT $1' OR query = 'SELECT 1' THEN 'select1'
                    WHEN query = 'SELECT * FROM pg_stat_activity' THEN 'bareView' END AS kind,
               sum(calls)::int AS calls, sum(total_exec_time)::float8 AS total_ms
        FROM pg_stat_statements GROUP BY 1`)).rows as { kind: string | null; calls: number; total_ms: number }[];
      const serverMs = (kind: string): number => {
        const row = statements.find((candidate) => candidate.kind === kind);
        return row ? row.total_ms / row.calls : NaN;
      };
      await collector.close();

      // footprint: a session that ran the monitor's statements POLLS times vs one that ran SELECT 1
      const monitorLike = await connect(port, 'bench-monitor-footprint');
      for (let i = 0; i < POLLS; i++) {
        await monitorLike.query(POSTGRES_OVERVIEW, [[...POSTGRES_REPORTED_SETTINGS]]);
        await monitorLike.query(POSTGRES_ACTIVITY, [MAX_QUERY_TEXT]);
      }
      const monitorMemory = await backendMemory(monitorLike);
      const select1Only = await connect(port, 'bench-select1-footprint');
      for (let i = 0; i < POLLS; i++) await select1Only.query('SELECT 1');
      const baselineMemory = await backendMemory(select1Only);
      await select1Only.end();
      await monitorLike.end();
      await baseline.end();

      const figures = {
        sessions: sessionsSeen,
        pollRoundTripMs: { median: percentile(pollTimes, 50), p95: percentile(pollTimes, 95) },
        select1RoundTripMs: { median: percentile(baselineTimes, 50), p95: percentile(baselineTimes, 95) },
        bareViewRoundTripMs: { median: percentile(bareViewTimes, 50), p95: percentile(bareViewTimes, 95) },
        serverExecMsPerPoll: { overview: serverMs('overview'), activity: serverMs('activity'), total: serverMs('overview') + serverMs('activity'), select1: serverMs('select1'), bareView: serverMs('bareView') },
        monitorBackend: monitorMemory,
        baselineBackend: baselineMemory,
      };
      (results.levels as Record<string, unknown>)[String(level)] = figures;
      const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(1)}×` : 'n/a');
      console.log(`\n${level} sessions (server counted ${sessionsSeen})`);
      console.log(`  poll round trip    median ${figures.pollRoundTripMs.median.toFixed(2)} ms, p95 ${figures.pollRoundTripMs.p95.toFixed(2)} ms  (${ratio(figures.pollRoundTripMs.median, figures.select1RoundTripMs.median)} a SELECT 1 round trip of ${figures.select1RoundTripMs.median.toFixed(3)} ms)`);
      console.log(`  bare view read     SELECT * FROM pg_stat_activity round trip median ${figures.bareViewRoundTripMs.median.toFixed(2)} ms (poll = ${ratio(figures.pollRoundTripMs.median, figures.bareViewRoundTripMs.median)})`);
      console.log(`  server exec / poll overview ${figures.serverExecMsPerPoll.overview.toFixed(3)} ms + activity ${figures.serverExecMsPerPoll.activity.toFixed(3)} ms = ${figures.serverExecMsPerPoll.total.toFixed(3)} ms  (SELECT 1: ${figures.serverExecMsPerPoll.select1.toFixed(4)} ms; bare view: ${figures.serverExecMsPerPoll.bareView.toFixed(3)} ms)`);
      console.log(`  monitor backend    memory contexts ${(monitorMemory.contextsBytes / 1024).toFixed(0)} KiB vs ${(baselineMemory.contextsBytes / 1024).toFixed(0)} KiB for a SELECT 1 session; private RSS ${monitorMemory.privateRssKb ?? '?'} kB vs ${baselineMemory.privateRssKb ?? '?'} kB`);
    }
    await admin.end();
  } finally {
    await Promise.all(idle.map((client) => client.end().catch(() => undefined)));
    cluster.destroy();
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/poll.json', `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nwritten bench/results/poll.json');
}

main().catch((error: unknown) => {
  console.error(`poll bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
