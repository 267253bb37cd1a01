import type { PythonRule } from '../rule';
import { noConnectPerRequest } from './no-connect-per-request';
import { noIoWhileHoldingConnection } from './no-io-while-holding-connection';
import { noLeakedConnection } from './no-leaked-connection';
import { noOpenTransaction } from './no-open-transaction';
import { noSwallowedDbError } from './no-swallowed-db-error';
import { requireAcquireTimeout } from './require-acquire-timeout';
import { requireConnectTimeout } from './require-connect-timeout';
import { requirePoolRecycle } from './require-pool-recycle';
import { requireRetryBackoff } from './require-retry-backoff';
import { requireStatementTimeout } from './require-statement-timeout';
import { sanePoolSize } from './sane-pool-size';

/** Every Python rule, in catalogue order. */
export const PYTHON_RULES: readonly PythonRule[] = [
  noLeakedConnection,
  noConnectPerRequest,
  requireAcquireTimeout,
  requireConnectTimeout,
  requireStatementTimeout,
  requirePoolRecycle,
  noIoWhileHoldingConnection,
  requireRetryBackoff,
  noSwallowedDbError,
  noOpenTransaction,
  sanePoolSize,
];
