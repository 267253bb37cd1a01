import * as path from 'node:path';

/** The runbook's surface as the glue uses it; typed from the source so the two cannot drift. */
export type RunbookLayer = typeof import('../../runbook/index');
export type DatabaseLayer = typeof import('../../db/index');

let runbookLayer: RunbookLayer | undefined;

/**
 * Loads dist/runbook.js (with the drivers) on the first runbook command, never at activation; the
 * computed path keeps esbuild from inlining it into extension.js.
 */
export function loadRunbookLayer(): RunbookLayer {
  if (!runbookLayer) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    runbookLayer = require(path.join(__dirname, 'runbook.js')) as RunbookLayer;
  }
  return runbookLayer;
}
