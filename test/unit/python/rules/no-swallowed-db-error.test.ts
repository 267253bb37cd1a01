import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('no-swallowed-db-error', {
  valid: [
    { name: 'best-effort work while another error is handled (it is re-raised after)', code: py`
      import psycopg2
      def finish(conn, log_id):
          try:
              conn.cursor().execute("SELECT 1")
          except Exception as e:
              try:
                  conn.cursor().execute("UPDATE import_log SET failed = true WHERE id = %s", (log_id,))
              except Exception:
                  pass
              raise
    ` },
    { name: 'logged', code: py`
      import logging, psycopg2
      log = logging.getLogger(__name__)
      def load(conn):
          try:
              conn.cursor().execute("SELECT 1")
          except psycopg2.Error:
              log.exception("query failed")
    ` },
    { name: 're-raised as a domain error', code: py`
      import pymysql
      def load(conn):
          try:
              conn.cursor().execute("SELECT 1")
          except pymysql.MySQLError as error:
              raise RuntimeError("load failed") from error
    ` },
    { name: 'error kept for the caller', code: py`
      import asyncpg
      async def load(conn, errors):
          try:
              await conn.execute("SELECT 1")
          except asyncpg.PostgresError as error:
              errors = error
          return errors
    ` },
    { name: 'non-database exception dropped', code: py`
      import psycopg2
      def parse(value):
          try:
              return int(value)
          except ValueError:
              pass
    ` },
    { name: 'broad except around code without database calls', code: py`
      import psycopg2
      def cleanup(path):
          try:
              path.unlink()
          except Exception:
              pass
    ` },
    { name: 'inside a retry loop (require-retry-backoff judges it)', code: py`
      import time, MySQLdb
      def connect():
          for attempt in range(5):
              try:
                  return MySQLdb.connect(host="db", connect_timeout=5)
              except MySQLdb.OperationalError:
                  pass
              time.sleep(2 ** attempt)
    ` },
    { name: 'handler that rolls back', code: py`
      import psycopg
      def save(conn):
          try:
              conn.execute("INSERT INTO t DEFAULT VALUES")
          except psycopg.Error:
              conn.rollback()
    ` },
    { name: 'SQLAlchemy error counted in metrics', code: py`
      from sqlalchemy import exc
      def run(conn, stmt, metrics):
          try:
              conn.execute(stmt)
          except exc.SQLAlchemyError:
              metrics.increment("db.errors")
    ` },
    { name: 'the error becomes a status the caller reads (documented: a returned status counts as handled)', code: py`
      import mysql.connector
      def run(cnx):
          try:
              cnx.cursor().execute("SELECT 1")
          except mysql.connector.Error:
              return False
    ` },
    { name: 'the error is recorded in the result that is returned', code: py`
      import psycopg2
      def status(conn):
          result = {}
          try:
              conn.cursor().execute("IDENTIFY_SYSTEM")
              result["streaming"] = True
          except psycopg2.ProgrammingError:
              result["streaming"] = False
          return result
    ` },
    { name: 'an expected error ends a polling loop (the server went away)', code: py`
      import time, psycopg
      def wait_for_close(conn, postmaster):
          try:
              while postmaster.is_running():
                  conn.execute("SELECT 1")
                  time.sleep(1)
          except psycopg.Error:
              pass
    ` },
  ],
  invalid: [
    { name: 'psycopg2.Error with pass (suggestion: re-raise)', code: py`
      import psycopg2
      def load(conn):
          try:
              conn.cursor().execute("SELECT 1")
          except psycopg2.Error:
              pass
    `, line: 5, column: 5, message: 'catches `psycopg2.Error` and drops it', output: null, suggestion: py`
      import psycopg2
      def load(conn):
          try:
              conn.cursor().execute("SELECT 1")
          except psycopg2.Error:
              raise
    ` },
    { name: 'aliased OperationalError returning None', code: py`
      from psycopg2 import OperationalError
      def load(conn):
          try:
              return conn.cursor().execute("SELECT 1")
          except OperationalError:
              return None
    `, line: 5, column: 5, message: 'catches `OperationalError`' },
    { name: 'bare except around execute', code: py`
      import pymysql
      def load(conn):
          try:
              conn.cursor().execute("SELECT 1")
          except:
              pass
    `, line: 5, column: 5, message: 'every error (bare `except:`) around a database call' },
    { name: 'except Exception around commit', code: py`
      import MySQLdb
      def save(db):
          try:
              db.commit()
          except Exception as e:
              pass
    `, line: 5, column: 5, message: 'every error around a database call' },
    { name: 'asyncpg error with ellipsis', code: py`
      import asyncpg
      async def load(conn):
          try:
              await conn.fetch("SELECT 1")
          except asyncpg.PostgresError:
              ...
    `, line: 5, column: 5, message: 'catches `asyncpg.PostgresError`' },
    { name: 'SQLAlchemy OperationalError in a tuple', code: py`
      from sqlalchemy.exc import OperationalError
      def run(conn, stmt):
          try:
              conn.execute(stmt)
          except (KeyError, OperationalError):
              result = None
    `, line: 5, column: 5, message: 'catches `OperationalError`' },
    { name: 'mysql-connector Error swallowed', code: py`
      import mysql.connector
      def run(cnx):
          try:
              cnx.cursor().execute("SELECT 1")
          except mysql.connector.Error as err:
              return None
    `, line: 5, column: 5, message: 'catches `mysql.connector.Error`' },
    { name: 'psycopg 3 error swallowed', code: py`
      import psycopg
      def run(conn):
          try:
              conn.execute("SELECT 1")
          except psycopg.OperationalError:
              ok = False
    `, line: 5, column: 5, message: 'catches `psycopg.OperationalError`' },
  ],
}, { test });
