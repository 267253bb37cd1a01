/** Public surface of the database layer (bundled as dist/db.js). No `vscode` here. */
export * from './types';
export { parseConnectionUrl, makeTarget, redactTarget, describeTarget, TargetConfigError } from './target';
export { CollectorError, classifyError } from './errors';
export { createCollector } from './collector';
export { PostgresCollector, openPostgresClient } from './postgres/collector';
export { MysqlCollector } from './mysql/collector';
export { PgbouncerCollector } from './pgbouncer/collector';
export { Poller } from './poller';
export { evaluateAlerts, computeRates, computeRatesAcross, buildBlockingChains, backoffDelayMs, countBy } from './analysis';
