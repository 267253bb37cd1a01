import type { RuleName } from '../../engine/catalogue';
import type { DbhealthRuleModule } from './create-rule';
import noConnectPerRequest from './no-connect-per-request';
import noIoWhileHoldingConnection from './no-io-while-holding-connection';
import noLeakedConnection from './no-leaked-connection';
import noOpenTransaction from './no-open-transaction';
import noSwallowedDbError from './no-swallowed-db-error';
import requireAcquireTimeout from './require-acquire-timeout';
import requireConnectTimeout from './require-connect-timeout';
import requirePoolRecycle from './require-pool-recycle';
import requireRetryBackoff from './require-retry-backoff';
import requireStatementTimeout from './require-statement-timeout';
import sanePoolSize from './sane-pool-size';

/** Every JS/TS rule, keyed by its catalogue name (the ESLint rule id is `dbhealth/<name>`). */
export const JAVASCRIPT_RULES: Record<RuleName, DbhealthRuleModule> = {
  'no-leaked-connection': noLeakedConnection as unknown as DbhealthRuleModule,
  'no-connect-per-request': noConnectPerRequest as unknown as DbhealthRuleModule,
  'require-acquire-timeout': requireAcquireTimeout as unknown as DbhealthRuleModule,
  'require-connect-timeout': requireConnectTimeout as unknown as DbhealthRuleModule,
  'require-statement-timeout': requireStatementTimeout as unknown as DbhealthRuleModule,
  'require-pool-recycle': requirePoolRecycle as unknown as DbhealthRuleModule,
  'no-io-while-holding-connection': noIoWhileHoldingConnection as unknown as DbhealthRuleModule,
  'require-retry-backoff': requireRetryBackoff as unknown as DbhealthRuleModule,
  'no-swallowed-db-error': noSwallowedDbError as unknown as DbhealthRuleModule,
  'no-open-transaction': noOpenTransaction as unknown as DbhealthRuleModule,
  'sane-pool-size': sanePoolSize as unknown as DbhealthRuleModule,
};
