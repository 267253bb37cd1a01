/** Chooses the collector for a target's engine. Drivers load on first use (the bundle is lazy-required). */
import { MysqlCollector } from './mysql/collector';
import { PgbouncerCollector } from './pgbouncer/collector';
import { PostgresCollector } from './postgres/collector';
import type { Collector, ConnectionTarget } from './types';

export function createCollector(target: ConnectionTarget): Collector {
  switch (target.engine) {
    case 'postgres':
      return new PostgresCollector(target);
    case 'mysql':
      return new MysqlCollector(target);
    case 'pgbouncer':
      return new PgbouncerCollector(target);
  }
}
