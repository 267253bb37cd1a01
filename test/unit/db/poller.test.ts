// The poller's schedule and states, driven by a scripted collector under node:test's mock timers
// (setTimeout and Date), so every delay and timestamp is exact. The real-database behaviour (a
// server stopped mid-watch, a wrong password) is in test/integration/db/faults.test.ts.
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Poller } from '../../../src/db/poller';
import { CollectorError } from '../../../src/db/errors';
import { DEFAULT_THRESHOLDS, type AlertThresholds, type Collector, type PollerState, type Snapshot } from '../../../src/db/types';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();

type Step = 'ok' | Error;

/** A collector that follows a script: each connect()/collect() takes the next step of its list ('ok' once the list is empty). */
class ScriptedCollector implements Collector {
  readonly target = { engine: 'postgres', host: 'db', port: 5432, database: 'app', user: 'monitor' } as unknown as Collector['target'];
  isConnected = false;
  connects = 0;
  collects = 0;
  closes = 0;
  thresholdsSeen: AlertThresholds[] = [];
  /** While set, collect() waits for it. */
  gate: Promise<void> | null = null;
  /** Whether a failed collect() drops the connection (a statement timeout does not). */
  dropOnFailure = true;

  constructor(private readonly connectSteps: Step[] = [], private readonly collectSteps: Step[] = []) {}

  async connect(): Promise<void> {
    this.connects++;
    const step = this.connectSteps.shift() ?? 'ok';
    if (step !== 'ok') throw step;
    this.isConnected = true;
  }

  async collect(thresholds: AlertThresholds): Promise<Snapshot> {
    this.collects++;
    this.thresholdsSeen.push(thresholds);
    if (this.gate) await this.gate;
    const step = this.collectSteps.shift() ?? 'ok';
    if (step !== 'ok') {
      if (this.dropOnFailure) this.isConnected = false;
      throw step;
    }
    return { sampledAt: `sample-${this.collects}` } as unknown as Snapshot;
  }

  async close(): Promise<void> {
    this.closes++;
    this.isConnected = false;
  }
}

