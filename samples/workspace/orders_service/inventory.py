"""Stock levels, read by the warehouse screens."""
from .db import pool


def stock_level(sku):
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT quantity FROM stock WHERE sku = %s", (sku,))
            row = cur.fetchone()
            return row[0] if row else 0
    finally:
        pool.putconn(conn)
