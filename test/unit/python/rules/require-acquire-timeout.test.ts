import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('require-acquire-timeout', {
  valid: [
    { name: 'a function this file calls only from a while loop: a background task round (documented)', code: py`
      import asyncio, asyncpg
      class Timers:
          def __init__(self, pool: asyncpg.Pool):
              self.pool = pool
          async def next_timer(self):
              async with self.pool.acquire() as conn:
                  return await conn.fetchrow("SELECT * FROM timers ORDER BY due LIMIT 1")
          async def dispatch(self):
              while True:
                  timer = await self.next_timer()
                  await asyncio.sleep(1)
    ` },
    { name: 'start-up work on the pool this function just created: nobody waits', code: py`
      import asyncpg
      async def on_startup(app):
          pool = await asyncpg.create_pool("postgresql://db/app", command_timeout=30)
          async with pool.acquire() as conn:
              await conn.execute("CREATE TABLE IF NOT EXISTS t (x int)")
          app["pool"] = pool
    ` },
    { name: 'psycopg2 getconn raises PoolError at once: nothing to bound', code: py`
      from psycopg2.pool import ThreadedConnectionPool
      pool = ThreadedConnectionPool(1, 5, "dbname=app connect_timeout=5")
      def work():
          conn = pool.getconn()
          try:
              pass
          finally:
              pool.putconn(conn)
    ` },
    { name: 'psycopg_pool connection() defaults to a 30 s timeout', code: py`
      from psycopg_pool import ConnectionPool
      pool = ConnectionPool("dbname=app")
      def work():
          with pool.connection() as conn:
              conn.execute("SELECT 1")
    ` },
    { name: 'asyncpg acquire with a timeout', code: py`
      import asyncpg
      async def work(pool: asyncpg.Pool):
          async with pool.acquire(timeout=5) as conn:
              await conn.fetchval("SELECT 1")
    ` },
    { name: 'asyncpg acquire with **options we cannot see', code: py`
      import asyncpg
      async def work(pool: asyncpg.Pool, opts):
          async with pool.acquire(**opts) as conn:
              await conn.fetchval("SELECT 1")
    ` },
    { name: 'SQLAlchemy default pool_timeout (30 s)', code: py`
      from sqlalchemy import create_engine
      engine = create_engine("postgresql://app@db/app?connect_timeout=5")
    ` },
    { name: 'SQLAlchemy explicit pool_timeout', code: py`
      from sqlalchemy import create_engine
      engine = create_engine("postgresql://app@db/app?connect_timeout=5", pool_timeout=10)
    ` },
    { name: 'mysql-connector get_connection raises at once when exhausted', code: py`
      from mysql.connector import pooling
      pool = pooling.MySQLConnectionPool(pool_size=5, host="db", connection_timeout=5)
      def work():
          with pool.get_connection() as cnx:
              cnx.cursor().execute("SELECT 1")
    ` },
    { name: 'acquire() on an object that is not an asyncpg pool', code: py`
      import asyncpg
      import threading
      lock = threading.Lock()
      def work():
          lock.acquire()
    ` },
  ],
  invalid: [
    { name: 'asyncpg async with pool.acquire() (annotated parameter)', code: py`
      import asyncpg
      async def work(pool: asyncpg.Pool):
          async with pool.acquire() as conn:
              await conn.fetchval("SELECT 1")
    `, line: 3, column: 16, message: '`pool.acquire()` waits forever when the pool is exhausted', suggestion: py`
      import asyncpg
      async def work(pool: asyncpg.Pool):
          async with pool.acquire(timeout=10) as conn:
              await conn.fetchval("SELECT 1")
    ` },
    { name: 'asyncpg module-level pool made at start-up, awaited acquire in a handler', code: py`
      import asyncpg
      pool = None
      async def init():
          global pool
          pool = await asyncpg.create_pool("postgresql://db/app", command_timeout=30)
      async def work():
          conn = await pool.acquire()
          try:
              await conn.fetchval("SELECT 1")
          finally:
              await pool.release(conn)
    `, line: 7, column: 18, message: '(asyncpg default timeout=None)', suggestion: py`
      import asyncpg
      pool = None
      async def init():
          global pool
          pool = await asyncpg.create_pool("postgresql://db/app", command_timeout=30)
      async def work():
          conn = await pool.acquire(timeout=10)
          try:
              await conn.fetchval("SELECT 1")
          finally:
              await pool.release(conn)
    ` },
    { name: 'asyncpg explicit timeout=None', code: py`
      import asyncpg
      async def work(pool: asyncpg.pool.Pool):
          async with pool.acquire(timeout=None) as conn:
              await conn.execute("SELECT 1")
    `, line: 3, column: 16, message: 'waits forever', suggestion: py`
      import asyncpg
      async def work(pool: asyncpg.pool.Pool):
          async with pool.acquire(timeout=10) as conn:
              await conn.execute("SELECT 1")
    ` },
    { name: 'asyncpg pool stored on self', code: py`
      import asyncpg
      class Repo:
          async def start(self):
              self.pool = await asyncpg.create_pool(dsn="postgresql://db/app", command_timeout=30)
          async def count(self):
              async with self.pool.acquire() as conn:
                  return await conn.fetchval("SELECT count(*) FROM t")
    `, line: 6, column: 20, message: '`self.pool.acquire()` waits forever' },
    { name: 'asyncpg imported Pool class annotation', code: py`
      from asyncpg import Pool
      async def work(pool: Pool):
          async with pool.acquire() as conn:
              await conn.execute("SELECT 1")
    `, line: 3, column: 16, message: 'waits forever' },
    { name: 'asyncpg acquire with other keywords only', code: py`
      import asyncpg as apg
      async def work(db: apg.Pool):
          async with db.acquire() as conn:
              await conn.execute("SELECT 1")
    `, line: 3, column: 16, message: '`db.acquire()` waits forever' },
    { name: 'SQLAlchemy pool_timeout=None', code: py`
      from sqlalchemy import create_engine
      engine = create_engine("postgresql://app@db/app?connect_timeout=5", pool_timeout=None)
    `, line: 2, column: 82, message: '`pool_timeout=None` makes checkouts wait forever', suggestion: py`
      from sqlalchemy import create_engine
      engine = create_engine("postgresql://app@db/app?connect_timeout=5", pool_timeout=30)
    ` },
    { name: 'SQLAlchemy async engine pool_timeout=None', code: py`
      from sqlalchemy.ext.asyncio import create_async_engine
      engine = create_async_engine("postgresql+asyncpg://app@db/app", pool_timeout=None)
    `, line: 2, column: 78, message: 'wait forever' },
  ],
}, { test });
