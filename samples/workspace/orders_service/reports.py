"""Revenue reports for the back office, read from the reporting replica."""
import os

from psycopg2.pool import ThreadedConnectionPool

replica_pool = ThreadedConnectionPool(
    minconn=1,
    maxconn=4,
    dsn=os.environ.get("REPORTING_DATABASE_URL", "postgresql://localhost/orders"),
    connect_timeout=5,
    options="-c statement_timeout=60000",
)


def monthly_revenue(month):
    conn = replica_pool.getconn()
    cur = conn.cursor()
    cur.execute(
        "SELECT coalesce(sum(total_cents), 0) FROM orders WHERE date_trunc('month', placed_at) = %s",
        (month,),
    )
    total_cents = cur.fetchone()[0]
    cur.close()
    # If the query above raises, this line never runs and the pool loses a connection for good.
    replica_pool.putconn(conn)
    return total_cents / 100
