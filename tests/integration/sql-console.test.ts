import { tableFromIPC } from 'apache-arrow';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '@scrm/warehouse';
import { copySmallDb, startScrmServer, type Role, type ScrmServer } from '../setup/server.ts';

/**
 * The analysts' SQL console on a real `scrm serve` (a copy of the small demo warehouse): hostile input is
 * refused with a 4xx naming what and why, limits hold, PII stays masked for analysts, and the server keeps
 * answering. The server runs with a 3 s statement timeout (SCRM_SQL_TIMEOUT_MS) so the timeout tests are quick.
 */
let server: ScrmServer;
let dbPath: string;
const TIMEOUT_S = 3;
/** Where COPY and EXPORT would write, were they let through. */
const COPY_TARGET = `/tmp/scrm-console-test-${process.pid}.csv`;
const EXPORT_TARGET = `/tmp/scrm-console-export-${process.pid}`;

beforeAll(async () => {
  dbPath = copySmallDb();
  process.env.SCRM_SQL_TIMEOUT_MS = String(TIMEOUT_S * 1000);
  try {
    server = await startScrmServer(dbPath);
  } finally {
    delete process.env.SCRM_SQL_TIMEOUT_MS;
  }
});
afterAll(() => server?.stop());

const post = (sql: string, role: Role | null = 'analyst', extra: Record<string, unknown> = {}, init: RequestInit = {}) =>
  server.fetch('api/sql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql, ...extra }), ...init }, role);

interface Answer {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  row_count: number;
  truncated: boolean;
  elapsed_ms: number;
  build_id: number | null;
}
async function query(sql: string, role: Role = 'analyst', extra: Record<string, unknown> = {}): Promise<Answer> {
  const res = await post(sql, role, extra);
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)} for ${sql}`);
  return body;
}
async function refusal(sql: string, role: Role = 'analyst') {
  const res = await post(sql, role);
  return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message };
}

/** The same warehouse read directly (a second copy: the server holds its file); unqualified names are marts. */
async function direct<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
  const db = await Database.open(copySmallDb(), { readOnly: true });
  try {
    return await db.with(async (c) => {
      await c.run("SET search_path = 'marts'");
      return fn(c);
    });
  } finally {
    db.close();
  }
}

async function healthy() {
  expect((await server.fetch('api/health', {}, null)).status).toBe(200);
  const metrics = await server.fetch('api/metrics?measures=revenue&from=2026-01-01&to=2026-12-31&grain=month', {}, 'analyst');
  expect(metrics.status).toBe(200);
  expect(((await query('SELECT count(*) AS n FROM orders')).rows[0][0] as number) > 0).toBe(true);
}

describe('POST /api/sql refuses hostile input with a 4xx naming what and why', () => {
  const cases: [string, number, RegExp][] = [
    ["SELECT * FROM read_csv('/etc/passwd')", 400, /table function read_csv\(\) is refused/],
    ["SELECT * FROM read_text('/etc/passwd')", 400, /table function read_text\(\) is refused/],
    ["SELECT * FROM read_parquet('/tmp/x.parquet')", 400, /read_parquet\(\)/],
    ["FROM '/etc/passwd'", 400, /FROM '\/etc\/passwd' would read a file/],
    ["SELECT * FROM 'fixtures/x.csv'", 400, /would read a file/],
    [`COPY (SELECT 1) TO '${COPY_TARGET}'`, 400, /^COPY statements are refused: .*reads or writes files/],
    [`EXPORT DATABASE '${EXPORT_TARGET}'`, 400, /^EXPORT statements are refused/],
    ["ATTACH '/tmp/other.duckdb' AS other", 400, /^ATTACH statements are refused: .*another database/],
    ['DETACH other', 400, /^DETACH statements are refused/],
    ['INSTALL httpfs', 400, /^INSTALL statements are refused: .*extensions/],
    ['LOAD httpfs', 400, /^LOAD statements are refused: .*extensions/],
    ["SET memory_limit = '1MB'", 400, /^SET statements are refused: .*changes settings/],
    ['RESET memory_limit', 400, /^RESET statements are refused/],
    ['PRAGMA database_list', 400, /^PRAGMA statements are refused/],
    ['CALL duckdb_settings()', 400, /^CALL statements are refused/],
    ['DROP TABLE marts.orders', 400, /^DROP statements are refused: .*writes to the database/],
    ['INSERT INTO marts.orders SELECT * FROM marts.orders', 400, /^INSERT statements are refused/],
    ["UPDATE marts.orders SET channel = 'x'", 400, /^UPDATE statements are refused/],
    ['DELETE FROM marts.orders', 400, /^DELETE statements are refused/],
    ['CREATE TABLE marts.evil AS SELECT 1', 400, /^CREATE statements are refused/],
    ['CHECKPOINT', 400, /^CHECKPOINT statements are refused/],
    ['SELECT 1; DROP TABLE marts.orders', 400, /several statements \(2\) are refused/],
    ['SELECT 1 /* ; */ -- harmless\n; DROP TABLE marts.orders -- ;', 400, /several statements \(2\) are refused/],
    ['SELECT * FROM raw.customers', 400, /raw\.customers is outside the marts/],
    ['SELECT * FROM staging.stg_customers', 400, /staging\.stg_customers is outside the marts/],
    ['SELECT * FROM meta.loads', 400, /meta\.loads is outside the marts/],
    ['SELECT * FROM information_schema.tables', 400, /information_schema\.tables is outside the marts/],
    ['SELECT * FROM duckdb_settings()', 400, /table function duckdb_settings\(\) is refused/],
    ["SELECT getenv('HOME')", 400, /function getenv\(\) is refused in the console: it reads the server's environment/],
    ["SELECT current_setting('memory_limit')", 400, /function current_setting\(\) is refused/],
    ['SELECT * FROM marts.no_such_mart', 400, /there is no mart named no_such_mart/],
    ['SELECT (SELECT count(*) FROM raw.orders) FROM orders', 400, /raw\.orders is outside the marts/],
    ["SELECT * FROM orders WHERE order_id IN (SELECT * FROM glob('/etc/*'))", 400, /glob\(\)/],
    ["SELECT * FROM query('SELECT * FROM raw.customers')", 400, /table function query\(\)/],
    ['SELEC 1', 400, /syntax error/],
  ];
  for (const [sql, status, message] of cases) {
    it(sql.replace(/\s+/g, ' '), async () => {
      const got = await refusal(sql);
      expect(got.status).toBe(status);
      expect(got.message).toMatch(message);
    });
  }

  it('nothing was written: marts.orders still holds its rows and no file appeared', async () => {
    expect(existsSync(COPY_TARGET)).toBe(false);
    expect(existsSync(EXPORT_TARGET)).toBe(false);
    const n = (await query('SELECT count(*) FROM marts.orders')).rows[0][0];
    expect(n).toBe(await direct((c) => c.value<number>('SELECT count(*) FROM marts.orders')));
  });

  it('interrupts a cross join that would run for minutes at the statement timeout, and the connection serves the next query', async () => {
    const t = performance.now();
    const got = await refusal('SELECT count(*) FROM range(200000) a, range(200000) b WHERE a.range + b.range = 7');
    const seconds = (performance.now() - t) / 1000;
    expect(got.status).toBe(422);
    expect(got.message).toBe(`cancelled after ${TIMEOUT_S} s: the console's statement timeout`);
    expect(seconds).toBeGreaterThanOrEqual(TIMEOUT_S - 0.5);
    expect(seconds).toBeLessThan(20);
    // Both console slots are reused by the next queries (default 2 slots).
    for (let i = 0; i < 3; i++) expect((await query('SELECT 42 AS x')).rows).toEqual([[42]]);
  });

  it('cuts a 100M-row result at the row cap without materialising it', async () => {
    const t = performance.now();
    const body = await query('SELECT * FROM range(100000000)');
    expect(body.row_count).toBe(10_000);
    expect(body.truncated).toBe(true);
    expect(body.rows[9_999]).toEqual([9_999]);
    expect(performance.now() - t).toBeLessThan(10_000);
    const small = await query('SELECT * FROM range(100000000)', 'analyst', { max_rows: 5 });
    expect(small.rows).toEqual([[0], [1], [2], [3], [4]]);
    expect(small.truncated).toBe(true);
  });

  it('after all of that the server is healthy', healthy);
});

