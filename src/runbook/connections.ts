/**
 * The runbook's own database sessions. Each is tagged `dbhealth-runbook` (application_name /
 * program_name) so that the inspect lists and the actions skip it like the monitor's session.
 * PostgreSQL reuses the collector's connect helper; mysql2's options builder is private to the
 * collector, so the MySQL one lives here (a candidate for a shared helper in src/db).
 */
import { readFileSync } from 'node:fs';
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise';
import type { Client } from 'pg';
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

export function mysqlOptions(target: ConnectionTarget, applicationName = RUNBOOK_APPLICATION_NAME): ConnectionOptions {
  const options: ConnectionOptions = {
    host: target.host,
    port: target.port,
    user: target.user,
    connectTimeout: target.connectTimeoutMs,
    connectAttributes: { program_name: applicationName },
    multipleStatements: false,
  };
  if (target.database) options.database = target.database;
  if (target.password !== undefined) options.password = target.password;
  if (target.tls !== 'disable' && target.tls !== 'prefer') {
    options.ssl = {
      rejectUnauthorized: target.tls === 'verify-ca' || target.tls === 'verify-full',
      ...(target.caFile ? { ca: readFileSync(target.caFile, 'utf8') } : {}),
    };
  }
  return options;
}

export async function openRunbookMysql(target: ConnectionTarget, applicationName = RUNBOOK_APPLICATION_NAME): Promise<Connection> {
  const connection = await createConnection(mysqlOptions(target, applicationName));
  // A server-side close after connect must not crash the process; the next query reports it.
  connection.on('error', () => undefined);
  return connection;
}
