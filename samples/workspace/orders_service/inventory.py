"""Stock levels, read by the warehouse screens, through the service's shared pool."""
import os

from psycopg2.pool import ThreadedConnectionPool

pool = ThreadedConnectionPool(
    minconn=1,
    maxconn=10,
    dsn=os.environ.get("DATABASE_URL", "postgresql://localhost/orders"),
    connect_timeout=5,
    options="-c statement_timeout=15000",
)


def stock_level(sku):
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT quantity FROM stock WHERE sku = %s", (sku,))
            row = cur.fetchone()
            return row[0] if row else 0
    finally:
        pool.putconn(conn)
