import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('require-retry-backoff', {
  valid: [
    { name: 'an index over items (`participants[i]`) is not an attempt counter (documented)', code: py`
      import psycopg2
      def notify(conn, participants):
          for i in range(1, len(participants)):
              try:
                  conn.cursor().execute("INSERT INTO n VALUES (%s)", (participants[i],))
                  return
              except psycopg2.OperationalError:
                  pass
    ` },
    { name: 'bounded attempts with exponential delay', code: py`
      import time, psycopg2
      def connect():
          for attempt in range(5):
              try:
                  return psycopg2.connect("dbname=app connect_timeout=5")
              except psycopg2.OperationalError:
                  time.sleep(min(30, 0.5 * 2 ** attempt))
          raise RuntimeError("database unreachable")
    ` },
    { name: 'while True with a growing delay', code: py`
      import asyncio, asyncpg
      async def connect():
          delay = 0.5
          while True:
              try:
                  return await asyncpg.connect("postgresql://db/app")
              except OSError:
                  await asyncio.sleep(delay)
                  delay = min(delay * 2, 30)
    ` },
    { name: 'loop whose handler re-raises: not a retry', code: py`
      import pymysql
      def load(rows, conn):
          for row in rows:
              try:
                  conn.cursor().execute("INSERT INTO t VALUES (%s)", (row,))
              except pymysql.err.OperationalError:
                  raise
    ` },
    { name: 'loop with no database call', code: py`
      import psycopg2
      def parse(items):
          for item in items:
              try:
                  int(item)
              except ValueError:
                  pass
    ` },
    { name: 'tenacity with wait and stop', code: py`
      import psycopg2
      from tenacity import retry, stop_after_attempt, wait_exponential_jitter
      @retry(wait=wait_exponential_jitter(max=30), stop=stop_after_attempt(5))
      def load(conn):
          conn.cursor().execute("SELECT 1")
    ` },
    { name: 'tenacity on a function without database calls', code: py`
      import psycopg2
      from tenacity import retry
      @retry
      def fetch_token():
          return 1
    ` },
    { name: 'for loop with a constant delay and a cap', code: py`
      import time, MySQLdb
      def connect():
          for _ in range(3):
              try:
                  return MySQLdb.connect(host="db", connect_timeout=5)
              except MySQLdb.OperationalError:
                  time.sleep(1)
    ` },
    { name: 'handler that breaks out of the loop', code: py`
      import psycopg2
      def drain(conn, batches):
          for batch in batches:
              try:
                  conn.cursor().executemany("INSERT INTO t VALUES (%s)", batch)
              except psycopg2.OperationalError:
                  break
    ` },
  ],
  invalid: [
    { name: 'the only sleep is on the success path: failures retry at once', code: py`
      import time, psycopg2
      def save(conn):
          for attempt in range(10):
              try:
                  conn.cursor().execute("INSERT INTO t VALUES (1)")
                  time.sleep(1)
                  break
              except Exception:
                  pass
    `, line: 3, column: 5, message: 'no delay between attempts' },
    { name: 'the loop ends when the attempt sets its result (`while pool is None`), with no pause on failure', code: py`
      import asyncpg
      async def new_pool(dsn):
          pool = None
          while pool is None:
              try:
                  pool = await asyncpg.create_pool(dsn, timeout=5, command_timeout=30)
              except ConnectionRefusedError:
                  continue
          return pool
    `, line: 4, column: 5, message: 'no delay between attempts' },
    { name: 'while True retry with no sleep', code: py`
      import psycopg2
      def connect():
          while True:
              try:
                  return psycopg2.connect("dbname=app connect_timeout=5")
              except psycopg2.OperationalError:
                  pass
    `, line: 3, column: 5, message: 'retries a database call with no delay between attempts' },
    { name: 'for-range retry with no sleep (asyncpg)', code: py`
      import asyncpg
      async def connect():
          for attempt in range(10):
              try:
                  return await asyncpg.connect("postgresql://db/app")
              except OSError:
                  continue
    `, line: 3, column: 5, message: 'with no delay' },
    { name: 'retrying IntegrityError', code: py`
      import time, psycopg2
      def insert(conn, row):
          for attempt in range(3):
              try:
                  conn.cursor().execute("INSERT INTO t VALUES (%s)", (row,))
                  conn.commit()
                  return
              except psycopg2.IntegrityError:
                  time.sleep(1)
    `, line: 8, column: 16, message: 'retries on `IntegrityError`, which a retry cannot fix' },
    { name: 'retrying SQLAlchemy ProgrammingError', code: py`
      import time
      from sqlalchemy import exc
      def run(conn, stmt):
          while True:
              try:
                  return conn.execute(stmt)
              except (exc.OperationalError, exc.ProgrammingError):
                  time.sleep(1)
    `, line: 7, column: 39, message: 'retries on `ProgrammingError`' },
    { name: 'while True with a fixed delay forever (PyMySQL)', code: py`
      import time, pymysql
      def connect():
          while True:
              try:
                  return pymysql.connect(host="db")
              except pymysql.err.OperationalError:
                  time.sleep(5)
    `, line: 3, column: 5, message: 'retries a database call forever at a fixed delay' },
    { name: 'mysql-connector retry with no delay', code: py`
      import mysql.connector
      def connect():
          for _ in range(100):
              try:
                  return mysql.connector.connect(host="db", connection_timeout=5)
              except mysql.connector.Error:
                  print("retrying")
    `, line: 3, column: 5, message: 'with no delay' },
    { name: 'bare tenacity @retry', code: py`
      from tenacity import retry
      import psycopg2
      @retry
      def load(conn):
          conn.cursor().execute("SELECT 1")
    `, line: 3, column: 2, message: 'without wait and stop retries immediately and forever' },
    { name: 'tenacity with stop but no wait', code: py`
      import tenacity
      import sqlalchemy
      @tenacity.retry(stop=tenacity.stop_after_attempt(5))
      def load(engine: sqlalchemy.Engine):
          with engine.connect() as conn:
              conn.execute("SELECT 1")
    `, line: 3, column: 2, message: 'without wait retries immediately' },
    { name: 'asyncpg unique violation retried', code: py`
      import asyncio, asyncpg
      async def insert(conn, row):
          for attempt in range(3):
              try:
                  await conn.execute("INSERT INTO t VALUES ($1)", row)
                  return
              except asyncpg.UniqueViolationError:
                  await asyncio.sleep(1)
    `, line: 7, column: 16, message: 'retries on `UniqueViolationError`' },
  ],
}, { test });
