"""The orders database: one pool for the whole process, shared by every module of the service."""
from psycopg2.pool import ThreadedConnectionPool

pool = ThreadedConnectionPool(1, 10, dsn="dbname=orders connect_timeout=5 options='-c statement_timeout=5000'")
