import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounted, scratch } from '../setup/scratch.ts';
import { loadSpec } from '@scrm/warehouse';
import { createTestDatabase, type TestPostgres } from '../setup/postgres.ts';

/** The postgres source against a real PostgreSQL server (started by the test setup), loaded into DuckDB files. */
const sc = scratch('pg-source');
const { dir, open, warehouse, spec } = sc;
let pg: TestPostgres;

beforeAll(() => {
  pg = createTestDatabase();
  pg.psql(`
CREATE SCHEMA crm;
CREATE TABLE crm.customers (customer_id text, email text, first_name text, birth_date text, created_at timestamptz, marketing_consent boolean, tags text[]);
INSERT INTO crm.customers VALUES
  ('C1', 'ana@example.com', 'Ana', '1990-04-01', '2026-01-05 10:00:00+01', true, '{vip,es}'),
  ('C2', 'jose@example.com', 'José', 'not a date', '2026-01-06 11:00:00+00', false, NULL),
  (NULL, 'nobody@example.com', 'Nobody', '1980-01-01', '2026-01-07 12:00:00+00', NULL, NULL),
  ('C3', 'carla@example.com', 'Carla', '1985-12-31', '2026-01-08 08:15:00+00', true, NULL),
  ('C3', 'carla@example.com', 'Carla', '1985-12-31', '2026-01-08 08:15:00+00', true, NULL);
CREATE TABLE public."Orders" (order_id bigint, customer_id text, ordered_at timestamptz, total_amount numeric(12,2), status text, channel text, meta jsonb);
INSERT INTO public."Orders" VALUES
  (9007199254740993, 'C1', '2026-02-01 09:30:00+00', 19.90, 'completed', 'web', '{"coupon": "WELCOME"}'),
  (2, 'C3', '2026-02-02 12:00:00+02', 1234567.89, 'returned', 'store', NULL),
  (3, 'C9', '2999-01-01 00:00:00+00', 5.00, 'completed', 'web', NULL);
`);
});

afterAll(() => {
  pg?.drop();
  sc.close();
});

