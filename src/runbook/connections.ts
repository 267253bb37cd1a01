/**
 * The runbook's own database sessions. Each is tagged `dbhealth-runbook` (application_name /
 * program_name) so that the inspect lists and the actions skip it like the monitor's session.
 * Both reuse the collectors' connection builders, so TLS and timeouts behave the same everywhere.
 */
import { createConnection, type Connection } from 'mysql2/promise';
import type { Client } from 'pg';
import { mysqlConnectionOptions } from '../db/mysql/collector';
import { openPostgresClient } from '../db/postgres/collector';
import type { ConnectionTarget } from '../db/types';

export const RUNBOOK_APPLICATION_NAME = 'dbhealth-runbook';
/** Every session whose tag starts with this belongs to dbhealth and is never listed or ended. */
export const OWN_SESSION_PREFIX = 'dbhealth-';

export function runbookTarget(target: ConnectionTarget, applicationName = RUNBOOK_APPLICATION_NAME): ConnectionTarget {
  return { ...target, applicationName };
}

export function openRunbookPostgres(target: ConnectionTarget, applicationName = RUNBOOK_APPLICATION_NAME): Promise<Client> {
  return openPostgresClient(runbookTarget(target, applicationName), 'connecting to PostgreSQL');
}

export async function openRunbookMysql(target: ConnectionTarget, applicationName = RUNBOOK_APPLICATION_NAME): Promise<Connection> {
  const connection = await createConnection(mysqlConnectionOptions(runbookTarget(target, applicationName)));
  // A server-side close after connect must not crash the process; the next query reports it.
  connection.on('error', () => undefined);
  return connection;
}
