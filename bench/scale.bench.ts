/**
 * Cost against size: lints generated Python and TypeScript files of 1, 2, 4 and 8 MB through the
 * engine (as the CLI does) and prints the time per MB. The analysis is meant to be linear, so the
 * largest file's time per MB must stay within 1.5× of the smallest's, measured in the same run.
 *
 * The files are made of the shapes services have — a module-level pool, handlers that leak on an
 * early return and handlers that release in `finally`, exported functions, a repository class,
 * plain computation — repeated with fresh names, so findings, exports and scopes all grow with the
 * size (the things that made cost grow faster than the input before). `--sizes 1,2` picks sizes.
 */
import { lintText } from '../src/engine';

const TARGET_RATIO = 1.5;
const ROUNDS = 2;
const MB = 1024 * 1024;

function pythonChunk(i: number): string {
  return `
def load_${i}(user_id):
    conn = pool.getconn()
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM users_${i} WHERE id = %s", (user_id,))
    row = cur.fetchone()
    if row is None:
        return None
    pool.putconn(conn)
    return {"id": row[0], "name": row[1]}


def save_${i}(user_id, name):
    conn = pool.getconn()
    try:
        with conn.cursor() as cur:
            cur.execute("UPDATE users_${i} SET name = %s WHERE id = %s", (name, user_id))
        conn.commit()
    finally:
        pool.putconn(conn)


class Repository${i}:
    def __init__(self, table="t_${i}"):
        self.table = table

    def count(self):
        conn = pool.getconn()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM " + self.table)
                return cur.fetchone()[0]
        finally:
            pool.putconn(conn)


def score_${i}(values):
    total = 0
    for index, value in enumerate(values):
        if value % 3 == 0:
            total += value * index
        elif value % 5 == 0:
            total -= value // 2
        else:
            total += sum(x * x for x in range(value % 7))
    return {"total": total, "count": len(values)}
`;
}

function typescriptChunk(i: number): string {
  return `
export async function load${i}(id: number) {
  const client = await pool.connect();
  const { rows } = await client.query('SELECT id, name FROM users_${i} WHERE id = $1', [id]);
  if (rows.length === 0) return null;
  client.release();
  return rows[0];
}

export async function save${i}(id: number, name: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('UPDATE users_${i} SET name = $1 WHERE id = $2', [name, id]);
  } finally {
    client.release();
  }
}

export class Repository${i} {
  constructor(private readonly table = 't_${i}') {}
  async count(): Promise<number> {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*) AS n FROM ' + this.table);
    return rows[0].n;
  }
}

export function score${i}(values: number[]): { total: number; count: number } {
  let total = 0;
  values.forEach((value, index) => {
    if (value % 3 === 0) total += value * index;
    else if (value % 5 === 0) total -= Math.floor(value / 2);
    else total += [...Array(value % 7).keys()].reduce((sum, x) => sum + x * x, 0);
  });
  return { total, count: values.length };
}
`;
}

const LANGUAGES = {
  python: {
    file: 'generated.py',
    head: 'import psycopg2\nfrom psycopg2.pool import ThreadedConnectionPool\n\npool = ThreadedConnectionPool(1, 10, "dbname=app connect_timeout=5")\n',
    chunk: pythonChunk,
  },
  typescript: {
    file: 'generated.ts',
    head: "import { Pool } from 'pg';\n\nconst pool = new Pool({ max: 10, connectionTimeoutMillis: 5000, statement_timeout: 5000 });\n",
    chunk: typescriptChunk,
  },
} as const;

type Language = keyof typeof LANGUAGES;

function generate(language: Language, bytes: number): string {
  const { head, chunk } = LANGUAGES[language];
  const parts: string[] = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const part = chunk(i);
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

async function timeLint(language: Language, text: string): Promise<{ ms: number; findings: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const started = performance.now();
  const outcome = await lintText(text, `/bench/${LANGUAGES[language].file}`, {});
  const ms = performance.now() - started;
  if (outcome.kind !== 'linted') throw new Error(`${language}: the generated file was not analysed: ${outcome.kind === 'failed' ? outcome.reason : outcome.kind}`);
  return { ms, findings: outcome.findings.length };
}

async function main(): Promise<void> {
  const sizesArgument = process.argv.find((argument) => argument.startsWith('--sizes='));
  const sizes = sizesArgument ? sizesArgument.slice('--sizes='.length).split(',').map(Number) : [1, 2, 4, 8];
  let failed = false;
  for (const language of Object.keys(LANGUAGES) as Language[]) {
    await timeLint(language, generate(language, 64 * 1024)); // loads the front end and warms the JIT
    const perMb: number[] = [];
    for (const size of sizes) {
      const text = generate(language, size * MB);
      const lines = text.split('\n').length;
      const times: number[] = [];
      let findings = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const result = await timeLint(language, text);
        times.push(result.ms);
        findings = result.findings;
      }
      const best = Math.min(...times);
      const megabytes = Buffer.byteLength(text) / MB;
      perMb.push(best / megabytes);
      console.log(
        `${language} ${megabytes.toFixed(1)} MB (${lines.toLocaleString('en-US')} lines, ${findings.toLocaleString('en-US')} findings): ` +
          `best of ${ROUNDS} ${(best / 1000).toFixed(2)} s (${times.map((t) => (t / 1000).toFixed(2)).join(', ')}), ${(best / megabytes / 1000).toFixed(2)} s/MB`,
      );
    }
    const ratio = perMb.at(-1)! / perMb[0];
    const met = ratio <= TARGET_RATIO;
    if (!met) failed = true;
    console.log(`${language}: time per MB, largest / smallest: ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x: ${met ? 'met' : 'NOT met'})`);
  }
  if (failed) process.exitCode = 1;
}

void main();
