import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('require-connect-timeout', {
  valid: [
    { name: 'an asynchronous libpq connection: connect_timeout does not apply, the caller polls (documented)', code: py`
      import psycopg2
      def open_async():
          return psycopg2.connect(dsn="dbname=app", async_=True)
    ` },
    { name: 'psycopg2 with connect_timeout keyword', code: py`
      import psycopg2
      conn = psycopg2.connect(host="db", dbname="app", connect_timeout=5)
    ` },
    { name: 'psycopg2 with connect_timeout in the DSN', code: py`
      import psycopg2
      conn = psycopg2.connect("host=db dbname=app connect_timeout=5")
    ` },
    { name: 'psycopg2 URI DSN with connect_timeout query', code: py`
      import psycopg2
      conn = psycopg2.connect("postgresql://db/app?connect_timeout=5")
    ` },
    { name: 'psycopg2 DSN built elsewhere: it may carry the timeout', code: py`
      import os, psycopg2
      conn = psycopg2.connect(os.environ["DATABASE_URL"])
    ` },
    { name: 'psycopg2 with **kwargs we cannot see', code: py`
      import psycopg2
      def connect(settings):
          return psycopg2.connect(**settings)
    ` },
    { name: 'PyMySQL defaults to a 10 s connect timeout', code: py`
      import pymysql
      conn = pymysql.connect(host="db", user="app")
    ` },
    { name: 'asyncpg defaults to timeout=60', code: py`
      import asyncpg
      async def main():
          conn = await asyncpg.connect("postgresql://db/app")
          await conn.close()
    ` },
    { name: 'mysql-connector with the connect_timeout alias', code: py`
      import mysql.connector
      cnx = mysql.connector.connect(host="db", connect_timeout=5)
    ` },
    { name: 'SQLAlchemy psycopg2 engine with connect_args', code: py`
      from sqlalchemy import create_engine
      engine = create_engine("postgresql+psycopg2://app@db/app", connect_args={"connect_timeout": 5})
    ` },
    { name: 'SQLAlchemy pymysql engine: driver default is bounded', code: py`
      from sqlalchemy import create_engine
      engine = create_engine("mysql+pymysql://app@db/app")
    ` },
  ],
  invalid: [
    { name: 'psycopg2 keywords without connect_timeout', code: py`
      import psycopg2
      conn = psycopg2.connect(host="db", dbname="app")
    `, line: 2, column: 8, message: '`psycopg2.connect()` has no connect_timeout', suggestion: py`
      import psycopg2
      conn = psycopg2.connect(host="db", dbname="app", connect_timeout=10)
    ` },
    { name: 'psycopg2 literal DSN without connect_timeout', code: py`
      import psycopg2 as pg
      conn = pg.connect("host=db dbname=app")
    `, line: 2, column: 8, message: '`pg.connect()` has no connect_timeout', suggestion: py`
      import psycopg2 as pg
      conn = pg.connect("host=db dbname=app", connect_timeout=10)
    ` },
    { name: 'psycopg2 pool passes its arguments to connect', code: py`
      from psycopg2.pool import ThreadedConnectionPool
      pool = ThreadedConnectionPool(1, 5, "dbname=app")
    `, line: 2, column: 8, message: 'has no connect_timeout', suggestion: py`
      from psycopg2.pool import ThreadedConnectionPool
      pool = ThreadedConnectionPool(1, 5, "dbname=app", connect_timeout=10)
    ` },
    { name: 'psycopg2 multi-line call with trailing comma', code: py`
      import psycopg2
      conn = psycopg2.connect(
          host="db",
      )
    `, line: 2, column: 8, message: 'has no connect_timeout', suggestion: py`
      import psycopg2
      conn = psycopg2.connect(
          host="db", connect_timeout=10,
      )
    ` },
    { name: 'mysqlclient has no default connect timeout', code: py`
      import MySQLdb
      db = MySQLdb.connect(host="db", user="app")
    `, line: 2, column: 6, message: '`MySQLdb.connect()` has no connect_timeout', suggestion: py`
      import MySQLdb
      db = MySQLdb.connect(host="db", user="app", connect_timeout=10)
    ` },
    { name: 'mysql-connector connect without connection_timeout', code: py`
      from mysql import connector
      cnx = connector.connect(host="db")
    `, line: 2, column: 7, message: 'has no connection_timeout', suggestion: py`
      from mysql import connector
      cnx = connector.connect(host="db", connection_timeout=10)
    ` },
    { name: 'psycopg2 connect with no arguments at all', code: py`
      import psycopg2
      conn = psycopg2.connect()
    `, line: 2, column: 8, message: 'has no connect_timeout', suggestion: py`
      import psycopg2
      conn = psycopg2.connect(connect_timeout=10)
    ` },
    { name: 'SQLAlchemy default postgresql driver is psycopg2', code: py`
      import sqlalchemy
      engine = sqlalchemy.create_engine("postgresql://app@db/app", pool_size=5)
    `, line: 2, column: 10, message: 'for psycopg2 connects with no timeout', suggestion: py`
      import sqlalchemy
      engine = sqlalchemy.create_engine("postgresql://app@db/app", pool_size=5, connect_args={"connect_timeout": 10})
    ` },
    { name: 'SQLAlchemy mysqlclient engine with connect_args lacking the key', code: py`
      from sqlalchemy import create_engine
      engine = create_engine("mysql://app@db/app", connect_args={"charset": "utf8mb4"})
    `, line: 2, column: 10, message: 'add "connect_timeout" to connect_args', output: null },
  ],
}, { test });
