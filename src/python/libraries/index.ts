import { aiomysqlTable, aiopgTable } from './aio';
import { asyncpgTable } from './asyncpg';
import { genericTable } from './generic';
import { mysqlclientTable, mysqlConnectorTable, pymysqlTable } from './mysql';
import { psycopgTable } from './psycopg';
import { psycopg2Table } from './psycopg2';
import { psycopgPoolTable } from './psycopg_pool';
import { sqlalchemyTable } from './sqlalchemy';
import type { FactorySpec, LibraryTable, MethodSpec, Role } from './types';

export const LIBRARY_TABLES: readonly LibraryTable[] = [
  psycopg2Table, psycopgTable, psycopgPoolTable, asyncpgTable, sqlalchemyTable, pymysqlTable, mysqlclientTable, mysqlConnectorTable, aiomysqlTable, aiopgTable,
];

export { genericTable };

/** A library's table by its name (as facts carry it); the generic table for anything else. */
export function tableNamed(library: string | undefined): LibraryTable {
  return LIBRARY_TABLES.find((table) => table.library === library) ?? genericTable;
}

/** Top-level module names that make a file worth analysing. */
export const LIBRARY_MODULES: ReadonlySet<string> = new Set(['psycopg2', 'psycopg', 'psycopg_pool', 'asyncpg', 'sqlalchemy', 'pymysql', 'MySQLdb', 'mysql', 'aiomysql', 'aiopg']);

export interface ResolvedFactory { readonly table: LibraryTable; readonly spec: FactorySpec }
export interface ResolvedMethod { readonly table: LibraryTable; readonly spec: MethodSpec }

const factoryIndex = new Map<string, ResolvedFactory>();
for (const table of LIBRARY_TABLES) for (const spec of table.factories) factoryIndex.set(spec.callee, { table, spec });

export function factoryFor(qualifiedName: string): ResolvedFactory | undefined {
  return factoryIndex.get(qualifiedName);
}

export function methodFor(table: LibraryTable, on: Role, name: string): MethodSpec | undefined {
  return table.methods.find((m) => m.on === on && m.name === name);
}

const exceptionIndex = new Map<string, { table: LibraryTable; kind: 'base' | 'transient' | 'permanent' }>();
for (const table of LIBRARY_TABLES) {
  for (const kind of ['base', 'transient', 'permanent'] as const) for (const name of table.exceptions[kind]) exceptionIndex.set(name, { table, kind });
}

export function databaseException(qualifiedName: string): { table: LibraryTable; kind: 'base' | 'transient' | 'permanent' } | undefined {
  return exceptionIndex.get(qualifiedName);
}

const classIndex = new Map<string, { table: LibraryTable; role: Role }>();
for (const table of LIBRARY_TABLES) for (const [name, role] of Object.entries(table.classes ?? {})) classIndex.set(name, { table, role });

/** A class used in a type annotation (`pool: asyncpg.Pool`). */
export function classFor(qualifiedName: string): { table: LibraryTable; role: Role } | undefined {
  return classIndex.get(qualifiedName);
}

export type { FactorySpec, LibraryTable, MethodSpec, Role } from './types';
