"""Tests of invoice totals. dbhealth does not lint tests unless asked: this one takes a connection
for the test and lets the process clean up, which in a service would be a leak."""
from orders_service.db import pool
from orders_service.invoices import invoice_total


def test_total_of_empty_invoice_is_null():
    conn = pool.getconn()
    cur = conn.cursor()
    cur.execute("INSERT INTO invoices (id) VALUES (42)")
    conn.commit()
    assert invoice_total(42) is None
    pool.putconn(conn)
