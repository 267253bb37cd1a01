import { pool } from './orders-repository';

export async function customerName(customerId: number): Promise<string | undefined> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM customers WHERE id = $1', [customerId]);
    return rows[0]?.name;
  } finally {
    client.release();
  }
}
