/**
 * The host's side of the lint worker. Plain Node (no `vscode`), so the benchmark drives exactly the
 * path the extension uses. One worker thread, started on the first request and kept for the
 * session; a crashed worker fails its pending requests with a clear reason and is restarted on the
 * next request.
 *
 * Per document (`key`) at most one lint is in flight: while one runs, a newer request replaces any
 * queued one, and the replaced request resolves as `superseded` without ever reaching the worker.
 * Typing fast therefore costs one analysis per pause, not one per keystroke.
 */
import { Worker } from 'node:worker_threads';
import type { LintWorkerRequest, LintWorkerResponse } from '../engine/worker';
import type { LintConfig, LintOutcome } from '../engine/types';
import { ANALYSIS_STACK_MB } from '../engine/limits';

export type LintResult =
  | { readonly kind: 'done'; readonly version: number; readonly outcome: LintOutcome }
  /** A newer version of the same document was requested before this one started. */
  | { readonly kind: 'superseded'; readonly version: number };

interface QueuedLint {
  readonly version: number;
  readonly remember: boolean;
  readonly text: string;
  readonly filePath: string;
  readonly config: LintConfig;
  readonly resolve: (result: LintResult) => void;
}

interface DocumentLane {
  running: boolean;
  queued?: QueuedLint;
}

type RequestBody = LintWorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class LintWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { worker: Worker; resolve: (response: LintWorkerResponse) => void; reject: (error: Error) => void }>();
  private readonly lanes = new Map<string, DocumentLane>();
  private disposed = false;
  private projectRoots: readonly string[] = [];

  constructor(private readonly workerScriptPath: string) {}

  /**
   * Lints one version of a document; results for the same key arrive in request order. With
   * `remember` (open documents) the worker keeps what it learnt under the key, so the next edit is
   * re-analysed incrementally; a file linted once from disk passes false.
   */
  lint(key: string, version: number, text: string, filePath: string, config: LintConfig, remember = true): Promise<LintResult> {
    return new Promise((resolve) => {
      let lane = this.lanes.get(key);
      if (!lane) {
        lane = { running: false };
        this.lanes.set(key, lane);
      }
      lane.queued?.resolve({ kind: 'superseded', version: lane.queued.version });
      lane.queued = { version, remember, text, filePath, config, resolve };
      if (!lane.running) void this.drain(key, lane);
    });
  }

  /** Applies every safe fix until the text is stable; returns the fixed text. */
  async fixAll(text: string, filePath: string, config: LintConfig): Promise<{ text: string; passes: number }> {
    const response = await this.send({ kind: 'fixAll', text, filePath, config });
    if (response.kind === 'fixAll') return { text: response.text, passes: response.passes };
    throw new Error(response.kind === 'error' ? response.reason : `unexpected ${response.kind} response`);
  }

  /**
   * Lints files under these folders with the project index (imports between the workspace's modules).
   * Remembered, not sent, until a worker runs: setting it starts no thread (activation stays cheap),
   * and a restarted worker gets it again before anything else.
   */
  setProjectRoots(roots: readonly string[]): void {
    this.projectRoots = [...roots];
    if (this.worker && !this.disposed) void this.send({ kind: 'configureProject', roots: this.projectRoots }).catch(() => undefined);
  }

  /**
   * A file changed on disk; resolves to the files (paths) whose findings may change because they
   * import it. Nothing was linted yet when no worker runs: nothing to update.
   */
  async fileChanged(filePath: string): Promise<readonly string[]> {
    if (!this.worker || this.disposed) return [];
    const response = await this.send({ kind: 'fileChanged', filePath });
    if (response.kind === 'fileChanged') return response.affected;
    throw new Error(response.kind === 'error' ? response.reason : `unexpected ${response.kind} response`);
  }

  async supportedExtensions(): Promise<readonly string[]> {
    const response = await this.send({ kind: 'supportedExtensions' });
    if (response.kind === 'supportedExtensions') return response.extensions;
    throw new Error(response.kind === 'error' ? response.reason : `unexpected ${response.kind} response`);
  }

  /** Forgets a closed document's queue and what the worker kept of it; a lint already running still resolves. */
  forget(key: string): void {
    // Sent after any lint already posted for the key, so the worker drops the state that lint keeps.
    if (this.worker && !this.disposed) void this.send({ kind: 'forget', documentKey: key }).catch(() => undefined);
    const lane = this.lanes.get(key);
    if (!lane) return;
    lane.queued?.resolve({ kind: 'superseded', version: lane.queued.version });
    lane.queued = undefined;
    if (!lane.running) this.lanes.delete(key);
  }

  get isStarted(): boolean {
    return this.worker !== undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const key of [...this.lanes.keys()]) this.forget(key);
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private async drain(key: string, lane: DocumentLane): Promise<void> {
    lane.running = true;
    while (lane.queued) {
      const request = lane.queued;
      lane.queued = undefined;
      let outcome: LintOutcome;
      try {
        const response = await this.send({ kind: 'lint', text: request.text, filePath: request.filePath, config: request.config, ...(request.remember ? { documentKey: key } : {}) });
        outcome =
          response.kind === 'lint'
            ? response.outcome
            : { kind: 'failed', cause: 'internal', reason: response.kind === 'error' ? response.reason : `unexpected ${response.kind} response` };
      } catch (error) {
        outcome = { kind: 'failed', cause: 'internal', reason: error instanceof Error ? error.message : String(error) };
      }
      request.resolve({ kind: 'done', version: request.version, outcome });
    }
    lane.running = false;
    if (this.lanes.get(key) === lane && !lane.queued) this.lanes.delete(key);
  }

  private send(body: RequestBody): Promise<LintWorkerResponse> {
    if (this.disposed) return Promise.reject(new Error('the dbhealth lint worker has been shut down'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.ref();
      worker.postMessage({ ...body, id } as LintWorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The analysis stack: the nesting limit, not the thread's stack, decides what is analysed (src/engine/limits.ts).
    const worker = new Worker(this.workerScriptPath, { resourceLimits: { stackSizeMb: ANALYSIS_STACK_MB } });
    // An idle worker must not keep a CLI or benchmark process alive; a busy one must.
    worker.unref();
    worker.on('message', (response: LintWorkerResponse) => {
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (this.pending.size === 0) worker.unref();
      waiter.resolve(response);
    });
    // Only this worker's requests fail: a replacement may already be serving newer ones.
    const failAll = (reason: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiter] of [...this.pending]) {
        if (waiter.worker !== worker) continue;
        this.pending.delete(id);
        waiter.reject(new Error(reason));
      }
    };
    worker.on('error', (error) => failAll(`the dbhealth lint worker stopped: ${error.message}`));
    worker.on('exit', (code) => failAll(`the dbhealth lint worker exited (code ${code})`));
    this.worker = worker;
    // The project configuration goes first: the worker answers it before any lint request.
    if (this.projectRoots.length > 0) worker.postMessage({ id: this.nextId++, kind: 'configureProject', roots: this.projectRoots } satisfies LintWorkerRequest);
    return worker;
  }
}
