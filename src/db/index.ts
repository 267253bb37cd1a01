/** Public surface of the database layer (bundled as dist/db.js). No `vscode` here. */
export * from './types';
export { parseConnectionUrl, makeTarget, redactTarget, describeTarget, TargetConfigError } from './target';
export { CollectorError, classifyError } from './errors';
