import { test } from 'node:test';
import { py, ruleTable } from '../helpers';

ruleTable('no-connect-per-request', {
  valid: [
    { name: 'a cached view runs once per timeout, not per request', code: py`
      import psycopg2
      from flask import Flask
      from flask_caching import Cache
      app = Flask(__name__)
      cache = Cache(app)
      @app.route("/stats")
      @cache.cached(timeout=60)
      def stats():
          conn = psycopg2.connect("dbname=app connect_timeout=5")
          try:
              return str(conn.cursor().execute("SELECT 1"))
          finally:
              conn.close()
    ` },
    { name: 'an attempt loop (`for _ in range(n)`) is a retry, not one connection per item', code: py`
      import psycopg2
      def connect_with_retries(n):
          for _ in range(n):
              conn = psycopg2.connect("dbname=app connect_timeout=5")
              conn.close()
    ` },
    { name: 'one connection per configured database: the connect reads the loop variable', code: py`
      import psycopg2
      def vacuum_all(databases):
          for name in databases:
              conn = psycopg2.connect(dbname=name, connect_timeout=5)
              conn.close()
    ` },
    { name: 'Flask handler takes from a module-level pool', code: py`
      from flask import Flask
      from psycopg2.pool import ThreadedConnectionPool
      app = Flask(__name__)
      pool = ThreadedConnectionPool(1, 10, "dbname=app connect_timeout=5")
      @app.route("/users")
      def users():
          conn = pool.getconn()
          try:
              return str(conn.cursor().execute("SELECT 1"))
          finally:
              pool.putconn(conn)
    ` },
    { name: 'FastAPI handler uses a shared asyncpg pool', code: py`
      import asyncpg
      from fastapi import FastAPI
      app = FastAPI()
      @app.get("/items")
      async def items(pool: asyncpg.Pool):
          async with pool.acquire(timeout=5) as conn:
              return await conn.fetch("SELECT 1")
    ` },
    { name: 'engine created once at startup', code: py`
      from fastapi import FastAPI
      from sqlalchemy import create_engine
      app = FastAPI()
      engine = create_engine("postgresql://app@db/app?connect_timeout=5")
      @app.get("/n")
      def n():
          with engine.connect() as conn:
              return conn.exec_driver_sql("SELECT 1").scalar()
    ` },
    { name: 'a plain function, not a handler', code: py`
      import psycopg2
      def migrate():
          with psycopg2.connect("dbname=app connect_timeout=5") as conn:
              pass
    ` },
    { name: 'a decorator of an unknown object that is not a route: no URL path', code: py`
      import psycopg2
      from mylib import make_registry
      registry = make_registry()
      @registry.get("settings")
      def x():
          conn = psycopg2.connect("dbname=app connect_timeout=5")
          conn.close()
    ` },
    { name: 'retry loop reconnecting on purpose', code: py`
      import time, pymysql
      def connect():
          for attempt in range(5):
              try:
                  return pymysql.connect(host="db")
              except pymysql.err.OperationalError:
                  time.sleep(2 ** attempt)
    ` },
    { name: 'a loop that uses one connection opened before it', code: py`
      import MySQLdb
      def load(rows):
          db = MySQLdb.connect(host="db", connect_timeout=5)
          try:
              for row in rows:
                  db.cursor().execute("INSERT INTO t VALUES (%s)", (row,))
          finally:
              db.close()
    ` },
    { name: 'a connection per database in a loop is returned, not opened per item', code: py`
      import psycopg2
      def connections(dsns):
          return [psycopg2.connect(d) for d in dsns]
    ` },
  ],
  invalid: [
    { name: 'a Django function view opens a connection per request', code: py`
      import psycopg2
      from django.http import JsonResponse
      def users(request):
          conn = psycopg2.connect("dbname=app connect_timeout=5")
          try:
              return JsonResponse({"n": conn.cursor().execute("SELECT 1")})
          finally:
              conn.close()
    `, line: 4, column: 12, message: 'on every request to `users`' },
    { name: 'an aiogram handler, known by its parameter type, opens a connection per message', code: py`
      import asyncpg
      from aiogram import types
      async def start(message: types.Message):
          conn = await asyncpg.connect("postgresql://db/app", timeout=5)
          try:
              await conn.execute("SELECT 1")
          finally:
              await conn.close()
    `, line: 4, column: 18, message: 'on every request to `start`' },
    {
      name: 'a route decorator with a URL path on an app made elsewhere (a factory, a Blueprint in another module)',
      code: py`
        import psycopg2
        from mylib import make_app
        app = make_app()
        @app.route("/x")
        def x():
            conn = psycopg2.connect("dbname=app connect_timeout=5")
            conn.close()
      `,
      line: 6,
      column: 12,
      message: 'on every request to `x`',
    },
    { name: 'Flask route opens psycopg2 connection', code: py`
      from flask import Flask
      import psycopg2
      app = Flask(__name__)
      @app.route("/users")
      def users():
          with psycopg2.connect("dbname=app connect_timeout=5") as conn:
              return "ok"
    `, line: 6, column: 10, message: 'opens a new connection on every request to `users`' },
    { name: 'FastAPI route creates an asyncpg pool', code: py`
      import asyncpg
      from fastapi import FastAPI
      app = FastAPI()
      @app.post("/items")
      async def create_item():
          pool = await asyncpg.create_pool("postgresql://db/app", command_timeout=5)
          await pool.close()
    `, line: 6, column: 18, message: 'opens a new pool on every request to `create_item`' },
    { name: 'APIRouter route creates an engine', code: py`
      from fastapi import APIRouter
      from sqlalchemy import create_engine
      router = APIRouter()
      @router.get("/count")
      def count():
          engine = create_engine("postgresql://app@db/app?connect_timeout=5")
          with engine.connect() as conn:
              return conn.exec_driver_sql("SELECT 1").scalar()
    `, line: 6, column: 14, message: 'opens a new engine (and pool) on every request' },
    { name: 'Blueprint route with PyMySQL', code: py`
      import pymysql
      from flask import Blueprint
      bp = Blueprint("api", __name__)
      @bp.get("/x")
      def x():
          conn = pymysql.connect(host="db")
          try:
              return "ok"
          finally:
              conn.close()
    `, line: 6, column: 12, message: 'on every request to `x`' },
    { name: 'Django REST framework api_view with mysql-connector', code: py`
      import mysql.connector
      from rest_framework.decorators import api_view
      @api_view(["GET"])
      def report(request):
          cnx = mysql.connector.connect(host="db", connection_timeout=5)
          cnx.close()
    `, line: 5, column: 11, message: 'on every request to `report`' },
    { name: 'Django require_GET view with MySQLdb', code: py`
      import MySQLdb
      from django.views.decorators.http import require_GET
      @require_GET
      def view(request):
          db = MySQLdb.connect(host="db", connect_timeout=5)
          db.close()
    `, line: 5, column: 10, message: 'on every request to `view`' },
    { name: 'connect inside a for loop', code: py`
      import psycopg2
      def sync(rows):
          for row in rows:
              conn = psycopg2.connect("dbname=app connect_timeout=5")
              try:
                  conn.cursor().execute("INSERT INTO t VALUES (%s)", (row,))
              finally:
                  conn.close()
    `, line: 4, column: 16, message: 'on every iteration of the loop on line 3' },
    { name: 'psycopg 3 connect inside a for loop', code: py`
      import psycopg
      def sync(rows):
          for row in rows:
              with psycopg.connect("dbname=app") as conn:
                  conn.execute("INSERT INTO t VALUES (%s)", (row,))
    `, line: 4, column: 14, message: 'opens a new connection on every iteration' },
    { name: 'pool created inside a for loop', code: py`
      from psycopg_pool import ConnectionPool
      def run(jobs):
          for job in jobs:
              pool = ConnectionPool("dbname=app")
              job(pool)
    `, line: 4, column: 16, message: 'opens a new pool on every iteration' },
  ],
}, { test });
