/**
 * The lint worker (bundled as dist/lint-worker.js): one long-lived worker thread that owns the
 * parsers, so tree-sitter and ESLint never run on the extension host's thread. The host sends
 * requests tagged with an id and gets exactly one response per id; the worker never throws out of a
 * request, every failure becomes an `error` response with a user-facing reason.
 */
import { parentPort } from 'node:worker_threads';
import * as path from 'node:path';
import { applyFixesUntilStable, describeError, forgetDocument, lintText, ProjectIndex, supportedExtensions } from './index';
import type { LintConfig, LintOutcome } from './types';

export type LintWorkerRequest =
  /** `documentKey` names an open document: the front end keeps its tree and findings and re-analyses only what changed. */
  | { readonly id: number; readonly kind: 'lint'; readonly text: string; readonly filePath: string; readonly config: LintConfig; readonly documentKey?: string }
  | { readonly id: number; readonly kind: 'forget'; readonly documentKey: string }
  | { readonly id: number; readonly kind: 'fixAll'; readonly text: string; readonly filePath: string; readonly config: LintConfig }
  | { readonly id: number; readonly kind: 'supportedExtensions' }
  /** The workspace folders: files under them are linted with the project index (what other modules offer). */
  | { readonly id: number; readonly kind: 'configureProject'; readonly roots: readonly string[] }
  /** A file changed on disk (saved, created, deleted): its facts are read again; the answer lists the files whose lint may change. */
  | { readonly id: number; readonly kind: 'fileChanged'; readonly filePath: string };

export type LintWorkerResponse =
  | { readonly id: number; readonly kind: 'lint'; readonly outcome: LintOutcome }
  | { readonly id: number; readonly kind: 'forgotten' }
  | { readonly id: number; readonly kind: 'fixAll'; readonly text: string; readonly passes: number }
  | { readonly id: number; readonly kind: 'supportedExtensions'; readonly extensions: readonly string[] }
  | { readonly id: number; readonly kind: 'projectConfigured' }
  | { readonly id: number; readonly kind: 'fileChanged'; readonly affected: readonly string[] }
  | { readonly id: number; readonly kind: 'error'; readonly reason: string };

/**
 * The workspace's project index, kept for the session: facts are re-read per file when its modification
 * time changes, and a `fileChanged` request (the editor saved a file) answers which importers to lint again.
 */
let project: ProjectIndex | undefined;
/** Open documents by file path, to forget what was kept for them when a module they import changes. */
const documentKeysByPath = new Map<string, Set<string>>();

function projectFor(filePath: string): ProjectIndex | undefined {
  if (!project) return undefined;
  const resolved = path.resolve(filePath);
  return project.roots.some((root) => resolved === root || resolved.startsWith(root + path.sep)) ? project : undefined;
}

async function answer(request: LintWorkerRequest): Promise<LintWorkerResponse> {
  switch (request.kind) {
    case 'lint': {
      if (request.documentKey !== undefined) {
        const resolved = path.resolve(request.filePath);
        let keys = documentKeysByPath.get(resolved);
        if (!keys) documentKeysByPath.set(resolved, (keys = new Set()));
        keys.add(request.documentKey);
      }
      const outcome = await lintText(request.text, request.filePath, request.config, { documentKey: request.documentKey, project: projectFor(request.filePath) });
      return { id: request.id, kind: 'lint', outcome };
    }
    case 'forget':
      await forgetDocument(request.documentKey);
      for (const keys of documentKeysByPath.values()) keys.delete(request.documentKey);
      return { id: request.id, kind: 'forgotten' };
    case 'configureProject':
      project = request.roots.length > 0 ? new ProjectIndex({ roots: request.roots }) : undefined;
      return { id: request.id, kind: 'projectConfigured' };
    case 'fileChanged': {
      const affected = project ? project.invalidate(request.filePath) : [];
      // What was kept for the importers' open documents was computed from the old facts: start afresh.
      for (const file of affected) for (const key of documentKeysByPath.get(file) ?? []) await forgetDocument(key);
      return { id: request.id, kind: 'fileChanged', affected };
    }
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