/** Lets the promise chains the poller started run to completion (mock timers leave setImmediate alone). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function advance(ms: number): Promise<void> {
  mock.timers.tick(ms);
  await settle();
}

function record(): { states: PollerState[]; snapshots: Snapshot[]; events: { onState(state: PollerState): void; onSnapshot(snapshot: Snapshot): void } } {
  const states: PollerState[] = [];
  const snapshots: Snapshot[] = [];
  return { states, snapshots, events: { onState: (state) => states.push(state), onSnapshot: (snapshot) => snapshots.push(snapshot) } };
}

const down = (message = 'connect ECONNREFUSED 127.0.0.1:5432'): Error => new Error(message);

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
});

afterEach(() => {
  mock.timers.reset();
});

test('a new poller is idle with nothing sampled', () => {
  const poller = new Poller(new ScriptedCollector());
  assert.deepEqual(poller.state, { kind: 'idle' });
  assert.equal(poller.lastSnapshot, null);
  assert.equal(poller.lastFailure, null);
  assert.equal(poller.connectAttempts, 0);
});

test('without options: 5 s interval, 1 s first backoff with half of it jittered, the default thresholds', async () => {
  const collector = new ScriptedCollector([down()]);
  const { states, events } = record();
  const poller = new Poller(collector, undefined, events, () => 0);
  poller.start();
  await advance(0);
  assert.equal((states.at(-1) as Extract<PollerState, { kind: 'unreachable' }>).nextRetryAt, at(500));
  await advance(500);
  assert.equal(poller.state.kind, 'live');
  assert.deepEqual(collector.thresholdsSeen, [DEFAULT_THRESHOLDS]);
  await advance(4999);
  assert.equal(collector.collects, 1);
  await advance(1);
  assert.equal(collector.collects, 2);
  await poller.stop();
});

test('start polls at once: connecting, then live, then one poll per interval on the same connection', async () => {
  const collector = new ScriptedCollector();
  const { states, snapshots, events } = record();
  const poller = new Poller(collector, { intervalMs: 1000 }, events);
  poller.start();
  assert.equal(collector.connects, 0, 'nothing happens synchronously');
  await advance(0);
  assert.deepEqual(states, [
    { kind: 'connecting', since: at(0), attempt: 1 },
    { kind: 'live', since: at(0), lastSampledAt: 'sample-1' },
  ]);
  assert.equal(poller.connectAttempts, 1);
  assert.deepEqual(snapshots.map((s) => s.sampledAt), ['sample-1']);
  assert.equal(poller.lastSnapshot?.sampledAt, 'sample-1');
  assert.deepEqual(collector.thresholdsSeen, [DEFAULT_THRESHOLDS]);

  await advance(999);
  assert.equal(collector.collects, 1, 'not before the interval');
  await advance(1);
  assert.equal(collector.collects, 2);
  assert.equal(collector.connects, 1, 'the connection is reused');
  // Still live since the first poll; only the sample time moves.
  assert.deepEqual(states.at(-1), { kind: 'live', since: at(0), lastSampledAt: 'sample-2' });
  assert.equal(states.length, 3);
  await advance(1000);
  assert.equal(collector.collects, 3);
  await poller.stop();
});

test('start while running changes nothing: no extra poll, the interval is kept', async () => {
  const collector = new ScriptedCollector();
  const poller = new Poller(collector, { intervalMs: 1000 });
  poller.start();
  await advance(0);
  poller.start();
  await advance(0);
  await advance(500);
  assert.equal(collector.collects, 1);
  await advance(500);
  assert.equal(collector.collects, 2);
  await poller.stop();
});

test('a failed connect is unreachable with exponential backoff (jitter from the given random), and the outage keeps its start', async () => {
  const collector = new ScriptedCollector([down(), down(), down(), down()]);
  const { states, events } = record();
  const poller = new Poller(collector, { intervalMs: 1000, backoffInitialMs: 100, backoffMaxMs: 400, jitter: 0 }, events, () => 0.5);
  poller.start();
  await advance(0);
  assert.deepEqual(states, [
    { kind: 'connecting', since: at(0), attempt: 1 },
    { kind: 'unreachable', since: at(0), reason: 'connecting: connect ECONNREFUSED 127.0.0.1:5432', attempt: 1, nextRetryAt: at(100) },
  ]);
  assert.deepEqual(poller.lastFailure && { kind: poller.lastFailure.kind, message: poller.lastFailure.message }, { kind: 'unreachable', message: 'connecting: connect ECONNREFUSED 127.0.0.1:5432' });
  await advance(99);
  assert.equal(collector.connects, 1);
  await advance(1);
  assert.equal(collector.connects, 2);
  assert.deepEqual(states.slice(2), [
    { kind: 'connecting', since: at(100), attempt: 2 },
    { kind: 'unreachable', since: at(0), reason: 'connecting: connect ECONNREFUSED 127.0.0.1:5432', attempt: 2, nextRetryAt: at(300) },
  ]);
  await advance(200);
  assert.equal(collector.connects, 3);
  assert.deepEqual(states.at(-1), { kind: 'unreachable', since: at(0), reason: 'connecting: connect ECONNREFUSED 127.0.0.1:5432', attempt: 3, nextRetryAt: at(700) });
  await advance(400);
  assert.equal(collector.connects, 4);
  // Capped at backoffMaxMs.
  assert.deepEqual(states.at(-1), { kind: 'unreachable', since: at(0), reason: 'connecting: connect ECONNREFUSED 127.0.0.1:5432', attempt: 4, nextRetryAt: at(1100) });
  assert.equal(poller.connectAttempts, 4);
  await advance(400);
  assert.equal(collector.connects, 5);
  assert.deepEqual(states.slice(-2), [
    { kind: 'connecting', since: at(1100), attempt: 5 },
    { kind: 'live', since: at(1100), lastSampledAt: 'sample-1' },
  ]);
  assert.equal(poller.lastFailure, null);
  await poller.stop();
});

test('jitter draws part of each delay from the random source', async () => {
  const collector = new ScriptedCollector([down(), down()]);
  const { states, events } = record();
  const poller = new Poller(collector, { backoffInitialMs: 1000, backoffMaxMs: 60_000, jitter: 0.5 }, events, () => 0.25);
  poller.start();
  await advance(0);
  // 1000 * 0.5 fixed + 1000 * 0.5 * 0.25 drawn
  assert.equal((states.at(-1) as Extract<PollerState, { kind: 'unreachable' }>).nextRetryAt, at(625));
  await advance(624);
  assert.equal(collector.connects, 1);
  await advance(1);
  assert.equal(collector.connects, 2);
  await poller.stop();
});

test('a poll that fails after live data is stale since that moment; the next failures are unreachable with the same start; success resets the backoff', async () => {
  const terminated = down('Connection terminated unexpectedly');
  const collector = new ScriptedCollector([down(), down(), 'ok', down(), 'ok', 'ok'], ['ok', terminated, 'ok', terminated]);
  const { states, events } = record();
  const poller = new Poller(collector, { intervalMs: 1000, backoffInitialMs: 100, backoffMaxMs: 10_000, jitter: 0 }, events);
  poller.start();
  await advance(0); // connect fails
  await advance(100); // connect fails
  await advance(200); // connect ok, collect ok: live at 300
  assert.deepEqual(states.at(-1), { kind: 'live', since: at(300), lastSampledAt: 'sample-1' });
  states.length = 0;
  await advance(1000); // collect fails at 1300
  assert.deepEqual(states, [{ kind: 'stale', since: at(1300), reason: 'polling: Connection terminated unexpectedly', nextRetryAt: at(1400) }]);
  assert.equal(poller.lastSnapshot?.sampledAt, 'sample-1', 'the last good data is kept while stale');
  assert.equal(poller.lastFailure?.kind, 'unreachable');
  await advance(100); // reconnect fails at 1400
  assert.deepEqual(states.slice(1), [
    { kind: 'connecting', since: at(1400), attempt: 2 },
    { kind: 'unreachable', since: at(1300), reason: 'connecting: connect ECONNREFUSED 127.0.0.1:5432', attempt: 2, nextRetryAt: at(1600) },
  ]);
  states.length = 0;
  await advance(200); // reconnect ok, collect ok at 1600
  assert.deepEqual(states, [
    { kind: 'connecting', since: at(1600), attempt: 3 },
    { kind: 'live', since: at(1600), lastSampledAt: 'sample-3' },
  ]);
  assert.equal(poller.lastFailure, null);
  states.length = 0;
  await advance(1000); // collect fails at 2600: a new outage, first failure again after a success
  assert.deepEqual(states, [{ kind: 'stale', since: at(2600), reason: 'polling: Connection terminated unexpectedly', nextRetryAt: at(2700) }]);
  await poller.stop();
});

test('back to live on the same connection after a failed poll: live since the recovery, not since the outage', async () => {
  const collector = new ScriptedCollector([], ['ok', new CollectorError('timeout', 'polling: canceling statement due to statement timeout')]);
  collector.dropOnFailure = false;
  const { states, events } = record();
  const poller = new Poller(collector, { intervalMs: 1000, backoffInitialMs: 100, jitter: 0 }, events);
  poller.start();
  await advance(0);
  await advance(1000);
  assert.deepEqual(states.at(-1), { kind: 'stale', since: at(1000), reason: 'polling: canceling statement due to statement timeout', nextRetryAt: at(1100) });
  await advance(100);
  assert.equal(collector.connects, 1, 'still connected: no reconnect');
  assert.deepEqual(states.at(-1), { kind: 'live', since: at(1100), lastSampledAt: 'sample-3' });
  await poller.stop();
});

test('an authentication failure is not retried on the backoff schedule; with authRetryMs it is retried once that delay has passed', async () => {
  const denied = new CollectorError('auth', 'connecting: password authentication failed for user "app"');
  const never = new ScriptedCollector([denied]);
  const { states, events } = record();
  const poller = new Poller(never, { backoffInitialMs: 10, authRetryMs: null }, events);
  poller.start();
  await advance(0);
  assert.deepEqual(states.at(-1), { kind: 'auth-failed', since: at(0), reason: 'connecting: password authentication failed for user "app"', nextRetryAt: null });
  await advance(60_000);
  assert.equal(poller.connectAttempts, 1);
  await poller.stop();

  const slow = new ScriptedCollector([new CollectorError('config', 'connecting: the certificate file is missing'), new CollectorError('auth', 'connecting: denied')]);
  const slowStates = record();
  const retrying = new Poller(slow, { backoffInitialMs: 10, authRetryMs: 30_000 }, slowStates.events);
  retrying.start();
  await advance(0);
  assert.deepEqual(slowStates.states.at(-1), { kind: 'auth-failed', since: at(60_000), reason: 'connecting: the certificate file is missing', nextRetryAt: at(90_000) });
  assert.equal(retrying.lastFailure?.kind, 'config');
  await advance(29_999);
  assert.equal(slow.connects, 1);
  await advance(1);
  assert.equal(slow.connects, 2);
  // Authentication failures do not count as backoff attempts.
  assert.deepEqual(slowStates.states.at(-2), { kind: 'connecting', since: at(90_000), attempt: 1 });
  await retrying.stop();
});

test('pollNow polls at once and restarts the interval; a second call while one is running shares it', async () => {
  const collector = new ScriptedCollector();
  const poller = new Poller(collector, { intervalMs: 1000 });
  poller.start();
  await advance(0);
  await advance(600);
  let release!: () => void;
  collector.gate = new Promise((resolve) => { release = resolve; });
  const first = poller.pollNow();
  const second = poller.pollNow();
  await settle();
  assert.equal(collector.collects, 2, 'one poll for both calls');
  collector.gate = null;
  release();
  await Promise.all([first, second]);
  await settle();
  assert.equal(poller.lastSnapshot?.sampledAt, 'sample-2');
  // The old timer (due at 1000) is gone: the next poll is an interval after this one.
  await advance(400);
  assert.equal(collector.collects, 2);
  await advance(599);
  assert.equal(collector.collects, 2);
  await advance(1);
  assert.equal(collector.collects, 3);
  await poller.stop();
});

test('pollNow on a poller that was never started polls once and schedules nothing', async () => {
  const collector = new ScriptedCollector();
  const poller = new Poller(collector, { intervalMs: 1000 });
  await poller.pollNow();
  assert.equal(collector.collects, 1);
  assert.equal(poller.state.kind, 'live');
  await advance(5000);
  assert.equal(collector.collects, 1);
});

test('stop waits for the poll in flight, closes the connection, and nothing runs afterwards', async () => {
  const collector = new ScriptedCollector();
  const { states, events } = record();
  const poller = new Poller(collector, { intervalMs: 1000 }, events);
  let release!: () => void;
  collector.gate = new Promise((resolve) => { release = resolve; });
  poller.start();
  await advance(0);
  assert.equal(collector.collects, 1);
  let stopped = false;
  const stopping = poller.stop().then(() => { stopped = true; });
  await settle();
  assert.equal(stopped, false, 'stop waits for the poll in flight');
  assert.equal(collector.closes, 0, 'the connection is not closed under a running poll');
  collector.gate = null;
  release();
  await stopping;
  assert.equal(collector.closes, 1);
  assert.deepEqual(poller.state, { kind: 'stopped' });
  assert.deepEqual(states.at(-1), { kind: 'stopped' });
  await advance(10_000);
  assert.equal(collector.collects, 1, 'no poll after stop');
  assert.equal(collector.connects, 1);
});

test('stop while waiting for the next poll cancels it; a failed poll in flight does not make stop fail', async () => {
  const collector = new ScriptedCollector([], ['ok']);
  const poller = new Poller(collector, { intervalMs: 1000 });
  poller.start();
  await advance(0);
  await poller.stop();
  await advance(5000);
  assert.equal(collector.collects, 1);

  const failing = new ScriptedCollector([], [down('boom')]);
  const other = new Poller(failing, { intervalMs: 1000, backoffInitialMs: 100, jitter: 0 });
  let release!: () => void;
  failing.gate = new Promise((resolve) => { release = resolve; });
  other.start();
  await advance(0);
  const stopping = other.stop();
  failing.gate = null;
  release();
  await stopping;
  assert.deepEqual(other.state, { kind: 'stopped' });
  await advance(5000);
  assert.equal(failing.connects, 1, 'no reconnect after stop');
});

test('updateOptions applies from the next poll: new interval and thresholds, other options kept', async () => {
  const collector = new ScriptedCollector();
  const poller = new Poller(collector, { intervalMs: 1000 });
  poller.start();
  await advance(0);
  const thresholds = { ...DEFAULT_THRESHOLDS, longQuerySeconds: 5 };
  poller.updateOptions({ intervalMs: 3000, thresholds });
  await advance(1000); // the timer set before the change still fires at 1000
  assert.equal(collector.collects, 2);
  assert.equal(collector.thresholdsSeen[1], thresholds);
  await advance(2999);
  assert.equal(collector.collects, 2);
  await advance(1);
  assert.equal(collector.collects, 3);
  await poller.stop();
});
