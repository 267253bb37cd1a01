// Reduced reproductions of what real Python services do across modules (issue: follow connections
// through real projects): each pattern class with a true and a false case, linted with the project index.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { code, linesOf, TempProject } from './project-helpers';

const projects: TempProject[] = [];
after(() => projects.forEach((project) => project.dispose()));
function project(files: Record<string, string>): TempProject {
  const made = new TempProject(files);
  projects.push(made);
  return made;
}

const DB_MODULE = code`
  from psycopg2.pool import ThreadedConnectionPool
  pool = ThreadedConnectionPool(1, 10, "dbname=app connect_timeout=5 options='-c statement_timeout=5000'")
`;

test('a pool imported from the project\'s db module: a putconn skipped by an exception is a leak, one in finally is not', async () => {
  const p = project({
    'app/__init__.py': '',
    'app/db.py': DB_MODULE,
    'app/users.py': code`
      from app.db import pool
      def leaky(user_id):
          conn = pool.getconn()
          conn.cursor().execute("SELECT 1")
          pool.putconn(conn)
      def safe(user_id):
          conn = pool.getconn()
          try:
              conn.cursor().execute("SELECT 1")
          finally:
              pool.putconn(conn)
    `,
  });
  const findings = await p.findings('app/users.py', 'no-leaked-connection');
  assert.deepEqual(linesOf(findings), [3]);
  assert.match(findings[0].message, /returned to the pool/);
  assert.equal(findings[0].related?.[0].start.line, 5, 'the skipped putconn is the related location');
});

test('`import db` then `db.pool`, a relative import, and a package that re-exports the pool', async () => {
  const p = project({
    'db.py': DB_MODULE,
    'plain.py': code`
      import db
      def f():
          conn = db.pool.getconn()
          conn.cursor().execute("SELECT 1")
          db.pool.putconn(conn)
    `,
    'svc/__init__.py': 'from .database import pool\n',
    'svc/database.py': DB_MODULE,
    'svc/relative.py': code`
      from .database import pool
      def f():
          conn = pool.getconn()
          conn.cursor().execute("SELECT 1")
    `,
    'other.py': code`
      from svc import pool
      def f():
          conn = pool.getconn()
          conn.cursor().execute("SELECT 1")
    `,
  });
  assert.deepEqual(linesOf(await p.findings('plain.py', 'no-leaked-connection')), [3]);
  assert.deepEqual(linesOf(await p.findings('svc/relative.py', 'no-leaked-connection')), [3]);
  assert.deepEqual(linesOf(await p.findings('other.py', 'no-leaked-connection')), [3]);
});

test('an unresolved import is not assumed to be a pool (no finding without evidence)', async () => {
  const p = project({
    'handlers.py': code`
      from somewhere_else import pool
      def f():
          conn = pool.getconn()
          conn.cursor().execute("SELECT 1")
    `,
  });
  assert.deepEqual(await p.findings('handlers.py', 'no-leaked-connection'), []);
});

test('a project package that passes a driver on (`from .. import psycopg2`) makes its calls the driver\'s', async () => {
  const p = project({
    'pkg/__init__.py': 'import psycopg2\n',
    'pkg/jobs/__init__.py': '',
    'pkg/jobs/run.py': code`
      from .. import psycopg2
      def job():
          conn = psycopg2.connect("dbname=app connect_timeout=5")
          conn.cursor().execute("SELECT 1")
          conn.close()
    `,
  });
  assert.deepEqual(linesOf(await p.findings('pkg/jobs/run.py', 'no-leaked-connection')), [3]);
});

test('helpers that hand out and take back a connection, across modules and in the same file', async () => {
  const p = project({
    'db.py': code`
      ${DB_MODULE}
      def get_conn():
          return pool.getconn()
      def put_conn(conn):
          pool.putconn(conn)
      def get_conn_and_cursor():
          conn = pool.getconn()
          return conn, conn.cursor()
    `,
    'views.py': code`
      from db import get_conn, put_conn, get_conn_and_cursor
      def leaky():
          conn = get_conn()
          conn.cursor().execute("SELECT 1")
          put_conn(conn)
      def safe():
          conn = get_conn()
          try:
              conn.cursor().execute("SELECT 1")
          finally:
              put_conn(conn)
      def tuple_leak():
          conn, cur = get_conn_and_cursor()
          cur.execute("SELECT 1")
          put_conn(conn)
    `,
  });
  assert.deepEqual(linesOf(await p.findings('views.py', 'no-leaked-connection')), [3, 13]);
});

test('a helper returning the connection cached on Flask\'s g lends it: callers must not close it', async () => {
  const p = project({
    'db.py': code`
      import psycopg2
      from flask import g
      def get_db():
          if "db" not in g:
              g.db = psycopg2.connect("dbname=app connect_timeout=5")
          return g.db
    `,
    'views.py': code`
      from db import get_db
      def page():
          db = get_db()
          db.cursor().execute("SELECT 1")
    `,
  });
  assert.deepEqual(await p.findings('views.py', 'no-leaked-connection'), []);
  assert.deepEqual(await p.findings('views.py', 'no-connect-per-request'), []);
});

