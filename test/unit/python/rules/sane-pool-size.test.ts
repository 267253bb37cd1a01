import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('sane-pool-size', {
  valid: [
    { name: 'psycopg_pool NullConnectionPool keeps no connection by default (min_size 0)', code: py`
      from psycopg_pool import NullConnectionPool
      pool = NullConnectionPool("dbname=app", max_size=2, kwargs={"options": "-c statement_timeout=5000"})
    ` },
    { name: 'psycopg2 pool within bounds', code: py`
      from psycopg2.pool import ThreadedConnectionPool
      p = ThreadedConnectionPool(2, 20, "dbname=app connect_timeout=5 options='-c statement_timeout=1000'")
    ` },
    { name: 'psycopg_pool min equals max', code: py`
      from psycopg_pool import ConnectionPool
      p = ConnectionPool("dbname=app", min_size=4, max_size=4)
    ` },
    { name: 'asyncpg defaults (10/10)', code: py`
      import asyncpg
      async def main():
          return await asyncpg.create_pool("postgresql://db/app", command_timeout=30)
    ` },
    { name: 'asyncpg min_size below default max', code: py`
      import asyncpg
      async def main():
          return await asyncpg.create_pool("postgresql://db/app", min_size=2, command_timeout=30)
    ` },
    { name: 'SQLAlchemy defaults (5 + 10)', code: py`
      from sqlalchemy import create_engine
      e = create_engine("postgresql://app@db/app?connect_timeout=5")
    ` },
    { name: 'SQLAlchemy MySQL 100 + 50 fits 151', code: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app", pool_size=100, max_overflow=50, pool_pre_ping=True)
    ` },
    { name: 'sizes computed from settings', code: py`
      from psycopg2.pool import ThreadedConnectionPool
      MAX = 200
      p = ThreadedConnectionPool(1, MAX, "dbname=app")
    ` },
    { name: 'mysql-connector pool at its limit of 32', code: py`
      from mysql.connector import pooling
      p = pooling.MySQLConnectionPool(pool_name="app", pool_size=32)
    ` },
    { name: 'SQLAlchemy engine with NullPool', code: py`
      from sqlalchemy import create_engine
      from sqlalchemy.pool import NullPool
      e = create_engine("postgresql://app@db/app", poolclass=NullPool, max_overflow=-1)
    ` },
  ],
  invalid: [
    { name: 'psycopg2 minconn above maxconn', code: py`
      from psycopg2.pool import ThreadedConnectionPool
      p = ThreadedConnectionPool(10, 5, "dbname=app")
    `, line: 2, column: 28, message: 'minconn=10 is greater than maxconn=5' },
    { name: 'psycopg2 keywords, maxconn above max_connections', code: py`
      import psycopg2.pool
      p = psycopg2.pool.SimpleConnectionPool(minconn=1, maxconn=500, dsn="dbname=app")
    `, line: 2, column: 59, message: 'maxconn=500 from one process is more than a default PostgreSQL server grants ordinary users (97 connections)' },
    { name: 'psycopg_pool min_size above max_size', code: py`
      from psycopg_pool import ConnectionPool
      p = ConnectionPool("dbname=app", min_size=8, max_size=4)
    `, line: 2, column: 43, message: 'min_size=8 is greater than max_size=4' },
    { name: 'asyncpg min_size above the default max_size', code: py`
      import asyncpg
      async def main():
          return await asyncpg.create_pool("postgresql://db/app", min_size=20)
    `, line: 3, column: 70, message: 'min_size=20 is greater than max_size=10 (its default)' },
    { name: 'asyncpg max_size zero', code: py`
      import asyncpg
      async def main():
          return await asyncpg.create_pool("postgresql://db/app", min_size=0, max_size=0)
    `, line: 3, column: 82, message: 'max_size=0 leaves the pool no connection' },
    { name: 'mysql-connector pool_size above 32', code: py`
      from mysql.connector import pooling
      p = pooling.MySQLConnectionPool(pool_name="app", pool_size=64)
    `, line: 2, column: 60, message: 'pool_size=64 exceeds mysql-connector\'s limit of 32' },
    { name: 'SQLAlchemy unlimited overflow', code: py`
      from sqlalchemy import create_engine
      e = create_engine("postgresql://app@db/app", max_overflow=-1)
    `, line: 2, column: 59, message: 'max_overflow=-1 lets the pool open connections without limit' },
    { name: 'SQLAlchemy PostgreSQL pool above 100', code: py`
      from sqlalchemy import create_engine
      e = create_engine("postgresql://app@db/app", pool_size=80, max_overflow=40)
    `, line: 2, column: 73, message: 'pool_size + max_overflow = 120' },
    { name: 'SQLAlchemy MySQL pool above 151', code: py`
      from sqlalchemy import create_engine
      e = create_engine("mysql+pymysql://app@db/app", pool_size=200)
    `, line: 2, column: 59, message: 'default MySQL server grants ordinary users (151 connections)' },
  ],
}, { test });