describe('postgres source', () => {
  it('loads a schema-qualified table: good rows loaded, bad rows quarantined with their reasons, every row accounted for', async () => {
    const c = await warehouse('main');
    const [r] = await loadSpec(c, spec(`sources:\n  - { name: pg_customers, entity: customers, format: postgres, path: "${pg.url}", options: { table: crm.customers } }\n`));
    expect(r).toMatchObject({ status: 'loaded', read: 5, loaded: 2, updated: 0, duplicate: 1, quarantined: 2 });
    accounted(r);
    expect(await c.all(`SELECT record_no, reasons FROM meta.quarantine WHERE source = 'pg_customers' ORDER BY record_no`)).toEqual([
      { record_no: 2, reasons: ['invalid date in birth_date: "not a date"'] },
      { record_no: 3, reasons: ['missing customer_id'] },
    ]);
    const rows = await c.all(`SELECT customer_id, email, first_name, CAST(birth_date AS VARCHAR) AS birth_date, created_at, marketing_consent, extra FROM raw.customers ORDER BY customer_id`);
    expect(rows).toEqual([
      { customer_id: 'C1', email: 'ana@example.com', first_name: 'Ana', birth_date: '1990-04-01', created_at: '2026-01-05T09:00:00.000Z', marketing_consent: true, extra: '{"tags":"vip|es"}' },
      { customer_id: 'C3', email: 'carla@example.com', first_name: 'Carla', birth_date: '1985-12-31', created_at: '2026-01-08T08:15:00.000Z', marketing_consent: true, extra: '{"tags":null}' },
    ]);
  });

  it('skips an unchanged table on the next load ("already loaded")', async () => {
    const c = open[0].c;
    const [r] = await loadSpec(c, spec(`sources:\n  - { name: pg_customers, entity: customers, format: postgres, path: "${pg.url}", options: { table: crm.customers } }\n`));
    expect(r).toMatchObject({ status: 'skipped', read: 0, message: 'same file content already loaded' });
    expect(await c.value(`SELECT count(*) FROM raw.customers`)).toBe(2);
  });

  it('counts a row changed in the database as updated, the unchanged ones as duplicates', async () => {
    const c = open[0].c;
    pg.psql(`UPDATE crm.customers SET email = 'ana@new.example' WHERE customer_id = 'C1';`);
    const [r] = await loadSpec(c, spec(`sources:\n  - { name: pg_customers, entity: customers, format: postgres, path: "${pg.url}", options: { table: crm.customers } }\n`));
    expect(r).toMatchObject({ status: 'loaded', read: 5, loaded: 0, updated: 1, duplicate: 2, quarantined: 2 });
    accounted(r);
    expect(await c.all(`SELECT customer_id, email FROM raw.customers ORDER BY customer_id`)).toEqual([
      { customer_id: 'C1', email: 'ana@new.example' },
      { customer_id: 'C3', email: 'carla@example.com' },
    ]);
  });

  it('reads a mixed-case table name quoted properly, with bigint, numeric, timestamptz and jsonb values, from env:NAME', async () => {
    const c = await warehouse('orders');
    process.env.SCRM_TEST_PG = pg.url;
    const [r] = await loadSpec(c, spec(`sources:\n  - { name: pg_orders, entity: orders, format: postgres, path: "env:SCRM_TEST_PG", options: { table: public.Orders } }\n`));
    expect(r).toMatchObject({ status: 'loaded', file: 'env:SCRM_TEST_PG', read: 3, loaded: 2, quarantined: 1 });
    accounted(r);
    expect(await c.all(`SELECT record_no, reasons FROM meta.quarantine`)).toEqual([
      { record_no: 3, reasons: ['order date outside 1990-01-01 .. tomorrow in ordered_at: 2999-01-01T00:00:00.000Z'] },
    ]);
    expect(await c.all(`SELECT order_id, ordered_at, CAST(total_amount AS VARCHAR) AS total, status, channel, extra FROM raw.orders ORDER BY order_id`)).toEqual([
      { order_id: '2', ordered_at: '2026-02-02T10:00:00.000Z', total: '1234567.8900', status: 'returned', channel: 'store', extra: '{"meta":null}' },
      { order_id: '9007199254740993', ordered_at: '2026-02-01T09:30:00.000Z', total: '19.9000', status: 'completed', channel: 'web', extra: '{"meta":"{\\"coupon\\": \\"WELCOME\\"}"}' },
    ]);
  });

  it('loads the result of a query:, and rejects a query that is not a SELECT', async () => {
    const c = await warehouse('query');
    const [r, bad] = await loadSpec(c, spec(`sources:
  - name: pg_query
    entity: customers
    format: postgres
    path: "${pg.url}"
    options:
      query: "SELECT customer_id AS id, upper(email) AS \\"E-mail\\" FROM crm.customers WHERE customer_id IS NOT NULL AND birth_date <> 'not a date' ORDER BY 1"
  - { name: pg_delete, entity: customers, format: postgres, path: "${pg.url}", options: { query: "DELETE FROM crm.customers" } }
`));
    expect(r).toMatchObject({ status: 'loaded', read: 3, loaded: 2, duplicate: 1, quarantined: 0 });
    expect(await c.all(`SELECT customer_id, email FROM raw.customers ORDER BY 1`)).toEqual([
      { customer_id: 'C1', email: 'ANA@NEW.EXAMPLE' },
      { customer_id: 'C3', email: 'CARLA@EXAMPLE.COM' },
    ]);
    expect(bad).toMatchObject({ status: 'failed', source: 'pg_delete' });
    expect(bad.message).toBe('source pg_delete: option query must be a SELECT (or WITH … SELECT); got "DELETE FROM crm.customers"');
    expect(pg.psql('SELECT count(*) FROM crm.customers;').trim()).toBe('5');
  });

  it('a bad password or a missing table fails that source with a clear message without the password; other sources still load', async () => {
    const c = await warehouse('bad');
    const wrong = pg.url.replace(`:${pg.password}@`, ':Wr0ngPassw0rd@');
    const results = await loadSpec(c, spec(`sources:
  - { name: pg_badpw, entity: customers, format: postgres, path: "${wrong}", options: { table: crm.customers } }
  - { name: pg_notable, entity: customers, format: postgres, path: "${pg.url}", options: { table: crm.nope } }
  - { name: pg_noenv, entity: customers, format: postgres, path: "env:SCRM_TEST_PG_UNSET", options: { table: crm.customers } }
  - { name: pg_good, entity: customers, format: postgres, path: "${pg.url}", options: { table: crm.customers } }
`));
    const where = `postgres://${pg.user}@127.0.0.1:${pg.port}/${pg.database}`;
    expect(results.map((r) => [r.source, r.status, r.message])).toEqual([
      ['pg_badpw', 'failed', `source pg_badpw: cannot connect to ${where}: password authentication failed for user "${pg.user}"`],
      ['pg_notable', 'failed', `source pg_notable: cannot read crm.nope from ${where}: relation "crm.nope" does not exist`],
      ['pg_noenv', 'failed', 'source pg_noenv: environment variable SCRM_TEST_PG_UNSET (path: env:SCRM_TEST_PG_UNSET) is not set'],
      ['pg_good', 'loaded', undefined],
    ]);
    for (const r of results) expect(r.message ?? '').not.toMatch(new RegExp(`Wr0ngPassw0rd|${pg.password}`));
    // Nor does the audit: a database source is named by its connection string without the password.
    for (const r of results) expect(r.file).not.toMatch(new RegExp(`Wr0ngPassw0rd|${pg.password}`));
    const audited = await c.all<{ file: string }>(`SELECT file FROM meta.loads`);
    expect(audited.length).toBeGreaterThan(0);
    for (const a of audited) expect(a.file).not.toMatch(new RegExp(`Wr0ngPassw0rd|${pg.password}`));
  });

  it('streams a 200,000-row table with bounded memory', async () => {
    pg.psql(`CREATE TABLE crm.big AS
      SELECT 'C' || g AS customer_id, 'user' || g || '@example.com' AS email, 'Name ' || g AS first_name,
             timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute' AS created_at
      FROM generate_series(1, 200000) g;`);
    const c = await warehouse('big');
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const [r] = await loadSpec(c, spec(`sources:\n  - { name: pg_big, entity: customers, format: postgres, path: "${pg.url}", options: { table: crm.big } }\n`));
      expect(r).toMatchObject({ status: 'loaded', read: 200_000, loaded: 200_000, quarantined: 0 });
    } finally {
      clearInterval(timer);
    }
    expect(peak - rss0).toBeLessThan(300 * 2 ** 20);
    expect(await c.all(`SELECT customer_id, created_at FROM raw.customers WHERE customer_id = 'C200000'`)).toEqual([
      { customer_id: 'C200000', created_at: '2025-05-19T21:20:00.000Z' },
    ]);
  });
});