test('a route that calls a helper which connects opens a connection per request; a lazily made pool does not', async () => {
  const p = project({
    'db.py': code`
      import psycopg2
      from psycopg2.pool import ThreadedConnectionPool
      _pool = None
      def connect():
          return psycopg2.connect("dbname=app connect_timeout=5")
      def get_pool():
          global _pool
          if _pool is None:
              _pool = ThreadedConnectionPool(1, 5, "dbname=app connect_timeout=5")
          return _pool
    `,
    'routes.py': code`
      from flask import Blueprint
      from db import connect, get_pool
      bp = Blueprint("api", __name__)
      @bp.route("/a")
      def a():
          conn = connect()
          try:
              return conn.cursor().execute("SELECT 1")
          finally:
              conn.close()
      @bp.route("/b")
      def b():
          pool = get_pool()
          return pool
    `,
  });
  const findings = await p.findings('routes.py', 'no-connect-per-request');
  assert.deepEqual(linesOf(findings), [6]);
  assert.match(findings[0].message, /`connect\(\)` opens a new connection on every request to `a`/);
});

test('attributes: a pool set on app.state in one module and used through request.app.state in another', async () => {
  const p = project({
    'main.py': code`
      import asyncpg
      from fastapi import FastAPI
      app = FastAPI()
      @app.on_event("startup")
      async def startup():
          app.state.pool = await asyncpg.create_pool("postgresql://db/app", command_timeout=30, timeout=5)
    `,
    'routes.py': code`
      from fastapi import APIRouter, Request
      router = APIRouter()
      @router.get("/items")
      async def items(request: Request):
          conn = await request.app.state.pool.acquire(timeout=5)
          rows = await conn.fetch("SELECT 1")
          await request.app.state.pool.release(conn)
          return rows
    `,
  });
  const findings = await p.findings('routes.py', 'no-leaked-connection');
  assert.deepEqual(linesOf(findings), [5]);
});

test('evidence from use: a pool passed in as a parameter, with getconn and putconn, must release on every path', async () => {
  const p = project({
    'repo.py': code`
      def load(pool, user_id):
          conn = pool.getconn()
          conn.cursor().execute("SELECT 1")
          pool.putconn(conn)
      def only_half(lock):
          token = lock.getconn()
          return token
    `,
  });
  assert.deepEqual(linesOf(await p.findings('repo.py', 'no-leaked-connection')), [2]);
});

test('framework lifecycles: a FastAPI dependency that closes in finally is fine; a @contextmanager that closes after yield is not', async () => {
  const p = project({
    'deps.py': code`
      from contextlib import contextmanager
      from sqlalchemy import create_engine
      from sqlalchemy.orm import sessionmaker
      engine = create_engine("postgresql://app@db/app?connect_timeout=5", pool_pre_ping=True)
      SessionLocal = sessionmaker(bind=engine)
      def get_db():
          db = SessionLocal()
          try:
              yield db
          finally:
              db.close()
      @contextmanager
      def unsafe():
          db = SessionLocal()
          yield db
          db.close()
    `,
  });
  assert.deepEqual(linesOf(await p.findings('deps.py', 'no-leaked-connection')), [14]);
});

test('calls that never return end a path: a helper that always raises, abort(), sys.exit', async () => {
  const p = project({
    'errors.py': code`
      def fail(message):
          raise ValueError(message)
    `,
    'jobs.py': code`
      import logging, sys, psycopg2
      from errors import fail
      conn = psycopg2.connect("dbname=app connect_timeout=5")
      def migrate():
          try:
              conn.cursor().execute("ALTER TABLE t ADD x int")
              conn.commit()
          except psycopg2.Error:
              logging.exception("migration failed")
              sys.exit(1)
      def check():
          try:
              conn.cursor().execute("SELECT 1")
          except psycopg2.Error:
              fail("database unusable")
    `,
  });
  assert.deepEqual(await p.findings('jobs.py', 'no-open-transaction'), []);
});

test('saving a module changes what its importers see (invalidate returns the importers)', async () => {
  const p = project({ 'db.py': DB_MODULE, 'use.py': code`
    from db import pool
    def f():
        conn = pool.getconn()
        conn.cursor().execute("SELECT 1")
  ` });
  assert.equal((await p.findings('use.py', 'no-leaked-connection')).length, 1);
  p.write('db.py', 'pool = None\n');
  assert.deepEqual(p.index.invalidate(p.path('db.py')), [p.path('use.py')]);
  assert.equal((await p.findings('use.py', 'no-leaked-connection')).length, 0);
});
