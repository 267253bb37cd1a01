import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('no-io-while-holding-connection', {
  valid: [
    { name: 'a sleep in the except of the try that takes the connection: the checkout itself may have failed (documented)', code: py`
      import time
      from psycopg2.pool import ThreadedConnectionPool, PoolError
      pool = ThreadedConnectionPool(1, 5, "dbname=app connect_timeout=5")
      def get():
          while True:
              try:
                  conn = pool.getconn()
                  conn.cursor().execute("SELECT 1")
                  pool.putconn(conn)
                  return
              except PoolError:
                  time.sleep(0.1)
    ` },
    { name: 'a helper whose only sleep is a retry backoff in its except does not wait on the normal path', code: py`
      import time, psycopg2
      from psycopg2.pool import ThreadedConnectionPool
      pool = ThreadedConnectionPool(1, 5, "dbname=app connect_timeout=5")
      def execute_with_retry(cur, sql):
          for attempt in range(3):
              try:
                  return cur.execute(sql)
              except psycopg2.OperationalError:
                  time.sleep(1)
      def job():
          conn = pool.getconn()
          try:
              execute_with_retry(conn.cursor(), "SELECT 1")
          finally:
              pool.putconn(conn)
    ` },
    { name: 'HTTP call before acquiring', code: py`
      import requests
      from psycopg_pool import ConnectionPool
      pool = ConnectionPool("dbname=app")
      def sync():
          data = requests.get("https://api.example.com/items", timeout=5).json()
          with pool.connection() as conn:
              conn.execute("INSERT INTO t VALUES (%s)", (data,))
    ` },
    { name: 'HTTP call after releasing', code: py`
      import requests
      from psycopg2.pool import ThreadedConnectionPool
      pool = ThreadedConnectionPool(1, 5, "dbname=app connect_timeout=5")
      def notify():
          conn = pool.getconn()
          try:
              conn.cursor().execute("SELECT 1")
          finally:
              pool.putconn(conn)
          requests.post("https://hooks.example.com", timeout=5)
    ` },
    { name: 'asyncio.sleep(0) only yields', code: py`
      import asyncio, asyncpg
      async def work(pool: asyncpg.Pool):
          async with pool.acquire(timeout=5) as conn:
              await asyncio.sleep(0)
              await conn.execute("SELECT 1")
    ` },
    { name: 'sleep outside the with block', code: py`
      import time, pymysql
      def work():
          with pymysql.connect(host="db") as conn:
              conn.cursor().execute("SELECT 1")
          time.sleep(1)
    ` },
    { name: 'I/O inside a nested function defined in the block', code: py`
      import requests, psycopg
      def work():
          with psycopg.connect("dbname=app") as conn:
              def later():
                  return requests.get("https://x", timeout=5)
              conn.execute("SELECT 1")
          return later
    ` },
    { name: 'a session object that is not an HTTP client', code: py`
      import psycopg
      from sqlalchemy.orm import Session
      def work(session: Session):
          with psycopg.connect("dbname=app") as conn:
              session.get(1, 2)
    ` },
    { name: 'no release found: region unknown', code: py`
      import time, asyncpg
      async def open_conn():
          conn = await asyncpg.connect("postgresql://db/app")
          time.sleep(1)
          return conn
    ` },
    { name: 'local function named sleep', code: py`
      import psycopg
      def sleep(s):
          return s
      def work():
          with psycopg.connect("dbname=app") as conn:
              sleep(1)
    ` },
  ],
  invalid: [
    { name: 'a project helper that sends mail over SMTP, called while the connection is held', code: py`
      import smtplib
      from psycopg2.pool import ThreadedConnectionPool
      pool = ThreadedConnectionPool(1, 5, "dbname=app connect_timeout=5")
      def send_mail(to):
          with smtplib.SMTP_SSL("mail") as server:
              server.sendmail("app", to, "hi")
      def signup(email):
          conn = pool.getconn()
          try:
              conn.cursor().execute("INSERT INTO users (email) VALUES (%s)", (email,))
              send_mail(email)
              conn.commit()
          finally:
              pool.putconn(conn)
    `, line: 11, column: 9, message: '`send_mail()` waits on slow I/O' },
    { name: 'requests.get inside pool.connection()', code: py`
      import requests
      from psycopg_pool import ConnectionPool
      pool = ConnectionPool("dbname=app")
      def sync():
          with pool.connection() as conn:
              data = requests.get("https://api.example.com", timeout=5).json()
              conn.execute("INSERT INTO t VALUES (%s)", (data,))
    `, line: 6, column: 16, message: '`requests.get()` waits on slow I/O while `conn` (taken on line 5) is checked out' },
    { name: 'time.sleep between getconn and putconn', code: py`
      import time
      from psycopg2.pool import ThreadedConnectionPool
      pool = ThreadedConnectionPool(1, 5, "dbname=app connect_timeout=5")
      def poll():
          conn = pool.getconn()
          try:
              time.sleep(5)
          finally:
              pool.putconn(conn)
    `, line: 7, column: 9, message: '`time.sleep()` waits on slow I/O while `conn` (taken on line 5)' },
    { name: 'asyncio.sleep inside async with pool.acquire()', code: py`
      import asyncio, asyncpg
      async def work(pool: asyncpg.Pool):
          async with pool.acquire(timeout=5) as conn:
              await asyncio.sleep(1)
    `, line: 4, column: 15, message: '`asyncio.sleep()` waits on slow I/O' },
    { name: 'httpx AsyncClient call while holding an asyncpg connection', code: py`
      import asyncpg, httpx
      async def work(pool: asyncpg.Pool):
          async with httpx.AsyncClient() as client:
              async with pool.acquire(timeout=5) as conn:
                  r = await client.get("https://x")
                  await conn.execute("SELECT 1")
    `, line: 5, column: 23, message: '`client.get()` waits on slow I/O' },
    { name: 'requests.Session post inside SQLAlchemy connection', code: py`
      import requests
      from sqlalchemy import create_engine
      engine = create_engine("postgresql://app@db/app?connect_timeout=5")
      http = requests.Session()
      def work():
          with engine.connect() as conn:
              http.post("https://x", timeout=5)
    `, line: 7, column: 9, message: '`http.post()` waits on slow I/O' },
    { name: 'urlopen inside PyMySQL connection', code: py`
      import pymysql
      from urllib.request import urlopen
      def work():
          with pymysql.connect(host="db") as conn:
              urlopen("https://x")
    `, line: 5, column: 9, message: '`urlopen()` waits on slow I/O' },
    { name: 'subprocess while a mysql-connector pooled connection is out', code: py`
      import subprocess
      from mysql.connector import pooling
      pool = pooling.MySQLConnectionPool(pool_size=5)
      def work():
          cnx = pool.get_connection()
          try:
              subprocess.run(["backup.sh"])
          finally:
              cnx.close()
    `, line: 7, column: 9, message: '`subprocess.run()` waits on slow I/O while `cnx`' },
    { name: 'sleep while a MySQLdb connection is open (closed later)', code: py`
      import time, MySQLdb
      def work():
          db = MySQLdb.connect(host="db", connect_timeout=5)
          try:
              db.cursor().execute("SELECT 1")
              time.sleep(2)
          finally:
              db.close()
    `, line: 6, column: 9, message: '`time.sleep()` waits on slow I/O while `db`' },
  ],
}, { test });
