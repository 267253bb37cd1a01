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
    {
      name: 'evidence from use: a checkout of unknown origin with no matching release is not judged',
      code: py`
        class Repo:
            def load(self, user_id):
                conn = self.pool.getconn()
                cur = conn.cursor()
                cur.execute("SELECT 1")
      `,
    },
    {
      name: 'evidence from use: acquire() and release() on something never used as a connection (a lock) is not a checkout',
      code: py`
        class Repo:
            async def load(self):
                lock = await self.locks.acquire()
                await lock.release()
      `,
    },
    {
      name: 'evidence from use: putconn of another name is no evidence',
      code: py`
        class Repo:
            def load(self, other):
                conn = self.pool.getconn()
                conn.cursor().execute("SELECT 1")
                self.pool.putconn(other)
      `,
    },
    {
      name: 'evidence from use: a putconn before the checkout is no evidence',
      code: py`
        class Repo:
            def load(self, conn):
                self.pool.putconn(conn)
                conn = self.pool.getconn()
                conn.cursor().execute("SELECT 1")
      `,
    },
    {
      name: 'psycopg2: with closes nothing, but the connection is closed in a finally inside it',
      code: py`
        import psycopg2
        def load():
            with psycopg2.connect("dbname=app connect_timeout=3") as conn:
                try:
                    conn.cursor().execute("SELECT 1")
                finally:
                    conn.close()
      `,
    },
    {
      name: 'psycopg2 pool: with pool.getconn() whose connection is returned to the caller',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load():
            with pool.getconn() as conn:
                return conn
      `,
    },
    {
      name: 'captured by a lambda: the callback owns it',
      code: py`
        import psycopg2
        def start(loop):
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            loop.call_later(5, lambda: conn.close())
      `,
    },
    {
      name: 'ExitStack: enter_context(closing(conn)), callback(conn.close) and push(conn) hand it to the stack',
      code: py`
        import psycopg2
        from contextlib import ExitStack, closing
        def load():
            with ExitStack() as stack:
                first = psycopg2.connect("dbname=app connect_timeout=3")
                stack.enter_context(closing(first))
                second = psycopg2.connect("dbname=app connect_timeout=3")
                stack.callback(second.close)
                third = psycopg2.connect("dbname=app connect_timeout=3")
                stack.push(third)
                first.cursor().execute("SELECT 1")
      `,
    },
    {
      name: 'global and nonlocal names outlive the function',
      code: py`
        import psycopg2
        conn = None
        def init():
            global conn
            conn = psycopg2.connect("dbname=app connect_timeout=3")
        def outer():
            other = None
            def connect():
                nonlocal other
                other = psycopg2.connect("dbname=app connect_timeout=3")
            connect()
            return other
      `,
    },
    {
      name: 'psycopg2 pool: released in a broad except that re-raises, and after the try on the normal path',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load():
            conn = pool.getconn()
            try:
                conn.cursor().execute("SELECT 1")
            except Exception:
                pool.putconn(conn)
                raise
            pool.putconn(conn)
      `,
    },
    {
      name: 'psycopg2 pool: acquired inside a try whose broad (or bare) except gives it back, released at the end of the body',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load():
            try:
                conn = pool.getconn()
                conn.cursor().execute("SELECT 1")
                pool.putconn(conn)
            except Exception:
                pool.putconn(conn)
                raise
        def load_bare():
            try:
                conn = pool.getconn()
                conn.cursor().execute("SELECT 1")
                pool.putconn(conn)
            except:
                pool.putconn(conn)
                raise
      `,
    },
    {
      name: 'psycopg2 pool: only print, literals, names and model constructors between checkout and release',
      code: py`
        import logging
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(name):
            conn = pool.getconn()
            print("got one")
            logging.info("checked out")
            user = User(name=name, active=True, score=1.5, nick=None, parent=models.Root())
            cur = conn.cursor()
            label = "x"
            pool.putconn(conn)
      `,
    },
    {
      name: 'a project helper that gives back what it is given, called in a finally',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def give_back(c):
            pool.putconn(c)
        def load():
            conn = pool.getconn()
            try:
                conn.cursor().execute("SELECT 1")
            finally:
                give_back(conn)
      `,
    },
    {
      name: 'ownership moves: aliased, stored in a container, returned in a tuple',
      code: py`
        import psycopg2
        def aliased():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            other = conn
            other.cursor().execute("SELECT 1")
        def stored(cache):
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            cache["c"] = conn
        def returned():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            return (conn, 1)
      `,
    },
    {
      name: 'closing(conn) as a with item, also as contextlib.closing',
      code: py`
        import contextlib
        import psycopg2
        from contextlib import closing
        def load():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            with closing(conn) as c:
                c.cursor().execute("SELECT 1")
        def load_qualified():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            with contextlib.closing(conn):
                conn.cursor().execute("SELECT 1")
      `,
    },
    {
      name: 'SQLAlchemy: a connection later used as a with item is closed by it',
      code: py`
        from sqlalchemy import create_engine
        engine = create_engine("postgresql://db/app")
        def load():
            conn = engine.connect()
            with conn:
                conn.exec_driver_sql("SELECT 1")
      `,
    },
    {
      name: 'captured by a lambda after other statements: the callback owns it',
      code: py`
        import psycopg2
        def start(loop):
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            cur = conn.cursor()
            cur.execute("SELECT 1")
            loop.call_later(5, lambda: conn.close())
      `,
    },
    {
      name: 'with closing(conn) manages it, a later close() is only redundant',
      code: py`
        import psycopg2
        from contextlib import closing
        def load():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            with closing(conn):
                conn.cursor().execute("SELECT 1")
            conn.close()
      `,
    },
    {
      name: 'SQLAlchemy: `with conn as c` closes the connection',
      code: py`
        from sqlalchemy import create_engine
        engine = create_engine("postgresql://db/app")
        def load():
            conn = engine.connect()
            with conn as c:
                c.exec_driver_sql("SELECT 1")
      `,
    },
    ...['warning', 'warn', 'error', 'exception', 'critical', 'log'].map((method) => ({
      name: `psycopg2 pool: a \`log.${method}()\` line between checkout and release cannot fail`,
      code: py`
        import logging
        from psycopg2.pool import ThreadedConnectionPool
        log = logging.getLogger(__name__)
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load():
            conn = pool.getconn()
            log.${method}("checked out")
            pool.putconn(conn)
      `,
    })),
    ...['add', 'add_all', 'expunge', 'merge'].map((method) => ({
      name: `psycopg2 pool: staging work with \`db.${method}(obj)\` between checkout and release cannot fail`,
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(db, obj):
            conn = pool.getconn()
            db.${method}(obj)
            pool.putconn(conn)
      `,
    })),
    ...['enter_context', 'enter_async_context', 'push', 'push_async_callback', 'push_async_exit'].map((method) => ({
      name: `ExitStack: \`stack.${method}(conn)\` hands the connection to the stack`,
      code: py`
        import psycopg2
        def load(stack):
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            stack.${method}(conn)
            conn.cursor().execute("SELECT 1")
      `,
    })),
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
    {
      name: 'evidence from use: getconn on a pool of unknown origin, putconn on the normal path only',
      code: py`
        class Repo:
            def load(self, user_id):
                conn = self.pool.getconn()
                cur = conn.cursor()
                cur.execute("SELECT 1")
                self.pool.putconn(conn)
      `,
      line: 3,
      column: 16,
      message: '`conn` from `self.pool.getconn()` is not returned to the pool if an exception is raised before line 6: call `self.pool.putconn(conn)` in a `finally` block.',
    },
    {
      name: 'evidence from use: acquire() used as a connection and closed on the normal path only',
      code: py`
        class Repo:
            async def load(self):
                conn = await self.pool.acquire()
                await conn.fetch("SELECT 1")
                await conn.close()
      `,
      line: 3,
      column: 22,
      message: '`conn` from `self.pool.acquire()` is not returned to the pool if an exception is raised before line 5: call `self.pool.release(conn)` in a `finally` block.',
    },
    {
      name: 'evidence from use: acquire() given back to its pool on the normal path only',
      code: py`
        class Repo:
            async def load(self):
                conn = await self.pool.acquire()
                rows = await conn.fetch("SELECT 1")
                await self.pool.release(conn)
                return rows
      `,
      line: 3,
      column: 22,
      message: '`conn` from `self.pool.acquire()` is not returned to the pool if an exception is raised before line 5: call `self.pool.release(conn)` in a `finally` block.',
    },
    {
      name: 'unpacked from a helper that returns the connection first in a tuple',
      code: py`
        import psycopg2
        def get_conn_and_cursor():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            return conn, conn.cursor()
        def load():
            conn, cur = get_conn_and_cursor()
            cur.execute("SELECT 1")
      `,
      line: 6,
      column: 17,
      message: '`conn` from `get_conn_and_cursor()` is never closed: call `conn.close()` in a `finally` block or use `with`.',
    },
    {
      name: 'unpacked from a helper that returns the connection second in a tuple',
      code: py`
        import psycopg2
        def cursor_and_conn():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            return conn.cursor(), conn
        def load():
            cur, conn = cursor_and_conn()
            cur.execute("SELECT 1")
      `,
      line: 6,
      column: 17,
      message: '`conn` from `cursor_and_conn()` is never closed',
    },
    {
      name: 'psycopg2 pool: an early return skips putconn, named in the message',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(user_id):
            conn = pool.getconn()
            cur = conn.cursor()
            cur.execute("SELECT 1")
            row = cur.fetchone()
            if row is None:
                return None
            pool.putconn(conn)
            return row
      `,
      line: 4,
      column: 12,
      message: '`conn` from `pool.getconn()` is not returned to the pool when the `return` on line 9 runs: call `pool.putconn(conn)` in a `finally` block.',
    },
    {
      name: 'psycopg2 pool: a raise skips putconn',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(user_id):
            conn = pool.getconn()
            if not user_id:
                raise ValueError("no id")
            pool.putconn(conn)
      `,
      line: 4,
      column: 12,
      message: '`conn` from `pool.getconn()` is not returned to the pool when the `raise` on line 6 runs: call `pool.putconn(conn)` in a `finally` block.',
    },
    {
      name: 'psycopg2 pool: a continue skips putconn',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(ids):
            for i in ids:
                conn = pool.getconn()
                if i < 0:
                    continue
                pool.putconn(conn)
      `,
      line: 5,
      column: 16,
      message: '`conn` from `pool.getconn()` is not returned to the pool when the `continue` on line 7 runs: call `pool.putconn(conn)` in a `finally` block.',
    },
    {
      name: 'psycopg2 pool: a branch that gives the connection back before it returns is no early exit, but an exception still leaks it (two releases: no fix)',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(user_id):
            conn = pool.getconn()
            if not user_id:
                pool.putconn(conn)
                return None
            pool.putconn(conn)
      `,
      line: 4,
      column: 12,
      message: '`conn` from `pool.getconn()` is not returned to the pool if an exception is raised before line 6: call `pool.putconn(conn)` in a `finally` block.',
      output: null,
    },
    {
      name: 'psycopg2 pool: with pool.getconn() does not return the connection',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load():
            with pool.getconn() as conn:
                conn.cursor().execute("SELECT 1")
      `,
      line: 4,
      column: 10,
      message: '`with pool.getconn()` does not return the connection to the pool: call `pool.putconn(conn)` in a `finally` block.',
    },
    {
      name: 'psycopg2: with psycopg2.connect() without a name ends the transaction only',
      code: py`
        import psycopg2
        def load():
            with psycopg2.connect("dbname=app connect_timeout=3"):
                pass
      `,
      line: 3,
      column: 10,
      message: '`with psycopg2.connect()` ends the transaction but does not close the connection: wrap it in `contextlib.closing()` or close it in a `finally` block.',
    },
    {
      name: 'a generator that closes after its yield without finally: an exception thrown in at the yield skips close',
      code: py`
        import psycopg2
        def connection():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            yield conn
            conn.close()
      `,
      line: 3,
      column: 12,
      message: '`conn` from `psycopg2.connect()` is not closed if an exception is raised before line 5: call `conn.close()` in a `finally` block.',
    },
    {
      name: 'ExitStack: a callback that does not release (commit) leaves the connection open',
      code: py`
        import psycopg2
        from contextlib import ExitStack
        def load():
            with ExitStack() as stack:
                conn = psycopg2.connect("dbname=app connect_timeout=3")
                stack.callback(conn.commit)
                conn.cursor().execute("SELECT 1")
      `,
      line: 5,
      column: 16,
      message: '`conn` from `psycopg2.connect()` is never closed: call `conn.close()` in a `finally` block.',
    },
    {
      name: 'psycopg2 pool: released only in a broad except, not on the normal path',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load():
            conn = pool.getconn()
            try:
                conn.cursor().execute("SELECT 1")
            except Exception:
                pool.putconn(conn)
                raise
      `,
      line: 4,
      column: 12,
      message: '`conn` from `pool.getconn()` is not returned to the pool if an exception is raised before line 8: call `pool.putconn(conn)` in a `finally` block.',
      output: null,
    },
    {
      name: 'psycopg2 pool: an enclosing try whose except is narrow does not give it back on every error',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load():
            try:
                conn = pool.getconn()
                conn.cursor().execute("SELECT 1")
                pool.putconn(conn)
            except KeyError:
                pool.putconn(conn)
                raise
      `,
      line: 5,
      column: 16,
      message: '`conn` from `pool.getconn()` is not returned to the pool if an exception is raised before line 7: call `pool.putconn(conn)` in a `finally` block.',
    },
    {
      name: 'psycopg2 pool: an enclosing broad except, but the body returns before its release',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(flag):
            try:
                conn = pool.getconn()
                if flag:
                    return None
                pool.putconn(conn)
            except Exception:
                pool.putconn(conn)
                raise
      `,
      line: 5,
      column: 16,
      message: '`conn` from `pool.getconn()` is not returned to the pool when the `return` on line 7 runs: call `pool.putconn(conn)` in a `finally` block.',
    },
    {
      name: 'psycopg2 pool: an enclosing broad except, released after the try instead of in its body',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load():
            try:
                conn = pool.getconn()
                conn.cursor().execute("SELECT 1")
            except Exception:
                pool.putconn(conn)
                raise
            pool.putconn(conn)
      `,
      line: 5,
      column: 16,
      message: 'is not returned to the pool if an exception is raised before line 8',
    },
    {
      name: 'psycopg2 pool: statements that can fail between checkout and release (a plain call, a constructor of a call, a cursor with arguments, a non-logger, a non-logging method, an if)',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(name):
            conn = pool.getconn()
            user = make_user(name)
            pool.putconn(conn)
      `,
      line: 4,
      column: 12,
      message: '`conn` from `pool.getconn()` is not returned to the pool if an exception is raised before line 6: call `pool.putconn(conn)` in a `finally` block.',
    },
    ...[
      'user = User(name=lookup(name))',
      'cur = conn.cursor(name)',
      'audit.info("x")',
      'log.flush()',
    ].map((between) => ({
      name: `psycopg2 pool: \`${between}\` between checkout and release can fail`,
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(name, audit, log):
            conn = pool.getconn()
            ${between}
            pool.putconn(conn)
      `,
      line: 4,
      column: 12,
      message: 'is not returned to the pool if an exception is raised before line 6',
    })),
    {
      name: 'psycopg2 pool: an if between checkout and release',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load(name):
            conn = pool.getconn()
            if name:
                pass
            pool.putconn(conn)
      `,
      line: 4,
      column: 12,
      message: 'is not returned to the pool if an exception is raised before line 7',
    },
    {
      name: 'a project helper that gives back what it is given, called on the normal path only',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def give_back(c):
            pool.putconn(c)
        def load():
            conn = pool.getconn()
            conn.cursor().execute("SELECT 1")
            give_back(conn)
      `,
      line: 6,
      column: 12,
      message: '`conn` from `pool.getconn()` is not returned to the pool if an exception is raised before line 8: call `pool.putconn(conn)` in a `finally` block.',
    },
    {
      name: 'psycopg2: `with conn:` on a plain connection ends the transaction, it does not close it',
      code: py`
        import psycopg2
        def load():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            with conn:
                conn.cursor().execute("SELECT 1")
      `,
      line: 3,
      column: 12,
      message: '`conn` from `psycopg2.connect()` is never closed: call `conn.close()` in a `finally` block.',
    },
    {
      name: 'asyncpg: the release text awaits',
      code: py`
        import asyncpg
        async def load(pool: asyncpg.Pool):
            conn = await pool.acquire()
            await conn.fetch("SELECT 1")
            await pool.release(conn)
      `,
      line: 3,
      column: 18,
      message: '`conn` from `pool.acquire()` is not returned to the pool if an exception is raised before line 5: call `await pool.release(conn)` in a `finally` block.',
    },
    ...['conn = None', 'conn, other = None, None'].map((reassign) => ({
      name: `\`${reassign}\` drops the only reference without closing it`,
      code: py`
        import psycopg2
        def load():
            conn = psycopg2.connect("dbname=app connect_timeout=3")
            conn.cursor().execute("SELECT 1")
            ${reassign}
      `,
      line: 3,
      column: 12,
      message: '`conn` from `psycopg2.connect()` is never closed: call `conn.close()` in a `finally` block.',
    })),
    {
      name: 'psycopg2 pool: `with pool.getconn() as db` names the release after the alias',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load():
            with pool.getconn() as db:
                db.cursor().execute("SELECT 1")
      `,
      line: 4,
      column: 10,
      message: '`with pool.getconn()` does not return the connection to the pool: call `pool.putconn(db)` in a `finally` block.',
    },
    {
      name: 'psycopg2 pool: `with pool.getconn():` without a name still leaks it',
      code: py`
        from psycopg2.pool import ThreadedConnectionPool
        pool = ThreadedConnectionPool(1, 10, dsn="dbname=app")
        def load():
            with pool.getconn():
                pass
      `,
      line: 4,
      column: 10,
      message: '`with pool.getconn()` does not return the connection to the pool: call `pool.putconn(conn)` in a `finally` block.',
    },
  ],
}, { test });
