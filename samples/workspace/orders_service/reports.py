"""Revenue reports for the back office."""
from .db import pool


def monthly_revenue(month):
    conn = pool.getconn()
    cur = conn.cursor()
    cur.execute(
        "SELECT coalesce(sum(total_cents), 0) FROM orders WHERE date_trunc('month', placed_at) = %s",
        (month,),
    )
    total_cents = cur.fetchone()[0]
    cur.close()
    # If the query above raises, this line never runs and the pool loses a connection for good.
    pool.putconn(conn)
    return total_cents / 100
