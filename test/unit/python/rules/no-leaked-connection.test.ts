import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('no-leaked-connection', {
  valid: [
    {
      name: 'psycopg2 pool: putconn in finally',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(user_id):
            conn = pool.getconn()
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT 1")
                    return cur.fetchone()
            finally:
                pool.putconn(conn)
      `,
    },
    {
      name: 'psycopg2: acquired inside try, closed in finally',
      code: py`
        import psycopg2
        def load():
            conn = None
            try:
                conn = psycopg2.connect("dbname=app connect_timeout=5")
                conn.cursor().execute("SELECT 1")
            finally:
                if conn is not None:
                    conn.close()
      `,
    },
    {
      name: 'psycopg 3: with closes the connection',
      code: py`
        import psycopg
        def load():
            with psycopg.connect("dbname=app") as conn:
                return conn.execute("SELECT 1").fetchone()
      `,
    },
    {
      name: 'psycopg_pool: connection() context manager',
      code: py`
        from psycopg_pool import ConnectionPool
        pool = ConnectionPool("dbname=app")
        def load():
            with pool.connection() as conn:
                return conn.execute("SELECT 1").fetchone()
      `,
    },
    {
      name: 'asyncpg: async with pool.acquire()',
      code: py`
        import asyncpg
        async def load(pool: asyncpg.Pool):
            pool = await asyncpg.create_pool(dsn="postgresql:///app")
            async with pool.acquire() as conn:
                return await conn.fetchval("SELECT 1")
      `,
    },
    {
      name: 'ownership moves: returned to the caller',
      code: py`
        import pymysql
        def open_connection():
            conn = pymysql.connect(host="db", connect_timeout=5)
            conn.autocommit(True)
            return conn
      `,
    },
    {
      name: 'ownership moves: yielded from a context manager with finally',
      code: py`
        from contextlib import contextmanager
        import MySQLdb
        @contextmanager
        def connection():
            conn = MySQLdb.connect(host="db", connect_timeout=5)
            try:
                yield conn
            finally:
                conn.close()
      `,
    },
    {
      name: 'ownership moves: stored on the object',
      code: py`
        import mysql.connector
        class Repository:
            def open(self):
                conn = mysql.connector.connect(host="db", connection_timeout=5)
                self.conn = conn
      `,
    },
    {
      name: 'SQLAlchemy: engine.connect() as a context manager',
      code: py`
        from sqlalchemy import create_engine, text
        engine = create_engine("postgresql+psycopg2://app@db/app")
        def count():
            with engine.connect() as conn:
                return conn.execute(text("SELECT 1")).scalar()
      `,
    },
    {
      name: 'released immediately: nothing can fail in between',
      code: py`
        import psycopg2.pool
        pool = psycopg2.pool.SimpleConnectionPool(1, 2, "dbname=app")
        def warm():
            conn = pool.getconn()
            pool.putconn(conn)
      `,
    },
    {
      name: 'handed to a helper that owns it',
      code: py`
        import psycopg2
        def start(registry):
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            registry.adopt(conn)
      `,
    },
    {
      name: 'contextlib.closing around psycopg2.connect',
      code: py`
        from contextlib import closing
        import psycopg2
        def load():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            with closing(conn):
                conn.cursor().execute("SELECT 1")
      `,
    },
    {
      name: 'mysql-connector pool: close() in finally returns it',
      code: py`
        from mysql.connector import pooling
        pool = pooling.MySQLConnectionPool(pool_name="app", pool_size=5, host="db")
        def load():
            cnx = pool.get_connection()
            try:
                cnx.cursor().execute("SELECT 1")
            finally:
                cnx.close()
      `,
    },
    {
      name: 'psycopg2 pool: only harmless statements (a log line, a cursor) between the checkout and the try/finally',
      code: py`
        import logging
        from psycopg2.pool import ThreadedConnectionPool
        log = logging.getLogger(__name__)
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(user_id):
            conn = pool.getconn()
            log.debug("checked out a connection for %s", user_id)
            cur = conn.cursor()
            try:
                cur.execute("SELECT name FROM users WHERE id = %s", (user_id,))
                return cur.fetchone()
            finally:
                pool.putconn(conn)
      `,
    },
    {
      name: 'module-level connection lives as long as the process',
      code: py`
        import psycopg2
        conn = psycopg2.connect("dbname=app connect_timeout=3")
        cur = conn.cursor()
      `,
    },
  ],
  invalid: [
    {
      name: 'psycopg2 pool: putconn not in finally (fix wraps in try/finally)',
      code: py`
        from psycopg2 import pool as pg_pool
        db_pool = pg_pool.ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def fetch_user(user_id):
            conn = db_pool.getconn()
            cur = conn.cursor()
            cur.execute("SELECT name FROM users WHERE id = %s", (user_id,))
            row = cur.fetchone()
            db_pool.putconn(conn)
            return row
      `,
      line: 4,
      column: 12,
      message: '`conn` from `db_pool.getconn()` is not returned to the pool if an exception is raised before line 8: call `db_pool.putconn(conn)` in a `finally` block.',
      output: py`
        from psycopg2 import pool as pg_pool
        db_pool = pg_pool.ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def fetch_user(user_id):
            conn = db_pool.getconn()
            try:
                cur = conn.cursor()
                cur.execute("SELECT name FROM users WHERE id = %s", (user_id,))
                row = cur.fetchone()
            finally:
                db_pool.putconn(conn)
            return row
      `,
    },
    {
      name: 'psycopg2 pool: a statement that can raise runs between the checkout and the try/finally',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(user_id):
            conn = pool.getconn()
            conn.cursor().execute("SET search_path TO app")
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT name FROM users WHERE id = %s", (user_id,))
                    row = cur.fetchone()
            finally:
                pool.putconn(conn)
            return row
      `,
      line: 4,
      column: 12,
      message: '`conn` from `pool.getconn()` is not returned to the pool if an exception is raised before line 11: call `pool.putconn(conn)` in a `finally` block.',
    },
    {
      name: 'psycopg2: early return skips close',
      code: py`
        import psycopg2
        def load(flag):
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            if flag:
                return None
            conn.close()
      `,
      line: 3,
      column: 12,
      message: 'is not closed when the `return` on line 5 runs',
    },
    {
      name: 'psycopg2: never closed (suggestion only)',
      code: py`
        import psycopg2
        def load():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            conn.cursor().execute("SELECT 1")
      `,
      line: 3,
      column: 12,
      message: '`conn` from `psycopg2.connect()` is never closed',
      output: null,
      suggestion: py`
        import psycopg2
        def load():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            try:
                conn.cursor().execute("SELECT 1")
            finally:
                conn.close()
      `,
    },
    {
      name: "psycopg2: `with connect()` does not close",
      code: py`
        import psycopg2
        def load():
            with psycopg2.connect("dbname=app connect_timeout=3") as conn:
                conn.cursor().execute("SELECT 1")
      `,
      line: 3,
      column: 10,
      message: 'ends the transaction but does not close the connection',
    },
    {
      name: 'asyncpg pool: release not in finally',
      code: py`
        import asyncpg
        async def load(dsn):
            pool = await asyncpg.create_pool(dsn)
            conn = await pool.acquire()
            await conn.execute("SELECT 1")
            await pool.release(conn)
      `,
      line: 4,
      column: 18,
      message: 'call `await pool.release(conn)` in a `finally` block',
      output: py`
        import asyncpg
        async def load(dsn):
            pool = await asyncpg.create_pool(dsn)
            conn = await pool.acquire()
            try:
                await conn.execute("SELECT 1")
            finally:
                await pool.release(conn)
      `,
    },
    {
      name: 'asyncpg connect never closed',
      code: py`
        import asyncpg
        async def ping():
            conn = await asyncpg.connect("postgresql:///app")
            await conn.execute("SELECT 1")
      `,
      line: 3,
      column: 18,
      message: 'call `await conn.close()` in a `finally` block',
    },
    {
      name: 'psycopg_pool getconn without putconn',
      code: py`
        from psycopg_pool import ConnectionPool
        pool = ConnectionPool("dbname=app")
        def load():
            conn = pool.getconn()
            return conn.execute("SELECT 1").fetchone()
      `,
      line: 4,
      column: 12,
      message: 'is never returned to the pool: call `pool.putconn(conn)` in a `finally` block',
    },
    {
      name: 'SQLAlchemy engine.connect() closed outside finally',
      code: py`
        import sqlalchemy as sa
        engine = sa.create_engine("postgresql://app@db/app")
        def count():
            conn = engine.connect()
            n = conn.execute(sa.text("SELECT 1")).scalar()
            conn.close()
            return n
      `,
      line: 4,
      column: 12,
      message: '`conn` from `engine.connect()` is not closed if an exception is raised before line 6',
    },
    {
      name: 'PyMySQL connection closed outside finally',
      code: py`
        import pymysql
        def load():
            conn = pymysql.connect(host="db")
            cur = conn.cursor()
            cur.execute("SELECT 1")
            conn.close()
      `,
      line: 3,
      column: 12,
      message: 'is not closed if an exception is raised before line 6',
    },
    {
      name: 'MySQLdb connection never closed',
      code: py`
        import MySQLdb as mdb
        def load():
            db = mdb.connect(host="db", connect_timeout=5)
            db.cursor().execute("SELECT 1")
      `,
      line: 3,
      column: 10,
      message: '`db` from `mdb.connect()` is never closed',
    },
    {
      name: 'mysql-connector pooled connection: break skips close',
      code: py`
        import mysql.connector.pooling
        pool = mysql.connector.pooling.MySQLConnectionPool(pool_size=5, host="db")
        def scan(ids):
            for i in ids:
                cnx = pool.get_connection()
                if i < 0:
                    break
                cnx.close()
      `,
      line: 5,
      column: 15,
      message: 'is not closed when the `break` on line 7 runs',
    },
    {
      name: 'non-ASCII text before the call: column counts UTF-16 code units',
      code: py`
        import psycopg2
        def load():
            note = "héllo 😀"; conn = psycopg2.connect("dbname=app connect_timeout=3")
            conn.cursor().execute("SELECT 1")
      `,
      line: 3,
      column: 31,
      message: 'is never closed',
    },
  ],
}, { test });
