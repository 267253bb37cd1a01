import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('no-open-transaction', {
  valid: [
    { name: 'psycopg2: rollback in except', code: py`
      import psycopg2
      def save(conn):
          try:
              conn.cursor().execute("INSERT INTO t DEFAULT VALUES")
              conn.commit()
          except psycopg2.Error:
              conn.rollback()
              raise
    ` },
    { name: 'psycopg2: with conn commits or rolls back', code: py`
      import psycopg2
      def save(conn):
          with conn:
              conn.cursor().execute("INSERT INTO t DEFAULT VALUES")
    ` },
    { name: 'SQLAlchemy: with conn.begin()', code: py`
      from sqlalchemy import create_engine, text
      engine = create_engine("postgresql://app@db/app?connect_timeout=5")
      def save():
          with engine.connect() as conn:
              with conn.begin():
                  conn.execute(text("INSERT INTO t DEFAULT VALUES"))
    ` },
    { name: 'asyncpg: async with conn.transaction()', code: py`
      import asyncpg
      async def save(conn: asyncpg.Connection):
          async with conn.transaction():
              await conn.execute("INSERT INTO t DEFAULT VALUES")
    ` },
    { name: 'explicit BEGIN followed by a guarded try', code: py`
      import pymysql
      def save(conn):
          cur = conn.cursor()
          cur.execute("BEGIN")
          try:
              cur.execute("UPDATE t SET x = 1")
              conn.commit()
          except Exception:
              conn.rollback()
              raise
    ` },
    { name: 'handler re-raises after a commit failure', code: py`
      import MySQLdb
      def save(db):
          try:
              db.cursor().execute("UPDATE t SET x = 1")
              db.commit()
          except MySQLdb.Error:
              raise
    ` },
    { name: 'connection closed in finally', code: py`
      import psycopg2
      def save():
          conn = psycopg2.connect("dbname=app connect_timeout=5")
          try:
              conn.cursor().execute("UPDATE t SET x = 1")
              conn.commit()
          except psycopg2.Error:
              print("failed")
          finally:
              conn.close()
    ` },
    { name: 'begin inside a try whose finally rolls back', code: py`
      import pymysql
      def save(conn):
          try:
              conn.begin()
              conn.cursor().execute("UPDATE t SET x = 1")
              conn.commit()
          finally:
              conn.rollback()
    ` },
  ],
  invalid: [
    { name: 'explicit BEGIN with no error path', code: py`
      import psycopg2
      def save(conn):
          cur = conn.cursor()
          cur.execute("BEGIN")
          cur.execute("UPDATE t SET x = 1")
          conn.commit()
    `, line: 4, column: 5, message: '`cur.execute("BEGIN")` starts a transaction that an exception leaves open' },
    { name: 'START TRANSACTION on PyMySQL', code: py`
      import pymysql
      def save(conn):
          with conn.cursor() as cur:
              cur.execute("START TRANSACTION")
              cur.execute("UPDATE t SET x = 1")
          conn.commit()
    `, line: 4, column: 9, message: 'starts a transaction that an exception leaves open' },
    { name: 'SQLAlchemy conn.begin() without with', code: py`
      from sqlalchemy import create_engine, text
      engine = create_engine("postgresql://app@db/app?connect_timeout=5")
      def save():
          with engine.connect() as conn:
              trans = conn.begin()
              conn.execute(text("UPDATE t SET x = 1"))
              trans.commit()
    `, line: 5, column: 17, message: '`conn.begin()` starts a transaction' },
    { name: 'asyncpg transaction started by hand', code: py`
      import asyncpg
      async def save(conn: asyncpg.Connection):
          tr = conn.transaction()
          await tr.start()
          await conn.execute("UPDATE t SET x = 1")
          await tr.commit()
    `, line: 3, column: 10, message: '`conn.transaction()` starts a transaction' },
    { name: 'mysql-connector start_transaction', code: py`
      import mysql.connector
      def save():
          cnx = mysql.connector.connect(host="db", connection_timeout=5)
          cnx.start_transaction()
          cnx.cursor().execute("UPDATE t SET x = 1")
          cnx.commit()
          cnx.close()
    `, line: 4, column: 5, message: '`cnx.start_transaction()` starts a transaction' },
    { name: 'psycopg2 error logged without rollback', code: py`
      import logging, psycopg2
      def save(conn):
          try:
              conn.cursor().execute("UPDATE t SET x = 1")
              conn.commit()
          except psycopg2.Error:
              logging.exception("save failed")
    `, line: 6, column: 5, message: 'keeps going after a failed statement without rolling back' },
    { name: 'MySQLdb error swallowed after commit attempt', code: py`
      import MySQLdb
      def save(db):
          try:
              db.cursor().execute("UPDATE t SET x = 1")
              db.commit()
          except MySQLdb.OperationalError as e:
              print(e)
    `, line: 6, column: 5, message: 'Call rollback() here' },
    { name: 'psycopg 3 broad except without rollback', code: py`
      import psycopg
      def save(conn):
          try:
              conn.execute("UPDATE t SET x = 1")
              conn.commit()
          except Exception as e:
              print(e)
    `, line: 6, column: 5, message: 'idle in transaction' },
    { name: 'PyMySQL begin() on an annotated connection', code: py`
      import pymysql
      def save(conn: pymysql.Connection):
          conn.begin()
          conn.cursor().execute("UPDATE t SET x = 1")
          conn.commit()
    `, line: 3, column: 5, message: '`conn.begin()` starts a transaction' },
  ],
}, { test });