describe('POST /api/sql answers', () => {
  it('equal direct SQL on the database for real queries', async () => {
    const queries = [
      'SELECT channel, count(*) AS orders, sum(net_revenue) AS revenue FROM marts.orders GROUP BY channel ORDER BY channel',
      `WITH m AS (SELECT date_trunc('month', date) AS month, sum(revenue) AS revenue FROM kpi_daily GROUP BY 1)
       SELECT month, revenue, revenue - lag(revenue) OVER (ORDER BY month) AS delta FROM m ORDER BY month`,
      'SELECT rfm_segment, count(*) AS n, round(avg(monetary), 2) AS avg_monetary FROM customer_segments GROUP BY ALL ORDER BY n DESC, rfm_segment',
    ];
    for (const sql of queries) {
      const got = await query(sql);
      const want = await direct((c) => c.all(sql));
      expect(got.rows.length).toBeGreaterThan(0);
      expect(got.rows).toEqual(want.map((r) => Object.values(r)));
      expect(got.columns.map((c) => c.name)).toEqual(Object.keys(want[0]));
      expect(got.build_id).toBeGreaterThan(0);
    }
  });

  it('keep 64-bit integers and decimals exact: numbers when safe, strings otherwise; dates and timestamps as ISO', async () => {
    const got = await query("SELECT 9007199254740993::BIGINT AS big, 42::HUGEINT AS h, 12.5::DECIMAL(10,2) AS d, 12345678901234567890.12::DECIMAL(38,2) AS bigd, DATE '2026-03-04' AS day, TIMESTAMP '2026-03-04 05:06:07.891' AS ts");
    expect(got.rows).toEqual([['9007199254740993', 42, 12.5, '12345678901234567890.12', '2026-03-04', '2026-03-04T05:06:07.891Z']]);
  });

  it('as CSV: a parsable text/csv stream with a header', async () => {
    const sql = 'SELECT order_id, channel, net_revenue FROM marts.orders ORDER BY order_id LIMIT 50';
    const res = await post(sql, 'analyst', { format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    const want = await direct((c) => c.all<{ order_id: string; channel: string; net_revenue: number }>(sql));
    expect(lines[0]).toBe('order_id,channel,net_revenue');
    expect(lines.slice(1)).toEqual(want.map((r) => [r.order_id, r.channel ?? '', r.net_revenue ?? ''].join(',')));
  });

  it('as CSV: a 100M-row result stops at the stream cap (max_rows)', async () => {
    const res = await post('SELECT * FROM range(100000000)', 'analyst', { format: 'csv', max_rows: 20_000 });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-scrm-max-rows')).toBe('20000');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines.length).toBe(20_001);
    expect(lines.at(-1)).toBe('19999');
  });

  it('as Arrow IPC: tableFromIPC reads the same rows and types', async () => {
    const sql = 'SELECT order_id, order_date, ordered_at, net_revenue, line_count FROM marts.orders ORDER BY order_id LIMIT 3000';
    const res = await post(sql, 'analyst', { format: 'arrow' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    const want = await direct((c) => c.all<Record<string, unknown>>(sql));
    expect(table.numRows).toBe(want.length);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'order_id:Utf8', 'order_date:Date32<DAY>', 'ordered_at:Timestamp<MILLISECOND, UTC>', 'net_revenue:Utf8', 'line_count:Int64',
    ]);
    const rows = table.toArray().map((r) => r.toJSON());
    for (const i of [0, 1234, want.length - 1]) {
      expect(rows[i].order_id).toBe(want[i].order_id);
      expect(new Date(rows[i].order_date as number).toISOString().slice(0, 10)).toBe(want[i].order_date);
      expect(new Date(Number(rows[i].ordered_at)).toISOString()).toBe(want[i].ordered_at);
      expect(rows[i].net_revenue === null ? null : Number(rows[i].net_revenue)).toBe(want[i].net_revenue); // DECIMAL(18,2): exact text (see API.md)
      expect(Number(rows[i].line_count)).toBe(want[i].line_count);
    }
  });

  it('as Arrow IPC with no rows: the schema alone', async () => {
    const res = await post('SELECT order_id FROM marts.orders WHERE false', 'analyst', { format: 'arrow' });
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['order_id']);
  });
});

describe('POST /api/sql: PII', () => {
  const pick = `SELECT customer_id FROM marts.customer_360 WHERE email LIKE '%@%' AND full_name IS NOT NULL AND phone IS NOT NULL AND birth_date IS NOT NULL ORDER BY customer_id LIMIT 1`;

  it('is masked for analysts however the query reaches it: aliases, functions, WHERE, CTEs, subqueries, joins', async () => {
    const id = (await query(pick, 'admin')).rows[0][0] as string;
    const clear = await direct((c) => c.one<Record<string, string>>(`SELECT email, full_name, phone, birth_date FROM marts.customer_360 WHERE customer_id = $1`, [id]));
    const email = clear!.email;
    const tricks = [
      `SELECT email AS e FROM customer_360 WHERE customer_id = '${id}'`,
      `SELECT lower(email) || '' AS e FROM customer_360 WHERE customer_id = '${id}'`,
      `SELECT (SELECT max(email) FROM marts.customer_360 c WHERE c.customer_id = '${id}') AS e`,
      `WITH customer_360 AS (SELECT * FROM customer_360) SELECT email FROM customer_360 WHERE customer_id = '${id}'`,
      `SELECT c.email FROM orders o RIGHT JOIN customer_360 AS c(person, cid) ON o.customer_id = c.cid WHERE c.cid = '${id}' LIMIT 1`,
      `SELECT customer_360.email FROM customer_360 WHERE customer_id = '${id}'`,
      `SELECT * EXCLUDE (customer_id) FROM (SELECT customer_id, email FROM customer_360) WHERE customer_id = '${id}'`,
      `SELECT to_json(c) AS e FROM customer_360 c WHERE customer_id = '${id}'`,
    ];
    for (const sql of tricks) {
      const got = await query(sql);
      const text = JSON.stringify(got.rows);
      expect(text, sql).not.toContain(email);
      expect(text, sql).toContain(email[0] + '***@');
    }
    // A WHERE on the clear value finds nothing: the query only ever sees the masked column.
    expect((await query(`SELECT count(*) FROM customer_360 WHERE email = '${email.replaceAll("'", "''")}'`)).rows).toEqual([[0]]);
    const masked = await query(`SELECT full_name, phone, birth_date, first_name, last_name FROM customer_360 WHERE customer_id = '${id}'`);
    expect(JSON.stringify(masked.rows)).not.toContain(clear!.full_name);
    expect(masked.rows[0][2]).toMatch(/^\d{3}0s$/);
    expect(masked.rows[0][1]).toMatch(/^\*\*\*\d\d$/);
  });

  it('is in clear for admins', async () => {
    const id = (await query(pick, 'admin')).rows[0][0] as string;
    const clear = await direct((c) => c.one<Record<string, string>>(`SELECT email, full_name FROM marts.customer_360 WHERE customer_id = $1`, [id]));
    const got = await query(`SELECT email AS e, full_name FROM customer_360 WHERE customer_id = '${id}'`, 'admin');
    expect(got.rows).toEqual([[clear!.email, clear!.full_name]]);
    expect((await query(`SELECT count(*) FROM customer_360 WHERE email = '${clear!.email.replaceAll("'", "''")}'`, 'admin')).rows).toEqual([[1]]);
  });
});

describe('/api/sql: roles and the schema', () => {
  it('answers 401 without a token and 403 for executive and marketing', async () => {
    expect((await post('SELECT 1', null)).status).toBe(401);
    for (const role of ['executive', 'marketing'] as const) {
      const res = await post('SELECT 1', role);
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toBe(`the SQL console is for analyst, admin; you are signed in as ${role}`);
      expect((await server.fetch('api/sql/schema', {}, role)).status).toBe(403);
    }
    expect((await server.fetch('api/sql/schema', {}, null)).status).toBe(401);
  });

  it('GET /api/sql/schema lists the marts with columns, types and docs', async () => {
    const res = await server.fetch('api/sql/schema', {}, 'analyst');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tables: { name: string; table: string; columns: { name: string; type: string; doc: string | null }[] }[] };
    const c360 = body.tables.find((t) => t.name === 'marts.customer_360');
    const want = await direct((c) => c.all<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = 'customer_360' ORDER BY ordinal_position`,
    ));
    expect(c360!.columns.map((c) => [c.name, c.type])).toEqual(want.map((w) => [w.column_name, w.data_type]));
    expect(c360!.columns.find((c) => c.name === 'email')!.doc).toMatch(/\(PII\)/);
    expect(body.tables.every((t) => t.name.startsWith('marts.'))).toBe(true);
  });

  it('rejects a malformed body with 400', async () => {
    const res = await server.fetch('api/sql', { method: 'POST', body: 'nope' }, 'analyst');
    expect(res.status).toBe(400);
    expect((await post('SELECT 1', 'analyst', { format: 'xml' })).status).toBe(400);
  });
});

describe('/api/sql: slots and aborts', () => {
  it('a client abort interrupts the query and frees its slot', async () => {
    const ctrl = new AbortController();
    const slow = post('SELECT count(*) FROM range(200000) a, range(200000) b WHERE a.range + b.range = 7', 'analyst', {}, { signal: ctrl.signal }).catch((e) => e);
    const slow2 = post('SELECT count(*) FROM range(200000) a, range(200000) b WHERE a.range + b.range = 9', 'analyst', {}, { signal: ctrl.signal }).catch((e) => e);
    await new Promise((r) => setTimeout(r, 700));
    ctrl.abort();
    await Promise.all([slow, slow2]);
    // Both slots were busy; were the queries not interrupted, this would wait for the 3 s timeout.
    const t = performance.now();
    expect((await query('SELECT 7 AS x')).rows).toEqual([[7]]);
    expect(performance.now() - t).toBeLessThan(TIMEOUT_S * 1000 - 500);
  });

  it('answers 429 when every console slot stays busy past the queue wait, while the dashboard keeps answering', async () => {
    // Two different queries: identical concurrent requests would share one execution (the answer cache).
    const heavy = (n: number) => `SELECT count(*) FROM range(200000) a, range(200000) b WHERE a.range + b.range = ${n}`;
    const running = [post(heavy(11)), post(heavy(12))];
    await new Promise((r) => setTimeout(r, 300));
    const t = performance.now();
    const [third, metrics] = await Promise.all([
      post('SELECT 1'),
      server.fetch('api/metrics?measures=revenue&from=2026-01-01&to=2026-12-31&grain=month', {}, 'executive'),
    ]);
    expect(metrics.status).toBe(200);
    expect(third.status).toBe(429);
    expect((await third.json()).error.message).toMatch(/all 2 SQL console slots are busy/);
    expect(performance.now() - t).toBeLessThan(TIMEOUT_S * 1000);
    for (const r of await Promise.all(running)) expect(r.status).toBe(422);
  });

  it('after all of that the server is healthy', healthy);
});
