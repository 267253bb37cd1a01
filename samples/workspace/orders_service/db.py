"""One connection pool per process, shared by the order service's modules."""
import os

from psycopg2.pool import ThreadedConnectionPool

pool = ThreadedConnectionPool(
    minconn=1,
    maxconn=10,
    dsn=os.environ.get("DATABASE_URL", "postgresql://localhost/orders"),
    connect_timeout=5,
    options="-c statement_timeout=15000",
)
