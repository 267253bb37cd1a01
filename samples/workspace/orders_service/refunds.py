"""Refunds, requested by the support team."""
from .db import pool


def refund_order(order_id, reason):
    conn = pool.getconn()
    cur = conn.cursor()
    cur.execute("SELECT status FROM orders WHERE id = %s", (order_id,))
    status = cur.fetchone()[0]
    if status != "paid":
        # Returns with the connection still checked out: after maxconn such refunds the pool is empty.
        return False
    cur.execute("UPDATE orders SET status = 'refunded', refund_reason = %s WHERE id = %s", (reason, order_id))
    conn.commit()
    pool.putconn(conn)
    return True
