/**
 * The lint worker (bundled as dist/lint-worker.js): one long-lived worker thread that owns the
 * parsers, so tree-sitter and ESLint never run on the extension host's thread. The host sends
 * requests tagged with an id and gets exactly one response per id; the worker never throws out of a
 * request, every failure becomes an `error` response with a user-facing reason.
 */
import { parentPort } from 'node:worker_threads';
import { applyFixesUntilStable, describeError, forgetDocument, lintText, supportedExtensions } from './index';
import type { LintConfig, LintOutcome } from './types';

export type LintWorkerRequest =
  /** `documentKey` names an open document: the front end keeps its tree and findings and re-analyses only what changed. */
  | { readonly id: number; readonly kind: 'lint'; readonly text: string; readonly filePath: string; readonly config: LintConfig; readonly documentKey?: string }
  | { readonly id: number; readonly kind: 'forget'; readonly documentKey: string }
  | { readonly id: number; readonly kind: 'fixAll'; readonly text: string; readonly filePath: string; readonly config: LintConfig }
  | { readonly id: number; readonly kind: 'supportedExtensions' };

export type LintWorkerResponse =
  | { readonly id: number; readonly kind: 'lint'; readonly outcome: LintOutcome }
  | { readonly id: number; readonly kind: 'forgotten' }
  | { readonly id: number; readonly kind: 'fixAll'; readonly text: string; readonly passes: number }
  | { readonly id: number; readonly kind: 'supportedExtensions'; readonly extensions: readonly string[] }
  | { readonly id: number; readonly kind: 'error'; readonly reason: string };

async function answer(request: LintWorkerRequest): Promise<LintWorkerResponse> {
  switch (request.kind) {
    case 'lint':
      return { id: request.id, kind: 'lint', outcome: await lintText(request.text, request.filePath, request.config, { documentKey: request.documentKey }) };
    case 'forget':
      await forgetDocument(request.documentKey);
      return { id: request.id, kind: 'forgotten' };
    case 'fixAll': {
      const { text, passes } = await applyFixesUntilStable(request.text, async (current) => {
        const outcome = await lintText(current, request.filePath, request.config);
        if (outcome.kind === 'failed') throw new Error(outcome.reason);
        return outcome.kind === 'linted' ? outcome.findings : [];
      });
      return { id: request.id, kind: 'fixAll', text, passes };
    }
    case 'supportedExtensions':
      return { id: request.id, kind: 'supportedExtensions', extensions: supportedExtensions() };
  }
}

const port = parentPort;
if (port) {
  port.on('message', (request: LintWorkerRequest) => {
    answer(request).then(
      (response) => port.postMessage(response),
      (error: unknown) => port.postMessage({ id: request.id, kind: 'error', reason: describeError(error) } satisfies LintWorkerResponse),
    );
  });
}
