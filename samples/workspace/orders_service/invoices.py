"""Invoice totals, read through the pool that orders_service/db.py creates."""
from orders_service.db import pool


def invoice_total(invoice_id):
    conn = pool.getconn()
    cur = conn.cursor()
    cur.execute("SELECT sum(amount_cents) FROM invoice_lines WHERE invoice_id = %s", (invoice_id,))
    total = cur.fetchone()[0]
    pool.putconn(conn)
    return total
