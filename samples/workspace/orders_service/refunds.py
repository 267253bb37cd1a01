"""Refunds, requested by the support team."""
import os

import psycopg2

DSN = os.environ.get("DATABASE_URL", "postgresql://localhost/orders")


def refund_order(order_id, reason):
    conn = psycopg2.connect(DSN, connect_timeout=5)
    cur = conn.cursor()
    cur.execute("SELECT status FROM orders WHERE id = %s", (order_id,))
    status = cur.fetchone()[0]
    if status != "paid":
        # Returns with the connection still open: the server keeps one backend per refused refund.
        return False
    cur.execute("UPDATE orders SET status = 'refunded', refund_reason = %s WHERE id = %s", (reason, order_id))
    conn.commit()
    conn.close()
    return True
