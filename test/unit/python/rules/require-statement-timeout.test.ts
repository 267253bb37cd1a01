import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('require-statement-timeout', {
  valid: [
    { name: 'asyncpg pool with command_timeout', code: py`
      import asyncpg
      async def main():
          return await asyncpg.create_pool("postgresql://db/app", command_timeout=30)
    ` },
    { name: 'psycopg2 pool with options', code: py`
      from psycopg2 import pool
      p = pool.SimpleConnectionPool(1, 5, "dbname=app connect_timeout=5", options="-c statement_timeout=30000")
    ` },
    { name: 'psycopg2 pool with options in the DSN', code: py`
      from psycopg2 import pool
      p = pool.SimpleConnectionPool(1, 5, "dbname=app connect_timeout=5 options='-c statement_timeout=30000'")
    ` },
    { name: 'psycopg2 pool with a DSN built elsewhere', code: py`
      import os
      from psycopg2 import pool
      p = pool.SimpleConnectionPool(1, 5, os.environ["DSN"])
    ` },
    { name: 'psycopg_pool with kwargs options', code: py`
      from psycopg_pool import ConnectionPool
      p = ConnectionPool("dbname=app", kwargs={"options": "-c statement_timeout=30000"})
    ` },
    { name: 'SQLAlchemy postgres engine with connect_args options', code: py`
      from sqlalchemy import create_engine
      e = create_engine("postgresql://app@db/app?connect_timeout=5", connect_args={"options": "-c statement_timeout=30000"})
    ` },
    { name: 'SQLAlchemy MySQL engine: not checked', code: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app", pool_pre_ping=True)
    ` },
    { name: 'short-lived psycopg2 connection: not a pool', code: py`
      import psycopg2
      conn = psycopg2.connect("dbname=app connect_timeout=5")
    ` },
    { name: 'asyncpg pool configured through **kwargs', code: py`
      import asyncpg
      async def main(settings):
          return await asyncpg.create_pool(**settings)
    ` },
  ],
  invalid: [
    { name: 'asyncpg pool without command_timeout (suggestion)', code: py`
      import asyncpg
      async def main():
          return await asyncpg.create_pool("postgresql://db/app")
    `, line: 3, column: 18, message: 'has no command_timeout', output: null, suggestion: py`
      import asyncpg
      async def main():
          return await asyncpg.create_pool("postgresql://db/app", command_timeout=60)
    ` },
    { name: 'asyncpg pool with sizes but no command_timeout', code: py`
      from asyncpg import create_pool
      async def main():
          pool = await create_pool(dsn="postgresql://db/app", min_size=2, max_size=10)
          return pool
    `, line: 3, column: 18, message: '`create_pool()` has no command_timeout' },
    { name: 'psycopg2 ThreadedConnectionPool without statement_timeout', code: py`
      import psycopg2.pool
      p = psycopg2.pool.ThreadedConnectionPool(1, 10, "dbname=app connect_timeout=5")
    `, line: 2, column: 5, message: 'sets no statement_timeout', output: null, suggestion: py`
      import psycopg2.pool
      p = psycopg2.pool.ThreadedConnectionPool(1, 10, "dbname=app connect_timeout=5", options="-c statement_timeout=30000")
    ` },
    { name: 'psycopg2 SimpleConnectionPool with dsn keyword', code: py`
      from psycopg2.pool import SimpleConnectionPool
      p = SimpleConnectionPool(minconn=1, maxconn=4, dsn="dbname=app connect_timeout=5")
    `, line: 2, column: 5, message: 'sets no statement_timeout' },
    { name: 'psycopg_pool without kwargs', code: py`
      from psycopg_pool import ConnectionPool
      p = ConnectionPool("dbname=app")
    `, line: 2, column: 5, message: 'kwargs={"options": "-c statement_timeout=<ms>"}' },
    { name: 'psycopg_pool async pool with unrelated kwargs', code: py`
      import psycopg_pool
      p = psycopg_pool.AsyncConnectionPool("dbname=app", kwargs={"autocommit": True})
    `, line: 2, column: 5, message: 'sets no statement_timeout' },
    { name: 'SQLAlchemy postgres engine', code: py`
      from sqlalchemy import create_engine
      e = create_engine("postgresql+psycopg2://app@db/app?connect_timeout=5")
    `, line: 2, column: 5, message: 'connect_args={"options": "-c statement_timeout=<ms>"}' },
    { name: 'SQLAlchemy asyncpg engine', code: py`
      from sqlalchemy.ext.asyncio import create_async_engine
      e = create_async_engine("postgresql+asyncpg://app@db/app")
    `, line: 2, column: 5, message: 'connect_args={"command_timeout": <seconds>}' },
  ],
}, { test });
