import * as path from 'node:path';

/** The engine bundle's surface as the glue uses it; typed from the source so the two cannot drift. */
export type Engine = typeof import('../engine/index');

let engine: Engine | undefined;

/**
 * Loads dist/engine.js on first need. It is a separate bundle so that activation never pays for
 * the parsers; `require` with a computed path keeps esbuild from inlining it into extension.js.
 */
export function loadEngine(): Engine {
  if (!engine) {
    const enginePath = path.join(__dirname, 'engine.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    engine = require(enginePath) as Engine;
  }
  return engine;
}
