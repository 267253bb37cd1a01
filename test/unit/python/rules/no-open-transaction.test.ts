import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('no-open-transaction', {
  valid: [
    { name: 'an autocommit connection: a failed statement leaves nothing open (documented)', code: py`
      import logging, psycopg2
      conn = psycopg2.connect("dbname=app connect_timeout=5")
      conn.autocommit = True
      def ping():
          try:
              conn.cursor().execute("SELECT 1")
          except psycopg2.Error:
              logging.exception("ping failed")
    ` },
    { name: 'a helper that connects in autocommit mode hands out autocommit connections', code: py`
      import logging, psycopg2
      def connect():
          ret = psycopg2.connect("dbname=app connect_timeout=5")
          ret.autocommit = True
          return ret
      conn = connect()
      def ping():
          try:
              conn.cursor().execute("SELECT 1")
          except psycopg2.Error:
              logging.exception("ping failed")
    ` },
    { name: 'a failed read on a shared SQLAlchemy session leaves it usable', code: py`
      import logging
      from sqlalchemy import create_engine, text
      from sqlalchemy.orm import sessionmaker
      engine = create_engine("postgresql://app@db/app?connect_timeout=5", pool_pre_ping=True)
      session = sessionmaker(bind=engine)()
      def count():
          try:
              return session.query(text("1")).all()
          except Exception:
              logging.exception("count failed")
    ` },
    { name: 'the failing statement is the BEGIN itself: the connection is gone, there is nothing to roll back', code: py`
      from psycopg2 import OperationalError
      class Db:
          def __init__(self, connection):
              self.connection = connection
          def begin(self):
              cursor = self.connection.cursor()
              try:
                  cursor.execute("BEGIN;")
              except OperationalError as e:
                  print(e)
    ` },
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
    { name: 'a connection passed in as a parameter is not judged: its owner may be one request', code: py`
      import logging, psycopg2
      def save(conn):
          try:
              conn.cursor().execute("UPDATE t SET x = 1")
              conn.commit()
          except psycopg2.Error:
              logging.exception("save failed")
    ` },
    { name: 'MySQL keeps the transaction usable after a failed statement', code: py`
      import MySQLdb
      db = MySQLdb.connect(host="db", connect_timeout=5)
      def save():
          try:
              db.cursor().execute("UPDATE t SET x = 1")
              db.commit()
          except MySQLdb.OperationalError as e:
              print(e)
    ` },
    { name: 'a connection made in this call ends with it', code: py`
      import psycopg
      def save():
          conn = psycopg.connect("dbname=app connect_timeout=5")
          try:
              conn.execute("UPDATE t SET x = 1")
              conn.commit()
          except Exception as e:
              print(e)
          conn.close()
    ` },
    { name: 'the handler ends the process', code: py`
      import sys, psycopg2
      conn = psycopg2.connect("dbname=app connect_timeout=5")
      def migrate():
          try:
              conn.cursor().execute("ALTER TABLE t ADD x int")
              conn.commit()
          except psycopg2.Error as e:
              print(e)
              sys.exit(1)
    ` },
    { name: 'a transaction class: begin() alone, commit() and rollback() in sibling methods', code: py`
      import pymysql
      class Transaction:
          def __init__(self, conn: pymysql.Connection):
              self.conn = conn
          def start(self, conn: pymysql.Connection):
              conn.begin()
          def commit(self):
              self.conn.commit()
          def rollback(self):
              self.conn.rollback()
    ` },
    { name: 'NoResultFound from one() is a successful query: nothing to roll back', code: py`
      from sqlalchemy import create_engine, select
      from sqlalchemy.exc import NoResultFound
      from sqlalchemy.orm import Session
      engine = create_engine("postgresql://app@db/app?connect_timeout=5", pool_pre_ping=True)
      def find(user_id):
          with Session(engine) as session:
              try:
                  return session.execute(select(User).where(User.id == user_id)).scalar_one()
              except NoResultFound:
                  return None
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
    { name: 'module-level psycopg2 connection: a logged error leaves it aborted for every later call', code: py`
      import logging, psycopg2
      conn = psycopg2.connect("dbname=app connect_timeout=5")
      def save(x):
          try:
              conn.cursor().execute("UPDATE t SET x = %s", (x,))
              conn.commit()
          except psycopg2.Error:
              logging.exception("save failed")
    `, line: 7, column: 5, message: 'which outlives this call, without rolling back' },
    { name: 'a pipeline object keeps one connection: a printed error poisons the next item', code: py`
      import psycopg2
      class Pipeline:
          def open_spider(self, spider):
              self.connection = psycopg2.connect("dbname=crawl connect_timeout=5")
          def process_item(self, item, spider):
              cur = self.connection.cursor()
              try:
                  cur.execute("INSERT INTO items VALUES (%s)", (item,))
                  self.connection.commit()
              except psycopg2.DatabaseError as e:
                  print(e)
              return item
    `, line: 10, column: 9, message: 'Roll back here' },
    { name: 'a helper commits on the process-wide session; the caller logs and goes on', code: py`
      import logging
      from sqlalchemy import create_engine
      from sqlalchemy.orm import sessionmaker
      engine = create_engine("postgresql://app@db/app?connect_timeout=5", pool_pre_ping=True)
      session = sessionmaker(bind=engine)()
      def create_user(name):
          session.add(name)
          session.commit()
      def on_message(name):
          try:
              create_user(name)
          except Exception:
              logging.exception("could not create %s", name)
    `, line: 12, column: 5, message: '`create_user()`' },
    { name: 'PyMySQL begin() on an annotated connection', code: py`
      import pymysql
      def save(conn: pymysql.Connection):
          conn.begin()
          conn.cursor().execute("UPDATE t SET x = 1")
          conn.commit()
    `, line: 3, column: 5, message: '`conn.begin()` starts a transaction' },
  ],
}, { test });
