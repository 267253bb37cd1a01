import * as path from 'node:path';

/** The database layer's surface as the glue uses it; typed from the source so the two cannot drift. */
export type DatabaseLayer = typeof import('../../db/index');

let databaseLayer: DatabaseLayer | undefined;

/**
 * Loads dist/db.js (the drivers) when a panel opens or a connection is tested, never at
 * activation; the computed path keeps esbuild from inlining it into extension.js.
 */
export function loadDatabaseLayer(): DatabaseLayer {
  if (!databaseLayer) {
    const bundlePath = path.join(__dirname, 'db.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    databaseLayer = require(bundlePath) as DatabaseLayer;
  }
  return databaseLayer;
}
